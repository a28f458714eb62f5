import Audit
import Foundation

/// The JSON result: the contract other tools read (`dasaudit.result/1`). Keys are sorted
/// and snake_case, so the same audit always gives the same bytes.
public enum JSONReport {
    /// Writes `result` to `sink` while it is produced (`JSONResultWriter`): the bytes of
    /// `ResultCoding.encoder()`, then a newline.
    public static func write(_ result: AuditResult, to sink: ByteSink) throws {
        try JSONResultWriter.write(result, to: sink)
    }

    /// The JSON of `result` as one string (`write`, collected in memory).
    public static func render(_ result: AuditResult) throws -> String {
        try ByteSink.collect { try write(result, to: $0) }
    }

    /// Reads a result written by `render`, checked as a whole (`AuditResult.decode`).
    public static func parse(_ data: Data) throws -> AuditResult {
        try AuditResult.decode(from: data)
    }
}
