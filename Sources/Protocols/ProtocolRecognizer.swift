/// Names what a connection speaks from the first payload bytes of each side: runs every
/// recognizer, the first that recognizes the bytes wins. When none does, the connection
/// speaks `none` (no payload either way), `unknown` (a recognizer could not decide because
/// the capture cut the bytes), or `other`.
///
/// The order puts the recognizers with the longest fixed patterns first; no two of them
/// accept the same bytes (each pattern's first bytes differ), so the order only matters
/// for speed.
public enum ProtocolRecognizer {
    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> ProtocolEvidence {
        guard client.sent || server.sent else { return .none }
        var undecided = false
        /// What `recognizer` found, noting whether it was undecided.
        func tried<R: Recognizer>(_ recognizer: R.Type) -> ProtocolEvidence? {
            switch recognizer.recognize(client: client, server: server) {
            case .recognized(let evidence): return evidence
            case .undecided: undecided = true
            case .no: break
            }
            return nil
        }
        // Called one by one, not from an array of functions (nor a parameter pack, which
        // the compiler does not specialize): direct calls, with no reference count taken per
        // connection. That halved the recognition's time with millions of short connections
        // (docs/performance.md).
        if let found = tried(TLSRecognizer.self) { return found }
        if let found = tried(SSHRecognizer.self) { return found }
        if let found = tried(HTTP2Recognizer.self) { return found }
        if let found = tried(HTTPRecognizer.self) { return found }
        if let found = tried(JRMIRecognizer.self) { return found }
        if let found = tried(HazelcastRecognizer.self) { return found }
        if let found = tried(SparkRPCRecognizer.self) { return found }
        if let found = tried(AkkaRecognizer.self) { return found }
        if let found = tried(ThriftRecognizer.self) { return found }
        if let found = tried(PostgreSQLRecognizer.self) { return found }
        if let found = tried(MySQLRecognizer.self) { return found }
        if let found = tried(RedisRecognizer.self) { return found }
        if let found = tried(LDAPRecognizer.self) { return found }
        // Nothing captured of what was sent, or a recognizer stopped where the capture did.
        let cut = (client.sent && client.count == 0) || (server.sent && server.count == 0)
            || client.cutByCapture || server.cutByCapture
        return undecided && cut ? .unknown : .other
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
