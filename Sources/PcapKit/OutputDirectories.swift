import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The directories reports and `--metrics-file` are written in, each opened once, when
/// its output is checked (`OutputTarget.checking`), and kept open for the whole run: the
/// temporary file is created, renamed and removed relative to that descriptor (`openat`,
/// `renameat`, `unlinkat`), as `live --write` creates its captures (`EvidenceDirectory`).
///
/// Resolving the path again at every write let a user who owns a directory on the way
/// (`/tmp/x/sub`, made by that user in a sticky `/tmp/x`) swap it for a link during a
/// long live run, after the check: root's reports and metrics then went wherever the link
/// pointed. Now a directory renamed or replaced after the check changes nothing: the
/// files go into the directory that was checked.
enum OutputDirectories {
    nonisolated(unsafe) private static var opened: [String: Int32] = [:]
    private static let lock = NSLock()

    /// The descriptor of `directory`, opened the first time it is asked for (`O_DIRECTORY`),
    /// or nil with errno set when it cannot be opened.
    static func descriptor(of directory: String) -> Int32? {
        lock.withLock {
            if let descriptor = opened[directory] { return descriptor }
            let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            opened[directory] = descriptor
            return descriptor
        }
    }
}
