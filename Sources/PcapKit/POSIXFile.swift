#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file-descriptor operations the input streams and the evidence hash need,
/// with the retries (EINTR, short reads and writes) done once here.
public enum POSIXFile {
    /// A pipe whose two ends are closed on exec, so a child process inherits only the
    /// ends it is given explicitly (an inherited write end would keep its reader from ever
    /// seeing the end of its input).
    static func pipe() -> (read: Int32, write: Int32)? {
        var ends: [Int32] = [0, 0]
        guard ends.withUnsafeMutableBufferPointer({ systemPipe($0.baseAddress!) }) == 0 else { return nil }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    /// Reads up to `count` bytes, stopping early only at the end of the input or on an error.
    static func read(_ descriptor: Int32, upTo count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress! + filled, count - filled) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            filled += got
        }
        return Array(bytes.prefix(filled))
    }

    /// Appends the input to `bytes` up to its end, a chunk at a time, so a pipe, a FIFO or
    /// a terminal reads as a file does (whose size is reserved first, so a large file is
    /// not copied as the bytes grow): false on an error (`errno` says which).
    public static func readToEnd(_ descriptor: Int32, into bytes: inout some RangeReplaceableCollection<UInt8>) -> Bool {
        var status = stat()
        if fstat(descriptor, &status) == 0 { bytes.reserveCapacity(bytes.count + Int(status.st_size)) }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress!, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got < 0 { return false }
            if got == 0 { return true }
            bytes.append(contentsOf: chunk[..<got])
        }
    }

    /// Fills `buffer` from `offset` of a file, stopping early only at its end: the bytes
    /// read, or nil on an error (`errno` says which). Moves no file offset.
    public static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int? {
        var filled = 0
        while filled < buffer.count {
            let got = systemPread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled))
            if got < 0 && errno == EINTR { continue }
            if got < 0 { return nil }
            if got == 0 { break }
            filled += got
        }
        return filled
    }

    /// Writes all of `bytes`; false when the reader has gone (EPIPE) or another error.
    public static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var written = 0
        while written < bytes.count {
            let put = systemWrite(descriptor, bytes.baseAddress! + written, bytes.count - written)
            if put < 0 && errno == EINTR { continue }
            if put <= 0 { return false }
            written += put
        }
        return true
    }

    /// The text of `errno` values a user can act on.
    public static func describe(_ error: Int32) -> String {
        switch error {
        case ENOENT: "no such file"
        case EACCES, EPERM: "permission denied"
        default: String(cString: strerror(error))
        }
    }
}

private func systemPipe(_ ends: UnsafeMutablePointer<Int32>) -> Int32 { pipe(ends) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemPread(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: off_t) -> Int {
    pread(fd, buffer, count, offset)
}
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
