import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process (`gzip -dc`, `zstd -dcq`, ...) that decompresses an input for libpcap:
/// it reads the compressed bytes on its standard input and libpcap reads its standard
/// output. Its complaints go to an unlinked temporary file, not a pipe, so a chatty
/// decompressor can never block; they are read once it has exited, to say why a stream
/// ended early.
final class Decompressor {
    let compression: Compression
    /// The read end of the child's standard output.
    let output: Int32
    private let pid: pid_t
    private let errors: UnsafeMutablePointer<FILE>
    private var exitProblem: String??

    /// Starts the decompressor on `input` (which the caller still owns and may close).
    /// Throws the reason when the tool is missing or cannot be started.
    init(_ compression: Compression, input: Int32) throws(InputProblem) {
        self.compression = compression
        guard let errors = tmpfile() else {
            throw InputProblem(reason: "cannot create a temporary file for its decompressor's messages: \(POSIXFile.describe(errno))")
        }
        guard let outputPipe = POSIXFile.pipe() else {
            let reason = POSIXFile.describe(errno)  // before fclose can change errno
            fclose(errors)
            throw InputProblem(reason: "cannot create a pipe for its decompressor: \(reason)")
        }
        #if canImport(Glibc)
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        #else
        var actions: posix_spawn_file_actions_t?
        var attributes: posix_spawnattr_t?
        #endif
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, input, STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, outputPipe.write, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, fileno(errors), STDERR_FILENO)
        posix_spawnattr_init(&attributes)
        // The child dies of SIGPIPE when dasaudit stops reading early, whatever this
        // process does with the signal.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        let arguments = compression.command.map { strdup($0) }
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, compression.command[0], &actions, &attributes, arguments + [nil], environ)
        close(outputPipe.write)
        guard status == 0 else {
            close(outputPipe.read)
            fclose(errors)
            let tool = compression.command[0]
            throw InputProblem(reason: status == ENOENT
                ? "\(compression.rawValue)-compressed, and `\(tool)` is not installed to decompress it "
                    + "(install \(compression.package))"
                : "\(compression.rawValue)-compressed, and `\(tool)` could not be started: \(POSIXFile.describe(status))")
        }
        self.pid = pid
        self.output = outputPipe.read
        self.errors = errors
    }

    /// Waits for the child to exit and says what went wrong, or nil when it decompressed
    /// the whole input. Call it after the reader saw the end of `output`, or after closing
    /// `output` (`stoppedEarly`: the child was stopped on purpose and only its own
    /// complaints count). Later calls return the first answer.
    func finish(stoppedEarly: Bool) -> String? {
        if let exitProblem { return exitProblem }
        if stoppedEarly { kill(pid, SIGTERM) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitedWith = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : nil
        let complaint = readComplaint()
        let problem: String?
        if exitedWith == 0 {
            problem = nil
        } else if let complaint {
            problem = complaint
        } else if stoppedEarly {
            problem = nil
        } else {
            problem = "`\(compression.command.joined(separator: " "))` " + (exitedWith.map { "exited with status \($0)" }
                ?? "was killed by signal \(status & 0x7F)")
        }
        fclose(errors)
        exitProblem = .some(problem)
        return problem
    }

    /// The decompressor's first line on standard error, if it wrote one (bzip2 explains
    /// itself over several lines, the first of which says what happened).
    private func readComplaint() -> String? {
        rewind(errors)
        let text = String(decoding: POSIXFile.read(fileno(errors), upTo: 4096), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    deinit { _ = finish(stoppedEarly: true) }
}
