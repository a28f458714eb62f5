import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The first bytes of a capture read once (standard input, a FIFO), read before the capture
/// is, so that its first packets can be sampled as a file's are (`InputSample` in
/// CaptureEngine: an anonymized capture's checksums, a file of every packet twice) and then
/// replayed to the reading with the rest of the stream (`PrefixReplay`).
///
/// Bounded in bytes and in time: up to `byteLimit`, the end of the stream, a stop of the
/// reading (`InputStop`), or `seconds` after it began, whichever comes first. `cat file |`
/// gives its megabytes in milliseconds; a live writer on a quiet network (`tcpdump -w -`)
/// gives what it captured in that second, and the reading then goes on as before.
enum LookAhead {
    /// The most bytes read ahead: the first 4,096 segments of a sample at 1 KiB each.
    static let byteLimit = 4 << 20
    /// The longest wait for them.
    static let seconds = 1.0

    /// Reads up to `byteLimit` bytes of `descriptor` (a pipe, a FIFO, a terminal), as
    /// described above; what came, possibly nothing. An error ends the reading ahead, and
    /// the reading proper meets it again.
    static func bytes(of descriptor: Int32) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: byteLimit)
        var filled = 0
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        var wait = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while filled < byteLimit && !InputStop.isRequested {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { break }
            // A tenth of a second at a time, so that a stop is seen.
            wait.revents = 0
            let ready = poll(&wait, 1, Int32(min(100, (deadline - now) / 1_000_000 + 1)))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else {
                if ready < 0 { break }
                continue
            }
            let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + filled, byteLimit - filled) }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        return bytes
    }
}
