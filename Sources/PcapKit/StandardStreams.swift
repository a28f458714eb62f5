#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard input, output and error that the run was started without (`<&-`, `>&-`,
/// `2>&-`, a daemon or a supervisor that closed them).
///
/// A descriptor number left free is taken by the next thing the process opens: with 0
/// closed, libdispatch's epoll instance became "standard input" and `dasaudit audit -`
/// waited on it for ever; with 1 closed, a report's temporary file was descriptor 1 while
/// it was written, and the text report went to libdispatch's or libpcap's descriptors
/// ("cannot write: Invalid argument"); with 2 closed, `live` wrote every message into
/// libpcap's eventfd. So each closed one is opened on `/dev/null` first thing
/// (`reserveClosed`), which keeps its number from anything else, and remembered: reading
/// standard input or writing standard output that was closed is an error naming it, and a
/// message for a closed standard error counts as lost (`StandardError`), as one whose
/// reader went away does.
public enum StandardStreams {
    nonisolated(unsafe) private static var closed: Set<Int32> = []

    /// Opens `/dev/null` on each of 0, 1 and 2 that is not open, and remembers which.
    /// Call it before anything else opens a descriptor.
    public static func reserveClosed() {
        for number in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(number, F_GETFD) < 0 && errno == EBADF {
            let opened = open("/dev/null", number == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            // The lowest free number: this one, since every lower one is open by now.
            if opened >= 0 && opened != number {
                dup2(opened, number)
                close(opened)
            }
            closed.insert(number)
        }
    }

    /// Whether the run was started with standard input closed.
    public static var inputClosed: Bool { closed.contains(STDIN_FILENO) }
    /// Whether the run was started with standard output closed.
    public static var outputClosed: Bool { closed.contains(STDOUT_FILENO) }
    /// Whether the run was started with standard error closed.
    public static var errorClosed: Bool { closed.contains(STDERR_FILENO) }

    /// The reason given for an input `-` when standard input was closed.
    public static let inputClosedReason = "standard input is closed (the run was started with it closed, as by <&-): nothing to read"
    /// The reason given for a report to standard output when it was closed.
    public static let outputClosedReason = "standard output is closed (the run was started with it closed, as by >&-)"
}
