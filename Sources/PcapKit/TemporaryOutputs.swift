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
    /// A temporary file: its name in the directory opened for it (`OutputDirectories`).
    private struct Entry: Hashable {
        let directory: Int32
        let name: String
    }
    nonisolated(unsafe) private static var paths: Set<Entry> = []
    private static let lock = NSLock()

    /// Notes a temporary file just created.
    static func add(_ name: String, in directory: Int32) {
        lock.withLock { _ = paths.insert(Entry(directory: directory, name: name)) }
    }

    /// Forgets a temporary file renamed over its report or removed.
    static func remove(_ name: String, in directory: Int32) {
        lock.withLock { _ = paths.remove(Entry(directory: directory, name: name)) }
    }

    /// Removes every temporary file still noted; the lock is kept, so that no writer notes
    /// or renames one afterwards (the process is about to end).
    static func removeAllAndHold() {
        lock.lock()
        for entry in paths { unlinkat(entry.directory, entry.name, 0) }
        paths.removeAll()
    }
}
