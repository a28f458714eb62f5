#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PathBytes

/// Inputs that can be read only once: standard input, a pipe, a FIFO or `<(...)`, a
/// device. A first reading (`--offset auto` looking for the offset before the audit)
/// would take the bytes the second needs, or wait for a writer that has gone.
public enum SinglePassInput {
    /// What makes `argument` readable only once, in words (`standard input`, `a FIFO or
    /// pipe`); nil for a regular file or a directory, which can be read again, and for a
    /// path where nothing is (its reading says so). Looks without opening: opening a FIFO
    /// waits for its writer.
    public static func kind(of argument: String) -> String? {
        if argument == "-" { return "standard input" }
        var status = stat()
        guard stat(argument.fileSystemPath, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        case S_IFIFO: return "a FIFO or pipe"
        case S_IFCHR: return "a character device"
        default: return "not a regular file"
        }
    }
}
