import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gives back the bytes already read from a pipe, FIFO or terminal to find out what the
/// input is: a new pipe yields `prefix` and then the rest of `source`, copied by a thread
/// of its own. Only inputs that cannot seek back need it (standard input from a pipe,
/// `<(...)` process substitution); files are sniffed with `pread` and read in place.
enum PrefixReplay {
    /// The read end of the new pipe, or nil when no pipe could be made (`errno` says why; `source` is
    /// still the caller's). Otherwise `source` belongs to the copying thread, which closes
    /// it when it ends; the thread ends at the end of `source`, or as soon as the
    /// read end is closed (its next write fails with EPIPE, which is not fatal because the
    /// thread blocks SIGPIPE for itself).
    static func pipe(prefix: [UInt8], then source: Int32) -> Int32? {
        guard let ends = POSIXFile.pipe() else { return nil }
        let writeEnd = ends.write
        let thread = Thread {
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &blocked, nil)
            defer {
                close(writeEnd)
                close(source)
            }
            guard prefix.withUnsafeBytes({ POSIXFile.write(writeEnd, $0) }) else { return }
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let got = read(source, buffer.baseAddress, buffer.count)
                if got < 0 && errno == EINTR { continue }
                guard got > 0, POSIXFile.write(writeEnd, UnsafeRawBufferPointer(rebasing: buffer[..<got])) else { return }
            }
        }
        thread.name = "dasaudit input replay"
        thread.start()
        return ends.read
    }
}
