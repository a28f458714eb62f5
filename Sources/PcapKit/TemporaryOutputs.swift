import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The temporary files of the reports being written (`OutputFile.Writer`), so that a run
/// that quits at once (a second Ctrl-C, `PacketWriteGate.quit`) removes them first: a
/// report cut by the quit would otherwise stay behind as a hidden `.NAME.XXXX.tmp`, as
/// large as the report, in the report's directory.
public enum TemporaryOutputs {
    nonisolated(unsafe) private static var paths: Set<String> = []
    private static let lock = NSLock()

    /// Notes a temporary file just created.
    static func add(_ path: String) {
        lock.withLock { _ = paths.insert(path) }
    }

    /// Forgets a temporary file renamed over its report or removed.
    static func remove(_ path: String) {
        lock.withLock { _ = paths.remove(path) }
    }

    /// Removes every temporary file still noted; the lock is kept, so that no writer notes
    /// or renames one afterwards (the process is about to end).
    static func removeAllAndHold() {
        lock.lock()
        for path in paths { unlink(path) }
        paths.removeAll()
    }
}
