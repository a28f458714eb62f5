#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a report to an `OutputTarget` so that a failure never costs the last good copy
/// and a link planted at the path never redirects the write:
///
/// - a file is written to a new temporary file in the same directory (`.NAME.XXXXXX.tmp`,
///   created with `O_CREAT|O_EXCL|O_NOFOLLOW`), flushed to disk with `fsync`, then renamed
///   over the path. Until the rename the old file is untouched; after it the new one is
///   whole. On any failure the temporary file is removed. A link at the path is replaced by
///   the rename, so the file it pointed at keeps its content. A new file gets mode 0644
///   (less the umask): reports hold addresses, ports and hashes, no packet contents; a
///   file replaced keeps its permission bits (less write for others), so a report kept
///   private stays private;
/// - a character device or FIFO is written in place, opened with `O_NOFOLLOW` outside
///   `/dev` and `/proc/self/fd`, and only if it still is one once opened;
/// - standard output is written as it is.
public enum OutputFile {
    /// Why a report could not be written, naming the path and the system's reason.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `text` to `target`.
    public static func write(_ text: String, to target: OutputTarget) throws(Failure) {
        var text = text
        let failure = text.withUTF8 { bytes -> Failure? in
            do throws(Failure) {
                try write(UnsafeRawBufferPointer(bytes), to: target)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Writes `bytes` to `target`.
    public static func write(_ bytes: UnsafeRawBufferPointer, to target: OutputTarget) throws(Failure) {
        switch target {
        case .standardOutput:
            guard POSIXFile.write(STDOUT_FILENO, bytes) else { throw Failure(path: "standard output", reason: describeErrno()) }
        case .stream(let path):
            try writeInPlace(bytes, to: path)
        case .replacedFile(let path):
            try replace(path, with: bytes)
        }
    }

    /// The temporary file's name for `path`: hidden (so a directory of captures read by
    /// `dasaudit audit DIR` skips it) and unique.
    static func temporaryPath(for path: String) -> String {
        let directory = PathName.directory(of: path), name = PathName.name(of: path)
        let suffix = String(UInt64.random(in: 0 ... .max), radix: 36)
        return (directory == "/" ? "/" : directory + "/") + ".\(name).\(suffix).tmp"
    }

    private static func replace(_ path: String, with bytes: UnsafeRawBufferPointer) throws(Failure) {
        var existing = stat()
        // The permission bits of a file replaced, but never writable by everyone.
        let keptMode = lstat(path, &existing) == 0 && existing.st_mode & S_IFMT == S_IFREG ? existing.st_mode & 0o775 : nil
        var temporary = temporaryPath(for: path)
        var descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        while descriptor < 0 && errno == EEXIST {
            temporary = temporaryPath(for: path)
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        }
        guard descriptor >= 0 else { throw Failure(path: path, reason: "cannot create a file in its directory: \(describeErrno())") }
        var failure: String?
        if let keptMode, fchmod(descriptor, keptMode) != 0 { failure = describeErrno() }
        if failure == nil && !POSIXFile.write(descriptor, bytes) { failure = describeErrno() }
        if failure == nil && fsync(descriptor) != 0 { failure = describeErrno() }
        if close(descriptor) != 0 && failure == nil { failure = describeErrno() }
        if failure == nil && rename(temporary, path) != 0 { failure = describeErrno() }
        if let failure {
            unlink(temporary)
            throw Failure(path: path, reason: failure)
        }
        syncDirectory(of: path)
    }

    private static func writeInPlace(_ bytes: UnsafeRawBufferPointer, to path: String) throws(Failure) {
        let noFollow = OutputTarget.followsLinks(path) ? 0 : O_NOFOLLOW
        let descriptor = open(path, O_WRONLY | O_CLOEXEC | noFollow)
        guard descriptor >= 0 else { throw Failure(path: path, reason: describeErrno()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, [S_IFCHR, S_IFIFO].contains(status.st_mode & S_IFMT) else {
            throw Failure(path: path, reason: "it is no longer a device or FIFO")
        }
        guard POSIXFile.write(descriptor, bytes) else { throw Failure(path: path, reason: describeErrno()) }
    }

    /// Makes the rename itself durable; a directory that cannot be synced loses nothing
    /// but that guarantee, so a failure here is not reported.
    private static func syncDirectory(of path: String) {
        let directory = open(PathName.directory(of: path), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else { return }
        fsync(directory)
        close(directory)
    }

    private static func describeErrno() -> String {
        errno == 0 ? "short write" : POSIXFile.describe(errno)
    }
}
