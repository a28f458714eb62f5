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
        let (found, undecided) = first(
            TLSRecognizer.self, SSHRecognizer.self, HTTP2Recognizer.self, HTTPRecognizer.self, JRMIRecognizer.self,
            HazelcastRecognizer.self, SparkRPCRecognizer.self, AkkaRecognizer.self, ThriftRecognizer.self,
            PostgreSQLRecognizer.self, MySQLRecognizer.self, RedisRecognizer.self, LDAPRecognizer.self,
            client: client, server: server)
        if let found { return found }
        // Nothing captured of what was sent, or a recognizer stopped where the capture did.
        let cut = (client.sent && client.count == 0) || (server.sent && server.count == 0)
            || client.cutByCapture || server.cutByCapture
        return undecided && cut ? .unknown : .other
    }

    /// What the first of `recognizers` to recognize the bytes found, and whether any before
    /// it was undecided. A parameter pack rather than an array of functions: each call is
    /// direct, so a connection's recognition takes no reference count and no indirect call
    /// (a sixth of the tracking thread's time went there with millions of short connections,
    /// docs/performance.md).
    @inline(__always)
    private static func first<each R: Recognizer>(_ recognizers: repeat (each R).Type,
                                                  client: PayloadBytes, server: PayloadBytes)
        -> (found: ProtocolEvidence?, undecided: Bool) {
        var undecided = false
        for recognizer in repeat each recognizers {
            switch recognizer.recognize(client: client, server: server) {
            case .recognized(let evidence): return (evidence, undecided)
            case .undecided: undecided = true
            case .no: break
            }
        }
        return (nil, undecided)
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
