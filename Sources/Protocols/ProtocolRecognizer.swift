/// Names what a connection speaks from the first payload bytes of each side: runs every
/// recognizer, the first that recognizes the bytes wins. When none does, the connection
/// speaks `none` (no payload either way), `unknown` (a recognizer could not decide because
/// the capture cut the bytes), or `other`.
///
/// The order puts the recognizers with the longest fixed patterns first; no two of them
/// accept the same bytes (each pattern's first bytes differ), so the order only matters
/// for speed.
public enum ProtocolRecognizer {
    typealias Recognize = @Sendable (PayloadBytes, PayloadBytes) -> Recognition

    static let recognizers: [Recognize] = [
        TLSRecognizer.recognize, SSHRecognizer.recognize, HTTP2Recognizer.recognize, HTTPRecognizer.recognize,
        JRMIRecognizer.recognize, HazelcastRecognizer.recognize, SparkRPCRecognizer.recognize,
        AkkaRecognizer.recognize, ThriftRecognizer.recognize, PostgreSQLRecognizer.recognize, MySQLRecognizer.recognize,
        RedisRecognizer.recognize, LDAPRecognizer.recognize,
    ]

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> ProtocolEvidence {
        guard client.sent || server.sent else { return .none }
        var undecided = false
        for recognize in recognizers {
            switch recognize(client, server) {
            case .recognized(let evidence): return evidence
            case .undecided: undecided = true
            case .no: break
            }
        }
        // Nothing captured of what was sent, or a recognizer stopped where the capture did.
        let cut = (client.sent && client.count == 0) || (server.sent && server.count == 0)
            || client.cutByCapture || server.cutByCapture
        return undecided && cut ? .unknown : .other
    }
}
