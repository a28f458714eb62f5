import Flows
import Policy
import Protocols

/// The findings a service earns by what it speaks, against what its catalog port (or its
/// allowed port) says it should speak (`Policy.expectedProtocol`, docs/protocols.md):
///
/// - `plaintext-on-tls-port` (high): a port whose protocol is TLS carried connections that
///   were not TLS (a recognized plaintext protocol, or bytes that are no TLS record); told
///   apart when only clients spoke in the clear (the service sent nothing back);
/// - `protocol-mismatch` (high): an expected port carried a recognized protocol other than
///   its own (HTTP on the thrift port). Bytes no recognizer knows (`other`) are not
///   evidence enough here: a recognizer may not know every version of a protocol; except
///   on a port whose protocol always opens alike (`ProtocolName.alwaysRecognized`: Java
///   RMI, SSH), where they are another protocol;
/// - `deprecated-tls` (medium): SSLv2, SSLv3, TLS 1.0 or TLS 1.1 negotiated, on any port.
///
/// The first two count the connections of the service's clients, not a port scanner's
/// probes (`ServiceTraffic.protocolCountsBesidesScanners`): a version scan speaks HTTP,
/// LDAP and more to every open port, whatever listens. A finding on the rest says how many
/// of the scanners' connections it left out.
///
/// Connections whose bytes were not captured (`unknown`) or that carried none (`none`)
/// prove nothing either way and earn nothing.
struct ProtocolFindings {
    let policy: Policy

    /// The protocol `service`'s port should speak, if the policy states one: its `allow:`
    /// entry's, else its catalog port's (`Policy.expectedProtocol(port:key:)`).
    func expected(for service: ClassifiedService) -> ProtocolName? {
        switch service.verdict.classification {
        case .expected, .executor, .allowed:
            return policy.expectedProtocol(port: service.endpoint.port, key: service.verdict.catalogKey)
        default:
            return nil
        }
    }

    func findings(for service: ClassifiedService) -> [Finding] {
        // Most services earn nothing here: they say so before any text is made.
        let expected = expected(for: service)
        guard expected != nil || Self.negotiatedDeprecatedTLS(service.traffic) else { return [] }
        let endpoint = "\(service.endpoint)"
        let traffic = service.traffic
        var findings: [Finding] = []
        func finding(_ kind: Finding.Kind, _ severity: Severity, _ message: String, _ remediation: String) -> Finding {
            Finding(kind: kind, severity: severity, port: service.endpoint.port, address: service.address,
                    node: service.node?.name, message: message, remediation: remediation)
        }
        let key = portName(for: service)
        if let expected {
            // Port scanners' probes are no client of the service: left out, and named.
            let spoken = traffic.protocolCountsBesidesScanners.dictionary
            let isPlaintext = { (name: ProtocolName) in expected == .tls && name.isPlaintext }
            let plaintext = spoken.filter { isPlaintext($0.key) }
            if !plaintext.isEmpty {
                let (message, remediation) = Self.plaintextOnTLSPort(plaintext, traffic, endpoint: endpoint, key: key)
                findings.append(finding(.plaintextOnTLSPort, .high, message + Self.scannersLeftOut(traffic, isPlaintext),
                                        remediation))
            }
            // TLS on a Spark port is Spark's own encryption of it (spark.ssl.rpc.enabled and
            // the like), not another service: its version is still judged below.
            let wrapped = policy.mayWrapInTLS(port: service.endpoint.port, key: service.verdict.catalogKey)
            let isMismatch = { (name: ProtocolName) in
                !name.satisfies(expected) && !(name == .tls && wrapped) && !isPlaintext(name)
                    && (name.isRecognized || (name == .other && expected.alwaysRecognized))
            }
            let mismatched = spoken.filter { isMismatch($0.key) }
            let other = Self.counted(mismatched)
            if !other.isEmpty {
                let unknownBytes = mismatched[.other] == nil ? ""
                    : " (bytes no recognizer knows, where every \(expected.name) session opens with bytes its recognizer knows)"
                findings.append(finding(.protocolMismatch, .high,
                    "\(endpoint) is \(key), which speaks \(expected.name), but carried \(other)" + unknownBytes
                        + Self.scannersLeftOut(traffic, isMismatch),
                    "Find the process listening there (ss -ltnp 'sport = :\(service.endpoint.port)'): another "
                        + "service took the catalog port, or clients send the wrong protocol to it."))
            }
        }
        let deprecated = traffic.tlsVersions.filter { $0.key.isDeprecated && $0.value > 0 }
        if !deprecated.isEmpty {
            let versions = deprecated.sorted { $0.key < $1.key }
                .map { "\(Self.versionName($0.key)) (\($0.value) connection\($0.value == 1 ? "" : "s"))" }
            findings.append(finding(.deprecatedTLS, .medium,
                "\(endpoint)\(service.verdict.catalogKey.map { " (\($0))" } ?? "") negotiated "
                    + versions.joined(separator: ", ") + ", deprecated by RFC 8996 (TLS 1.0, 1.1) and RFC 7568 (SSLv3)",
                "Allow only TLS 1.2 and 1.3 on this service (Tomcat: sslEnabledProtocols=\"TLSv1.2,TLSv1.3\" in "
                    + "catalina-server.xml; Thrift/JVM services: jdk.tls.disabledAlgorithms or their protocol list)."))
        }
        return findings
    }

