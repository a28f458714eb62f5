#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A stdio stream's buffer, given to it with `setvbuf`: glibc ignores the size asked for
/// when `setvbuf` gets no buffer of its own and keeps `st_blksize`, 4 KiB, so a stream that
/// is to read or write in large blocks needs one it does not own. Measured: libpcap read a
/// 1 GB capture in 259,322 reads of 4 KiB through a stream set to 256 KiB without one, and
/// in 4,051 with one.
///
/// The stream uses the memory until it is closed: keep this alive longer than the stream
/// (its owner closes the stream in its `deinit`, before its stored properties go).
final class StreamBuffer {
    private let bytes: UnsafeMutableRawPointer

    /// Gives `stream`, before its first read or write, a fully buffered `size`-byte buffer.
    init(for stream: UnsafeMutablePointer<FILE>, size: Int) {
        bytes = .allocate(byteCount: size, alignment: 4096)
        setvbuf(stream, bytes.assumingMemoryBound(to: CChar.self), _IOFBF, size)
    }

    deinit { bytes.deallocate() }
}
