import Protocols

/// What each catalog port speaks, by catalog key (docs/ports.md, column "Protocol", gives
/// the source of each): the evidence a service's recognized protocol is checked against
/// (`protocol-mismatch`, `plaintext-on-tls-port`). A key not listed states no protocol and
/// is not checked.
///
/// Kept apart from `Catalog` so the port list and the protocols can change independently;
/// only Spark's RPC differs by profile: Spark 1.4 (das-3.0) ran its RPC on Akka remoting,
/// Spark 1.6 and later on its network-common transport (its legacy actor system, 13001,
/// still Akka).
public enum PortProtocols {
    static let byKey: [String: ProtocolName] = [
        "thrift.tcp.port": .thrift,
        "thrift.ssl.port": .tls,
        "binary.ssl.port": .tls,
        "carbon.https.port": .tls,
        "carbon.http.port": .http,
        "spark.ui.port": .http,
        "spark.history.ui.port": .http,
        "spark.master.webui.port": .http,
        "spark.master.ui.port": .http,
        "spark.worker.webui.port": .http,
        "spark.worker.ui.port": .http,
        "spark.master.rest.port": .http,
        "spark.broadcast.port": .http,
        "spark.replClassServer.port": .http,
        "spark.blockManager.port": .sparkRPC,
        "spark.driver.blockManager.port": .sparkRPC,
        "spark.shuffle.service.port": .sparkRPC,
        "spark.driver.port": .sparkRPC,
        "sparkDriver.clusterDeployMode": .sparkRPC,
        "spark.executor.port": .sparkRPC,
        "spark.fileserver.port": .sparkRPC,
        "spark.master.port": .sparkRPC,
        "spark.worker.port": .sparkRPC,
        "sparkDriverActorSystem": .akka,
        "Ports.JMX.RMIRegistryPort": .jrmi,
        "Ports.JMX.RMIServerPort": .jrmi,
        "hazelcast.localMemberPort": .hazelcast,
        "Ports.EmbeddedLDAP.LDAPServerPort": .ldap,
        "ha.management.port": .thrift,
    ].merging(SparkHTTPSPorts.connectors.map { ($0.key, .tls) }) { stated, _ in stated }

    /// Spark 1.4's Akka ports (das-3.0): the RPC endpoints, and its file server, which was
    /// an HTTP server (Jetty) before Spark 2.0.
    static let spark14: [String: ProtocolName] = [
        "spark.driver.port": .akka,
        "spark.executor.port": .akka,
        "spark.master.port": .akka,
        "spark.worker.port": .akka,
        "spark.fileserver.port": .http,
    ]

    /// Spark 1.6's file server was still Jetty HTTP (das-3.1, das-3.2).
    static let spark16: [String: ProtocolName] = [
        "spark.fileserver.port": .http,
    ]

    /// Catalog keys whose protocol Spark can run inside TLS by its own configuration, by
    /// profile: TLS there is that encryption, not another service (docs/protocols.md, "TLS
    /// on Spark's own ports"). Spark 4.0's `spark.ssl.rpc.enabled` (network-common's
    /// `TransportConf.sslRpcEnabled`) wraps the RPC, block transfer, file server and
    /// external shuffle service of network-common in TLS (SPARK-45545 passes the RPC SSL
    /// options to every `SparkTransportConf`); Spark 1.3 to 1.6 wrap Akka remoting in TLS with
    /// `spark.ssl.akka.enabled` and the Jetty `HttpServer` (file server, HTTP broadcast,
    /// REPL class server) with `spark.ssl.fs.enabled` (`SecurityManager`). The Spark 1.6 of
    /// das-3.1 and das-3.2 has no TLS on its network-common RPC.
    static let sparkRPCTLS: Set<String> = [
        "spark.blockManager.port", "spark.driver.blockManager.port", "spark.driver.port", "sparkDriver.clusterDeployMode",
        "spark.executor.port",
        "spark.fileserver.port", "spark.master.port", "spark.worker.port", "spark.shuffle.service.port",
    ]
    static let sparkHTTPServerTLS: Set<String> = ["spark.fileserver.port", "spark.broadcast.port", "spark.replClassServer.port"]
    static let akkaTLS: Set<String> = ["spark.driver.port", "spark.executor.port", "spark.master.port", "spark.worker.port"]

    /// Whether Spark can carry the port with catalog `key` inside TLS under the profile
    /// `profileName` (`sparkRPCTLS` and the rest above): `das`, for any DAS 3.x or a newer
    /// Spark in its place, and `spark` take both Spark 4's RPC TLS and Spark 1.x's HTTP
    /// server TLS.
    public static func mayWrapInTLS(key: String, profileName: String) -> Bool {
        switch profileName {
        case "das-3.0": return akkaTLS.contains(key) || sparkHTTPServerTLS.contains(key)
        case "das-3.1", "das-3.2": return key == "sparkDriverActorSystem" || sparkHTTPServerTLS.contains(key)
        default: return sparkRPCTLS.contains(key) || sparkHTTPServerTLS.contains(key)
        }
    }

    /// Every catalog key for which some profile states a protocol.
    public static var statedKeys: Set<String> { Set(byKey.keys).union(spark14.keys).union(spark16.keys) }

    /// The protocol the port with catalog `key` speaks under the profile `profileName`, or
    /// nil when the catalog states none.
    public static func expected(key: String, profileName: String) -> ProtocolName? {
        switch profileName {
        case "das-3.0": return spark14[key] ?? byKey[key]
        case "das-3.1", "das-3.2": return spark16[key] ?? byKey[key]
        default: return byKey[key]
        }
    }
}

extension Policy {
    /// The protocol the port with catalog `key` speaks under this policy's profile.
    public func expectedProtocol(key: String) -> ProtocolName? {
        PortProtocols.expected(key: key, profileName: profileName)
    }

    /// What the service on `port` (the opening of catalog `key`, if any) should speak: the
    /// protocol its `allow:` entry states, which wins over the catalog's, since it is the
    /// auditor's word about this site (the thrift port wrapped in TLS); else the catalog's.
    public func expectedProtocol(port: UInt16, key: String?) -> ProtocolName? {
        allowedProtocols[port] ?? key.flatMap(expectedProtocol(key:))
    }

    /// Whether the service on `port` (catalog `key`) may speak TLS in place of its catalog
    /// protocol: Spark's own encryption of that port (`PortProtocols.mayWrapInTLS`). Not
    /// when an `allow:` entry states the port's protocol: the site's word is the whole word.
    public func mayWrapInTLS(port: UInt16, key: String?) -> Bool {
        guard allowedProtocols[port] == nil, let key else { return false }
        return PortProtocols.mayWrapInTLS(key: key, profileName: profileName)
    }

    /// What an expected opening speaks: as `expectedProtocol(port:key:)` for one port, the
    /// catalog's for a range.
    public func expectedProtocol(of opening: ExpectedOpenings.Opening) -> ProtocolName? {
        opening.ports.lowerBound == opening.ports.upperBound
            ? expectedProtocol(port: opening.ports.lowerBound, key: opening.key) : expectedProtocol(key: opening.key)
    }
}