    /// `plaintext-on-tls-port`, told by who spoke in the clear. When the server answered
    /// none of those connections (`unansweredPlaintextConnections`: it sent nothing back, as
    /// a TLS server waiting for a hello does), only clients sent plaintext: it still crossed
    /// the wire, but what to fix is their configuration. Otherwise the service answered in
    /// the clear too, which is what a plaintext service on the port does, and also what a
    /// TLS server that answers plaintext clients with a plaintext error does (nginx's `400
    /// The plain HTTP request was sent to HTTPS port`).
    static func plaintextOnTLSPort(_ plaintext: [ProtocolName: UInt64], _ traffic: ServiceTally.Traffic,
                                   endpoint: String, key: String) -> (message: String, remediation: String) {
        let counted = Self.counted(plaintext)
        if traffic.unansweredPlaintextBesidesScanners == plaintext.values.reduce(0, +) {
            return ("\(endpoint) is \(key), whose protocol is TLS, but clients sent \(counted) in the clear, "
                        + "which the service did not answer" + inBandTLSNote(plaintext.keys),
                    "Configure these clients for TLS (https:// or ssl:// URLs, the SSL receiver port, their "
                        + "truststore): they send their requests, and any credentials in them, in the clear; the "
                        + "service itself answered none of them in the clear.")
        }
        return ("\(endpoint) is \(key), whose protocol is TLS, but carried \(counted) that began in the clear"
                    + inBandTLSNote(plaintext.keys),
                "Configure the service on this port for TLS (its keystore and SSL connector), and move plaintext "
                        + "clients to the TLS port; check that nothing else took the port. A TLS server that answers "
                    + "plaintext requests with a plaintext error (nginx: 400 \"The plain HTTP request was sent to "
                    + "HTTPS port\") is configured right: then configure its clients for TLS.")
    }

    /// "; besides these, 6 connections of http, 2 of ldap from 10.77.0.10, which port-scanned
    /// (its port-scan finding), are left out": the marked scanners' connections of the
    /// protocols `counts` picks, which a finding on the rest names; "" when there are none.
    static func scannersLeftOut(_ traffic: ServiceTally.Traffic, _ counts: (ProtocolName) -> Bool) -> String {
        let left = traffic.scannerProtocolCounts.dictionary.filter { counts($0.key) }
        guard !left.isEmpty else { return "" }
        let scanners = traffic.scanners(speaking: left.keys).map(AddressText.of).joined(separator: ", ")
        return "; besides these, \(Self.counted(left)) from \(scanners), which port-scanned (its port-scan finding), "
            + "are left out"
    }

