import ArgumentParser
import Audit
import Foundation
import PcapKit
import Reports
import PathBytes

/// A JSON result read back from a file or standard input (`render`, `diff`, `merge`):
/// checked as it is decoded (`JSONReport.parse`), and when it cannot be used, an error
/// naming the path and the field, and exit 2.
enum SavedResult {
    /// Reads `path` (`-`: standard input). Prints the problem and throws `ExitCode(2)`
    /// when it is not a readable dasaudit result.
    static func read(_ path: String) throws -> AuditResult {
        switch attempt(path) {
        case .success(let result): return result
        case .failure(let unreadable):
            printError(unreadable.error)
            throw ExitCode(2)
        }
    }

    /// Reads `path` (`-`: standard input), or says why it is not a readable dasaudit
    /// result, without printing: `merge` merges the others and names it.
    static func attempt(_ path: String) -> Result<AuditResult, UnreadableResult> {
        do {
            return .success(try JSONReport.parse(try bytes(of: path)))
        } catch {
            return .failure(UnreadableResult(path: path, problem: "\(error)"))
        }
    }

    /// Why an input gave no bytes to parse, in words.
    private struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    /// The bytes of `path` (`-`: standard input), read as a stream to its end, so a FIFO,
    /// `<(...)` or `/dev/stdin` reads as a file does; as with `cat`, opening a FIFO waits
    /// for its writer.
    private static func bytes(of path: String) throws -> Data {
        if path == "-" && StandardStreams.inputClosed { throw Unreadable(description: StandardStreams.inputClosedReason) }
        let descriptor = path == "-" ? STDIN_FILENO : open(path.fileSystemPath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Unreadable(description: POSIXFile.describe(errno)) }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }
        var bytes = Data()
        guard POSIXFile.readToEnd(descriptor, into: &bytes) else {
            throw Unreadable(description: errno == EISDIR ? "a directory, not a JSON result" : POSIXFile.describe(errno))
        }
        if bytes.isEmpty { throw Unreadable(description: "empty (0 bytes), not a JSON result") }
        return bytes
    }
}
