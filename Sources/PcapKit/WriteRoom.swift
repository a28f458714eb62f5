#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a descriptor takes a write at once, without waiting for its reader: for what may
/// be dropped rather than hold the run up (the status line of `live`, the progress bar of
/// `audit`), when standard error goes to a pipe nobody drains (`2> >(sleep 60)`, a
/// supervisor that stopped reading) or to a terminal paused with Ctrl-S.
///
/// A file takes any write. A pipe or FIFO takes `count` bytes with `reserve` more to spare
/// (its size, `F_GETPIPE_SZ`, less the bytes in it, `FIONREAD`), so what is dropped leaves
/// room for the messages that must not be (the last notes, the errors). Anything else
/// (a terminal, a socket) takes it when `poll` says it has room. A descriptor whose reader
/// has gone takes it too, so the write itself fails and says so.
public enum WriteRoom {
    public static func takesAtOnce(_ count: Int, on descriptor: Int32, sparing reserve: Int) -> Bool {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return true }
        let kind = status.st_mode & S_IFMT
        if kind == S_IFREG || kind == S_IFBLK { return true }
        var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        guard poll(&ready, 1, 0) == 1 else { return false }
        if ready.revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 { return true }
        guard ready.revents & Int16(POLLOUT) != 0 else { return false }
        #if canImport(Glibc)
        if kind == S_IFIFO {
            var queued: Int32 = 0
            let size = fcntl(descriptor, getPipeSize)
            if size > 0, ioctl(descriptor, UInt(FIONREAD), &queued) == 0 {
                return Int(size) - Int(queued) >= count + reserve
            }
        }
        #endif
        return true
    }

    /// `F_GETPIPE_SZ`, which Glibc's module leaves out (it needs `_GNU_SOURCE`).
    private static let getPipeSize: Int32 = 1032
}