    /// Whether `traffic` negotiated a deprecated TLS version on any connection (read from
    /// the counters, without building their dictionary).
    static func negotiatedDeprecatedTLS(_ traffic: ServiceTally.Traffic) -> Bool {
        TLSVersion.allCases.contains { $0.isDeprecated && traffic.tlsVersionCounts[$0] > 0 }
    }

    /// Spark Connect's gRPC port (`spark.connect.grpc.binding.port`, Spark 3.4 and later):
    /// no DAS configuration moves it.
    static let sparkConnectPort: UInt16 = 15002

    /// The hint for HTTP/2 in the clear: a client's prior-knowledge preface, which gRPC
    /// clients send and browsers never do (they speak HTTP/2 only inside TLS). On Spark
    /// Connect's default port, that is Spark Connect; elsewhere, some gRPC server. (The text
    /// before the first colon labels the port in the services table.)
    static func http2Hint(port: UInt16) -> String {
        port == sparkConnectPort
            ? "Spark Connect: HTTP/2 in the clear on its default port, the Spark Connect gRPC server "
                + "(spark.connect.grpc.binding.port; Spark 3.4 and later)"
            : "it speaks HTTP/2 in the clear: a gRPC server (Spark Connect on a moved spark.connect.grpc.binding.port, "
                + "or another) or a web server; its client sent HTTP/2's preface without TLS, as gRPC clients do"
    }

    /// For a service on a port the policy does not explain: what its protocol says about it.
    func hint(for service: ClassifiedService) -> String? {
        guard service.verdict.classification == .unexpected else { return nil }
        switch service.traffic.protocolBesidesScanners {
        case .sparkRPC:
            // The port rules explained it already (a retry of a pinned Spark port, or a key
            // the installation sets that dasaudit does not read): the protocol only confirms.
            if service.verdict.hint != nil { return "it speaks Spark RPC" }
            return sparkRPCHint(port: service.endpoint.port)
        case .akka:
            return "it speaks Akka remoting: a Spark 1.x actor system on an unpinned port (spark.driver.port, "
                + "spark.executor.port)"
        case .http:
            return "it speaks HTTP: a web server or UI"
        case .http2:
            return Self.http2Hint(port: service.endpoint.port)
        case .tls:
            let versions = service.traffic.tlsVersionsSeen.map(Self.versionName)
            return "it speaks TLS" + (versions.isEmpty ? "" : " (\(versions.joined(separator: ", ")))")
                + ": an encrypted service, perhaps a web server or an SSL receiver"
        case .thrift: return "it speaks Thrift: an event receiver or another Thrift service"
        case .jrmi: return "it speaks Java RMI: a JMX or RMI endpoint"
        case .hazelcast: return "it speaks Hazelcast: a cluster member or client port"
        case .ssh: return "it speaks SSH"
        case .postgresql: return "it speaks PostgreSQL: a database server"
        case .mysql: return "it speaks MySQL: a MySQL or MariaDB server"
        case .redis: return "it speaks Redis"
        case .ldap: return "it speaks LDAP: a directory server"
        case .other, .unknown, .none: return nil
        }
    }

    /// "12 connections of http, 1 of other".
    static func counted(_ protocols: [ProtocolName: UInt64]) -> String {
        let sorted = protocols.filter { $0.value > 0 }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        return sorted.enumerated().map { index, entry in
            "\(entry.value) \(index == 0 ? "connection\(entry.value == 1 ? "" : "s") " : "")of \(entry.key.name)"
        }.joined(separator: ", ")
    }

    /// "TLS 1.0", "SSLv3".
    static func versionName(_ version: TLSVersion) -> String {
        version.name.hasPrefix("SSL") ? version.name : "TLS \(version.name)"
    }
}
