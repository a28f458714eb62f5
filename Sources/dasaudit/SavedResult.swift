import ArgumentParser
import Audit
import Foundation
import Reports

/// A JSON result read back from a file or standard input (`render`, `diff`): checked as
/// it is decoded (`JSONReport.parse`), and when it cannot be used, an error naming the
/// path and the field, and exit 2.
enum SavedResult {
    /// Reads `path` (`-`: standard input). Prints the problem and throws `ExitCode(2)`
    /// when it is not a readable dasaudit result.
    static func read(_ path: String) throws -> AuditResult {
        do {
            let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: path))
            return try JSONReport.parse(data)
        } catch {
            printError("\(path) is not a readable dasaudit result: \(reason(error))")
            throw ExitCode(2)
        }
    }

    /// A decoding error in words: which field, and what was wrong with it.
    static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "missing '\(path(context.codingPath + [key]))'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            "at '\(path(context.codingPath))': \(context.debugDescription)"
        default:
            (error as NSError).localizedDescription
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }
}
