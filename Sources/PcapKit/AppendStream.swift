#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output written bit by bit as a run goes on (`live --events`): a checked
/// `OutputTarget` opened once and kept open, so every line reaches the reader as soon as
/// it is written. Standard output is written as it is; a device or FIFO in place (opened
/// without following a link, and only if it still is one once opened); a file is appended
/// to, created 0600 if missing (`O_APPEND|O_CREAT|O_NOFOLLOW`), never followed through a
/// link and never truncated, so an event log keeps what earlier runs wrote. A FIFO is
/// opened without waiting for its reader (`O_NONBLOCK`, cleared once open): one no process
/// reads yet fails at once, in words, where a plain open would block the run unnoticed.
public final class AppendStream: Sendable {
    public let target: OutputTarget
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Whether a write can wait on a reader (standard output to a pipe, a FIFO, a
    /// terminal): then it is written through `OutputStop`, so a stop ends the wait.
    private let waitsOnReader: Bool

    /// Opens `target`; throws naming the path and the system's reason.
    public init(_ target: OutputTarget) throws(OutputFile.Failure) {
        self.target = target
        switch target {
        case .standardOutput:
            guard !StandardStreams.outputClosed else {
                throw OutputFile.Failure(path: "standard output", reason: StandardStreams.outputClosedReason)
            }
            descriptor = STDOUT_FILENO
            ownsDescriptor = false
            waitsOnReader = OutputStop.mayWait(STDOUT_FILENO)
            return
        case .stream(let path), .replacedFile(let path):
            let noFollow = OutputTarget.followsLinks(path) ? 0 : O_NOFOLLOW
            let flags = O_WRONLY | O_APPEND | O_CLOEXEC | noFollow | (target == .replacedFile(path: path) ? O_CREAT : O_NONBLOCK)
            // A file is opened in its directory as checked (`OutputDirectories`), never by
            // its path again: a level on the way swapped since cannot send it elsewhere.
            let opened: Int32
            if target == .replacedFile(path: path) {
                do throws(OutputProblem) {
                    opened = openat(try OutputDirectories.open(PathName.directory(of: path), for: path), PathName.name(of: path),
                                    flags, 0o600)
                } catch {
                    throw OutputFile.Failure(path: path, reason: "cannot open its directory: \(error)")
                }
            } else {
                opened = open(path, flags, 0o600)
            }
            guard opened >= 0 else {
                let code = errno
                var status = stat()
                // ENXIO: a FIFO opened without waiting has no reader (docs/live.md).
                if code == ENXIO, stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFIFO {
                    throw OutputFile.Failure(path: path, reason: "it is a FIFO no process reads yet: start its reader first")
                }
                // O_NOFOLLOW says ELOOP for a link, and a sticky directory's protection EACCES
                // for another user's: say what the path is instead.
                if noFollow != 0, lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK {
                    throw OutputFile.Failure(path: path, reason: "it is a symbolic link, and events are appended to a file itself, never through a link")
                }
                throw OutputFile.Failure(path: path, reason: POSIXFile.describe(code))
            }
            var status = stat()
            let kind = fstat(opened, &status) == 0 ? status.st_mode & S_IFMT : 0
            let expected: [mode_t] = target == .replacedFile(path: path) ? [S_IFREG] : [S_IFCHR, S_IFIFO]
            guard expected.contains(kind) else {
                close(opened)
                throw OutputFile.Failure(path: path, reason: "it is no longer what was checked (a regular file, a device or a FIFO)")
            }
            // Writes block again, as on any stream: a slow reader is waited for, not dropped.
            if flags & O_NONBLOCK != 0 { _ = fcntl(opened, F_SETFL, fcntl(opened, F_GETFL) & ~O_NONBLOCK) }
            descriptor = opened
            ownsDescriptor = true
            waitsOnReader = OutputStop.mayWait(opened)
        }
    }

    deinit { if ownsDescriptor { close(descriptor) } }

    /// Appends `text` whole; throws when the write fails (a full disk, a reader gone). A
    /// file is cut back to where it ended before the write, so a write cut short (the disk
    /// filled half way) leaves no half line that the next run's first line would be glued
    /// to: the log keeps whole lines only, which every NDJSON reader (`jq`) can go on reading.
    ///
    /// A write that waits on its reader (a FIFO, a pipe) ends as `OutputStop.write` does:
    /// at the process's stop request, or at `stoppedBy`'s (the signal that stopped the
    /// capture), once the reader has taken nothing for `OutputStop.graceSeconds`; it then
    /// throws that its reader was not reading when the signal came.
    public func write(_ text: String, stoppedBy stop: (@Sendable () -> String?)? = nil) throws(OutputFile.Failure) {
        var text = text
        var status = stat()
        var end: off_t?
        if case .replacedFile = target, fstat(descriptor, &status) == 0 { end = status.st_size }
        let path = target.path ?? "standard output"
        if waitsOnReader {
            let ended = text.withUTF8 { OutputStop.write(descriptor, UnsafeRawBufferPointer($0), stoppedBy: stop) }
            switch ended {
            case .written: return
            case .failed: throw OutputFile.Failure(path: path, reason: POSIXFile.describe(errno))
            case .stopped(let signal): throw OutputFile.Failure(path: path, reason: OutputStop.givenUpReason(signal))
            }
        }
        let written = text.withUTF8 { POSIXFile.write(descriptor, UnsafeRawBufferPointer($0)) }
        guard !written else { return }
        let reason = POSIXFile.describe(errno)
        if let end { _ = ftruncate(descriptor, end) }
        throw OutputFile.Failure(path: path, reason: reason)
    }
}
