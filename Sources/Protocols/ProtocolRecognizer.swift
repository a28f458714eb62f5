/// Names what a connection speaks from the first payload bytes of each side
/// (docs/protocols.md, "Which side names the protocol").
///
/// **The server's bytes decide.** What a server sends first says what listens on its port,
/// whatever its client sent: nginx without `ssl` answers a ClientHello with a plaintext
/// `HTTP/1.1 400`, and that port speaks HTTP; a TLS server answers a plaintext request with
/// an alert, and that port speaks TLS. The client's bytes name the connection only where
/// the server's say nothing: it sent none, or none a recognizer knows. And a server side
/// the capture cut while a recognizer other than the client's protocol was still undecided
/// lets the client's protocol through no more (`unknown` instead): its whole bytes might
/// have said otherwise, and a cut capture must never give a different protocol than the
/// whole one.
///
/// **But a hello answered in the clear is no TLS.** A TLS server answers a ClientHello with
/// a TLS record (a ServerHello, an alert) or with nothing; from the connection's start, a
/// line of text back that no recognizer names (`TextLine`: vsftpd's or an SMTP server's
/// `220` banner on the console's HTTPS port) says a plaintext service listens: the
/// connection is `other` (`unknown` picked up mid-stream, as any bytes no recognizer
/// knows), not the client's `tls`. Binary bytes back prove nothing: they may be the
/// middle of the ServerHello's record when the capture lost its first segment, or of any
/// record mid-stream, and the hello names the connection.
///
/// A PROXY protocol header a load balancer put before the client's bytes is passed over
/// (`ProxyProtocolHeader`): the client's protocol is what follows it.
///
/// When no side's bytes are named, the connection speaks `none` (no payload either way),
/// `unknown` (a recognizer could not decide because the capture cut the bytes, or the
/// connection was picked up mid-stream, so its first captured bytes need not start
/// anything), or `other`.
///
/// Within one side, the order puts the recognizers with the longest fixed patterns first;
/// no two of them accept the same bytes (each pattern's first bytes differ), so within a
/// side the order only matters for speed.
public enum ProtocolRecognizer {
    /// - Parameter fromStart: whether the connection's start was captured (a handshake
    ///   packet seen): if not, bytes no recognizer knows are `unknown`, not `other`.
    public static func recognize(client: PayloadBytes, server: PayloadBytes, fromStart: Bool = true) -> ProtocolEvidence {
        recognize(client: client, server: server, fromStart: fromStart, candidates: FirstByteCandidates.table)
    }

    /// `recognize(client:server:fromStart:)` with the table of the recognizers each first
    /// byte leaves (`FirstByteCandidates.table`) read once by the caller.
    public static func recognize(client: PayloadBytes, server: PayloadBytes, fromStart: Bool,
                                 candidates: FirstByteCandidates) -> ProtocolEvidence {
        recognize(client: client, server: server, fromStart: fromStart, trying: candidates)
    }

    /// `recognize(client:server:fromStart:)` with every recognizer tried on every side, as
    /// before the first byte picked the candidates (`FirstByteCandidates`): the reference
    /// the tests and the fuzz target hold the dispatched answer to.
    public static func recognizeTryingEvery(client: PayloadBytes, server: PayloadBytes, fromStart: Bool = true) -> ProtocolEvidence {
        recognize(client: client, server: server, fromStart: fromStart, trying: nil)
    }

    /// Inlined into each entry point: a call of its own cost 30 instructions a connection
    /// recognized (docs/performance-log.md, "December 7, tracking per connection").
    @inline(__always)
    private static func recognize(client firstBytes: PayloadBytes, server: PayloadBytes, fromStart: Bool,
                                  trying candidates: FirstByteCandidates?) -> ProtocolEvidence {
        guard firstBytes.sent || server.sent else { return .none }
        // A load balancer's PROXY protocol header says who the client is, not what it speaks.
        let client = ProxyProtocolHeader.clientBytes(after: firstBytes)
        let byServer = SideRecognition(client: .silent, server: server,
                                       trying: candidates?.recognizers(forServer: server) ?? SideRecognition.every)
        if let found = byServer.found { return found }
        let byClient = SideRecognition(client: client, server: .silent,
                                       trying: candidates?.recognizers(forClient: client) ?? SideRecognition.every)
        if let found = byClient.found {
            // Only the client's own protocol may be pending on a cut server side.
            let pending = server.isCut ? byServer.undecided & ~SideRecognition.bit(found.name) : 0
            if pending != 0 { return .unknown }
            // A hello answered by a line of text: TLS does not listen.
            if found.name == .tls && server.has(1) && byServer.undecided & SideRecognition.bit(.tls) == 0 {
                switch TextLine.begins(server) {
                case .yes: return fromStart ? .other : .unknown
                case .undecided: return .unknown
                case .no: break
                }
            }
            return found
        }
        let undecided = (byServer.undecided != 0 && server.isCut) || (byClient.undecided != 0 && client.isCut)
        return undecided || !fromStart ? .unknown : .other
    }
}

