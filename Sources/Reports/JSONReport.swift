import Audit
import Foundation

/// The JSON result: the contract other tools read (`dasaudit.result/1`). Keys are sorted
/// and snake_case, so the same audit always gives the same bytes.
public enum JSONReport {
    public static func render(_ result: AuditResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(result), as: UTF8.self) + "\n"
    }

    /// Reads a result written by `render`.
    public static func parse(_ data: Data) throws -> AuditResult {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(AuditResult.self, from: data)
    }
}
