import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The directories reports, `--metrics-file` and `--events` are written in, each opened
/// once, when its output is checked (`OutputTarget.checking`), and kept open for the whole
/// run: the temporary file is created, renamed and removed relative to that descriptor
/// (`openat`, `renameat`, `unlinkat`), as `live --write` creates its captures
/// (`EvidenceDirectory`), and the directory's type, owner and mode are read from it
/// (`fstat`).
///
/// Resolving the path again at every write let a user who owns a directory on the way
/// (`/tmp/x/sub`, made by that user in a sticky `/tmp/x`) swap it for a link during a
/// long live run, after the check: root's reports and metrics then went wherever the link
/// pointed. Now a directory renamed or replaced after the check changes nothing: the
/// files go into the directory that was checked.
///
/// The check and the open are one step too (`DirectoryWalk`): each level is opened relative
/// to the one above with `O_NOFOLLOW`, and a link on the way is followed only after its
/// owner was read from the link itself. Checking the levels with `lstat` and then opening
/// the path left a moment in which such a user could put its link in place.
enum OutputDirectories {
    nonisolated(unsafe) private static var opened: [String: Int32] = [:]
    private static let lock = NSLock()

    /// The descriptor of `directory` (for writing `path` in it), opened the first time it
    /// is asked for (`DirectoryWalk.open`); the reason in words when it cannot be.
    static func open(_ directory: String, for path: String) throws(OutputProblem) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        if let descriptor = opened[directory] { return descriptor }
        let descriptor = try DirectoryWalk.open(directory, for: path)
        opened[directory] = descriptor
        return descriptor
    }

    /// Closes `directory`'s descriptor, when the output checked in it is refused after all:
    /// nothing is written there, and a descriptor kept would hold its file system busy
    /// (a mount point could not be unmounted while the process runs).
    static func close(_ directory: String) {
        lock.withLock { opened.removeValue(forKey: directory).map(closeDescriptor) }
    }

    /// The descriptor of `directory` if it was opened already, else nil.
    static func descriptor(of directory: String) -> Int32? {
        lock.withLock { opened[directory] }
    }
}

private func closeDescriptor(_ descriptor: Int32) { close(descriptor) }
