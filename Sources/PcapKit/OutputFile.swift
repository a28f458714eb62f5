#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a report to an `OutputTarget` so that a failure never costs the last good copy
/// and a link planted at the path never redirects the write:
///
/// - a file is written to a new temporary file in the same directory (`.NAME.XXXXXX.tmp`,
///   NAME cut to 64 bytes, created with `O_CREAT|O_EXCL|O_NOFOLLOW`), flushed to disk with `fsync`, then renamed
///   over the path. Until the rename the old file is untouched; after it the new one is
///   whole. On any failure the temporary file is removed, and so it is when the run quits at
///   once (a second Ctrl-C: `TemporaryOutputs`). The directory is the one checked at the
///   start of the run, opened then and kept (`OutputDirectories`): the temporary file is
///   created, renamed and removed relative to it, so a directory on the way swapped for a
///   link during the run sends nothing elsewhere. A link at the path is replaced by
///   the rename, so the file it pointed at keeps its content. A new file gets mode 0644
///   (less the umask): reports hold addresses, ports and hashes, no packet contents; a
///   file replaced keeps its permission bits (less write for others), so a report kept
///   private stays private;
/// - a character device or FIFO is written in place, opened with `O_NOFOLLOW` outside
///   `/dev` and `/proc/self/fd`, and only if it still is one once opened;
/// - standard output is written as it is.
/// A device, a FIFO and standard output that is a pipe, a socket or a terminal are written
/// through `OutputStop`: a stop signal once the reading is over gives up one whose reader
/// takes nothing, rather than leave the run blocked in write(2).
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
        let writer = try Writer(target)
        try writer.write(bytes)
        try writer.finish()
    }

    /// An output written piece by piece as it is produced, with the guarantees of
    /// `OutputFile`: a file's new content replaces the old only at `finish`, and a writer
    /// dropped or failed before it removes its temporary file and leaves the path as it was.
    public final class Writer {
        private let target: OutputTarget
        private var descriptor: Int32
        /// The directory of a replaced file (`OutputDirectories`), and its temporary file's
        /// name there, until it is renamed or removed.
        private var directory: Int32 = -1
        private var temporary: String?
        /// Whether a write can wait on a reader (standard output or a FIFO that is a pipe, a
        /// socket, a terminal): written through `OutputStop`, so a stop signal ends the wait.
        private var waitsOnReader = false
        /// Where failures are reported: the path, or "standard output".
        private var name: String { target.path ?? "standard output" }

        /// Opens `target` for writing: creates the temporary file of a replaced file, opens
        /// a device or FIFO (refusing one that stopped being one), or takes standard output.
        public init(_ target: OutputTarget) throws(Failure) {
            self.target = target
            switch target {
            case .standardOutput:
                guard !StandardStreams.outputClosed else {
                    throw Failure(path: "standard output", reason: StandardStreams.outputClosedReason)
                }
                descriptor = STDOUT_FILENO
                waitsOnReader = OutputStop.mayWait(descriptor)
            case .stream(let path):
                descriptor = try OutputFile.openStream(path)
                var status = stat()
                guard fstat(descriptor, &status) == 0, [S_IFCHR, S_IFIFO].contains(status.st_mode & S_IFMT) else {
                    close(descriptor)
                    throw Failure(path: path, reason: "it is no longer a device or FIFO")
                }
                waitsOnReader = true
            case .replacedFile(let path):
                let directory: Int32
                do throws(OutputProblem) {
                    directory = try OutputDirectories.open(PathName.directory(of: path), for: path)
                } catch {
                    throw Failure(path: path, reason: "cannot open its directory: \(error)")
                }
                var existing = stat()
                // The permission bits of a file replaced, but never writable by everyone.
                let keptMode = fstatat(directory, PathName.name(of: path), &existing, AT_SYMLINK_NOFOLLOW) == 0
                    && existing.st_mode & S_IFMT == S_IFREG ? existing.st_mode & 0o775 : nil
                guard let (descriptor, temporary) = OutputFile.createTemporary(in: directory, for: path) else {
                    throw Failure(path: path, reason: "cannot create a file in its directory: \(OutputFile.describeErrno())")
                }
                self.descriptor = descriptor
                self.directory = directory
                self.temporary = temporary
                TemporaryOutputs.add(temporary, in: directory)
                if let keptMode, fchmod(descriptor, keptMode) != 0 { throw failing(OutputFile.describeErrno()) }
            }
        }

        deinit { discard() }

        /// Appends `bytes`; on failure the output is discarded.
        public func write(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
            guard descriptor >= 0 || target == .standardOutput else { throw Failure(path: name, reason: "already closed") }
            guard waitsOnReader else {
                guard POSIXFile.write(descriptor, bytes) else { throw failing(OutputFile.describeErrno()) }
                return
            }
            switch OutputStop.write(descriptor, bytes) {
            case .written: return
            case .failed: throw failing(OutputFile.describeErrno())
            case .stopped(let signal): throw failing(OutputStop.givenUpReason(signal))
            }
        }

        /// Completes the output: a replaced file is flushed to disk and renamed over its
        /// path; a device or FIFO is closed.
        public func finish() throws(Failure) {
            switch target {
            case .standardOutput:
                return
            case .stream:
                close(descriptor)
                descriptor = -1
            case .replacedFile(let path):
                guard let temporary else { throw Failure(path: path, reason: "already closed") }
                if fsync(descriptor) != 0 { throw failing(OutputFile.describeErrno()) }
                let closed = close(descriptor)
                descriptor = -1
                if closed != 0 { throw failing(OutputFile.describeErrno()) }
                if renameat(directory, temporary, directory, PathName.name(of: path)) != 0 {
                    throw failing(OutputFile.describeErrno())
                }
                TemporaryOutputs.remove(temporary, in: directory)
                self.temporary = nil
                // Makes the rename itself durable; a directory that cannot be synced loses
                // nothing but that guarantee, so a failure here is not reported.
                fsync(directory)
            }
        }

        /// Gives the output up: a replaced file's temporary file is removed, the path left
        /// as it was.
        public func discard() {
            if target != .standardOutput && descriptor >= 0 { close(descriptor) }
            descriptor = -1
            if let temporary {
                unlinkat(directory, temporary, 0)
                TemporaryOutputs.remove(temporary, in: directory)
            }
            temporary = nil
        }

        /// Discards the output and returns the failure `reason` (taken before the clean-up
        /// can change errno).
        private func failing(_ reason: String) -> Failure {
            discard()
            return Failure(path: name, reason: reason)
        }
    }

    /// Opens a device or FIFO for writing in place. A FIFO is opened without waiting
    /// (`O_NONBLOCK`, cleared once open) and, while no process reads it, tried again every
    /// 20 ms: as a blocking open would, it waits for its reader, but a stop signal that
    /// comes during the wait (the first Ctrl-C or the single SIGTERM of `timeout`, once the
    /// reading is over: `OutputStop`) gives the output up instead of leaving the run blocked
    /// in open(2) for ever, with the signal taken and nothing to stop.
    static func openStream(_ path: String) throws(Failure) -> Int32 {
        let noFollow = OutputTarget.followsLinks(path) ? 0 : O_NOFOLLOW
        while true {
            let descriptor = open(path, O_WRONLY | O_CLOEXEC | O_NONBLOCK | noFollow)
            if descriptor >= 0 {
                _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
                return descriptor
            }
            // ENXIO: a FIFO that no process has open for reading.
            guard errno == ENXIO else { throw Failure(path: path, reason: OutputFile.describeErrno()) }
            if let signal = OutputStop.signal {
                throw Failure(path: path, reason: "it is a FIFO that no process opened to read before \(signal)")
            }
            usleep(20_000)
        }
    }

    /// The temporary file's name for `path`, `.NAME.RANDOM.tmp`, in the same directory:
    /// hidden (so a directory of captures read by `dasaudit audit DIR` skips it) and unique.
    /// NAME is at most the first `temporaryNameBytes` bytes of the name, whole characters, so
    /// that any name the system takes (255 bytes) leaves room for the rest: a longer one
    /// failed after the whole audit.
    static func temporaryName(for path: String) -> String {
        var budget = temporaryNameBytes
        let name = String(PathName.name(of: path).unicodeScalars.prefix { scalar in
            budget -= UTF8.width(scalar)
            return budget >= 0
        })
        let suffix = String(UInt64.random(in: 0 ... .max), radix: 36)
        return ".\(name).\(suffix).tmp"
    }

    /// Creates a new temporary file for `path` in its opened `directory` (`temporaryName`,
    /// mode 0644 less the umask, `O_CREAT|O_EXCL|O_NOFOLLOW`, so it is never an existing
    /// file or a link planted there), opened for writing: its descriptor and name, or nil
    /// with errno set.
    static func createTemporary(in directory: Int32, for path: String) -> (descriptor: Int32, name: String)? {
        while true {
            let temporary = temporaryName(for: path)
            let descriptor = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if descriptor >= 0 { return (descriptor, temporary) }
            if errno != EEXIST { return nil }
        }
    }

    /// The most of a name's bytes its temporary file's name keeps.
    static let temporaryNameBytes = 64

    fileprivate static func describeErrno() -> String {
        errno == 0 ? "short write" : POSIXFile.describe(errno)
    }
}