/// What the recognizers say of one side's bytes (the other side silent): the first that
/// recognizes them, and which were undecided.
struct SideRecognition {
    var found: ProtocolEvidence?
    /// The protocols whose recognizers were undecided (`bit(name)` each).
    var undecided: UInt32 = 0

    static func bit(_ name: ProtocolName) -> UInt32 { 1 << UInt32(name.rawValue) }

    /// Every recognizer's bit.
    static var every: UInt32 { .max }

    /// - Parameter trying: the recognizers to try (`bit(name)` each); the others are taken
    ///   to say no.
    init(client: PayloadBytes, server: PayloadBytes, trying: UInt32) {
        guard client.sent || server.sent, trying != 0 else { return }
        // Called one by one, not from an array of functions (nor a parameter pack, which
        // the compiler does not specialize): direct calls, with no reference count taken per
        // connection. That halved the recognition's time with millions of short connections
        // (docs/performance.md).
        if trying & Self.bit(.tls) != 0, tried(TLSRecognizer.self, .tls, client, server) { return }
        if trying & Self.bit(.ssh) != 0, tried(SSHRecognizer.self, .ssh, client, server) { return }
        if trying & Self.bit(.http2) != 0, tried(HTTP2Recognizer.self, .http2, client, server) { return }
        if trying & Self.bit(.http) != 0, tried(HTTPRecognizer.self, .http, client, server) { return }
        if trying & Self.bit(.jrmi) != 0, tried(JRMIRecognizer.self, .jrmi, client, server) { return }
        if trying & Self.bit(.hazelcast) != 0, tried(HazelcastRecognizer.self, .hazelcast, client, server) { return }
        if trying & Self.bit(.sparkRPC) != 0, tried(SparkRPCRecognizer.self, .sparkRPC, client, server) { return }
        if trying & Self.bit(.akka) != 0, tried(AkkaRecognizer.self, .akka, client, server) { return }
        if trying & Self.bit(.thrift) != 0, tried(ThriftRecognizer.self, .thrift, client, server) { return }
        if trying & Self.bit(.postgresql) != 0, tried(PostgreSQLRecognizer.self, .postgresql, client, server) { return }
        if trying & Self.bit(.mysql) != 0, tried(MySQLRecognizer.self, .mysql, client, server) { return }
        if trying & Self.bit(.redis) != 0, tried(RedisRecognizer.self, .redis, client, server) { return }
        if trying & Self.bit(.ldap) != 0 { _ = tried(LDAPRecognizer.self, .ldap, client, server) }
    }

    /// Whether `recognizer` (of `name`) recognized the bytes; notes it if undecided.
    private mutating func tried<R: Recognizer>(_ recognizer: R.Type, _ name: ProtocolName,
                                               _ client: PayloadBytes, _ server: PayloadBytes) -> Bool {
        switch recognizer.recognize(client: client, server: server) {
        case .recognized(let evidence):
            found = evidence
            return true
        case .undecided: undecided |= Self.bit(name)
        case .no: break
        }
        return false
    }
}

/// A recognizer of one protocol: a pure function of the first bytes of both sides.
protocol Recognizer {
    static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition
}

extension TLSRecognizer: Recognizer {}
extension SSHRecognizer: Recognizer {}
extension HTTP2Recognizer: Recognizer {}
extension HTTPRecognizer: Recognizer {}
extension JRMIRecognizer: Recognizer {}
extension HazelcastRecognizer: Recognizer {}
extension SparkRPCRecognizer: Recognizer {}
extension AkkaRecognizer: Recognizer {}
extension ThriftRecognizer: Recognizer {}
extension PostgreSQLRecognizer: Recognizer {}
extension MySQLRecognizer: Recognizer {}
extension RedisRecognizer: Recognizer {}
extension LDAPRecognizer: Recognizer {}
