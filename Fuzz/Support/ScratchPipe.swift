import Glibc

/// An input given to a reader as a pipe rather than a file (`/proc/self/fd/N`), so the
/// code for inputs that cannot seek (standard input, `<(...)`) is fuzzed too. The pipe is
/// made big enough to hold the whole input, so no writer thread is needed.
public final class ScratchPipe {
    /// The path that opens the pipe's read end.
    public let path: String
    private let readEnd: Int32

    /// A pipe holding `bytes`, its write end closed; nil when the pipe cannot be made that big.
    public init?(_ bytes: UnsafeRawBufferPointer) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return nil }
        guard fcntl(ends[1], ScratchPipe.setPipeSize, Int32(max(bytes.count, 4096))) >= bytes.count else {
            close(ends[0])
            close(ends[1])
            return nil
        }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(ends[1], bytes.baseAddress! + offset, bytes.count - offset)
            precondition(written > 0, "fuzz harness: cannot fill the pipe")
            offset += written
        }
        close(ends[1])
        readEnd = ends[0]
        path = "/proc/self/fd/\(ends[0])"
    }

    deinit { close(readEnd) }

    /// `F_SETPIPE_SZ` (Linux), which Glibc's Swift overlay does not export.
    private static let setPipeSize: Int32 = 1024 + 7
}
