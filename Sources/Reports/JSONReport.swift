import Audit
import Foundation

/// The JSON result: the contract other tools read (`dasaudit.result/1`). Keys are sorted
/// and snake_case, so the same audit always gives the same bytes.
public enum JSONReport {
    public static func render(_ result: AuditResult) throws -> String {
        String(decoding: try ResultCoding.encoder().encode(result), as: UTF8.self) + "\n"
    }

    /// Reads a result written by `render`, checked as a whole (`AuditResult.decode`).
    public static func parse(_ data: Data) throws -> AuditResult {
        try AuditResult.decode(from: data)
    }
}
