/// What a connection speaks, as named in the result (`protocol`, `protocols`): the
/// application protocols the DAS and Spark catalog uses, and three names for what is not
/// one of them.
///
/// The raw values are stable (they are stored in a connection's 2-byte evidence); the
/// `name` is what reports and policies use.
public enum ProtocolName: UInt8, CaseIterable, Sendable, Hashable, Comparable {
    /// The start of the payload was not captured: the snapshot length cut it before a
    /// recognizer could decide, or the connection was picked up mid-stream and its first
    /// captured bytes are no protocol's start (they may continue a record begun before the
    /// capture). Nothing can be said either way.
    case unknown = 0
    /// No payload in either direction (a handshake and a close, or a refused connect).
    case none = 1
    /// Payload seen and captured from the connection's start, but no recognizer knows it.
    case other = 2
    case tls = 3
    case http = 4
    /// HTTP/2 in the clear ("prior knowledge": the client's connection preface).
    case http2 = 5
    /// Apache Thrift, binary (strict or old style) or compact protocol, framed or not.
    case thrift = 6
    /// Spark's network-common transport (RPC, block transfer, shuffle service), SASL and
    /// auth handshakes included.
    case sparkRPC = 7
    /// Akka classic remoting over TCP, the RPC of Spark 1.x (DAS 3.0).
    case akka = 8
    /// Hazelcast member-to-member or client protocol.
    case hazelcast = 9
    /// Java RMI's JRMP transport (JMX remote, the RMI registry).
    case jrmi = 10
    case ssh = 11
    /// PostgreSQL's frontend/backend protocol 3.0 (a startup, SSL or cancel request).
    case postgresql = 12
    /// The MySQL protocol, MariaDB's too (the server's initial handshake).
    case mysql = 13
    /// Redis's RESP (a client's command array).
    case redis = 14
    /// LDAP v3 (a BER-encoded LDAPMessage from either side).
    case ldap = 15

    /// The name used in results, reports and policy files.
    public var name: String {
        switch self {
        case .unknown: "unknown"
        case .none: "none"
        case .other: "other"
        case .tls: "tls"
        case .http: "http"
        case .http2: "http2"
        case .thrift: "thrift"
        case .sparkRPC: "spark-rpc"
        case .akka: "akka"
        case .hazelcast: "hazelcast"
        case .jrmi: "jrmi"
        case .ssh: "ssh"
        case .postgresql: "postgresql"
        case .mysql: "mysql"
        case .redis: "redis"
        case .ldap: "ldap"
        }
    }

    /// The protocol with this name (as `name` spells it), or nil.
    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    /// Whether the name says what was spoken (not `unknown`, `none` or `other`).
    @inlinable public var isRecognized: Bool { rawValue >= ProtocolName.tls.rawValue }

    /// Whether every session of the protocol opens with bytes its recognizer knows, whatever
    /// its version: Java RMI's header (`JRMI`, version 2 since JDK 1.1) and SSH's
    /// identification string (`SSH-`, RFC 4253, from both sides). On a port that speaks one
    /// of them, `other` is then no version the recognizer missed but another protocol.
    @inlinable public var alwaysRecognized: Bool { self == .jrmi || self == .ssh }

    /// Whether the protocol carries its content in the clear (every recognized protocol
    /// but TLS and SSH). `other` counts too: on a port that must carry TLS, bytes that are
    /// not a TLS record are not encrypted by TLS.
    @inlinable public var isPlaintext: Bool { self != .tls && self != .ssh && (isRecognized || self == .other) }

    /// Whether a port whose protocol is `expected` (its catalog port's or its `allow:`
    /// entry's) may carry this one: the same, or the other of HTTP/1.x and HTTP/2 in the
    /// clear, both ways. They are one family: the same web server speaks both on one port,
    /// and an h2c upgrade begins as an HTTP/1.1 request, so a port said to speak `http2`
    /// carries HTTP/1.1 too, as a port said to speak `http` carries HTTP/2.
    public func satisfies(_ expected: ProtocolName) -> Bool {
        self == expected || (isHTTP && expected.isHTTP)
    }

    /// Whether speaking this shows the port is not one whose protocol is `expected`: a
    /// recognized protocol in the clear that does not satisfy it. TLS does not: what it
    /// wraps is not seen (Spark's RPC over TLS is still Spark's RPC port).
    public func contradicts(_ expected: ProtocolName) -> Bool {
        isRecognized && self != .tls && !satisfies(expected)
    }

    /// HTTP/1.x or HTTP/2 in the clear.
    var isHTTP: Bool { self == .http || self == .http2 }

    public static func < (lhs: ProtocolName, rhs: ProtocolName) -> Bool { lhs.name < rhs.name }
}
