#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets a run quit at once (a second Ctrl-C) without cutting an evidence file of `live` in
/// the middle of a packet, nor leaving a report's temporary file behind (`TemporaryOutputs`).
///
/// `_exit` from the signal thread kills the capture thread wherever it is, and a thread
/// killed inside write(2) leaves the write short: the kernel stops copying at the next page
/// boundary, so a packet larger than a page (a 64 KiB segment of loopback or of a NIC's
/// receive offload) was cut in 4 of 6 runs stopped during a bulk transfer, and `tshark`
/// and `dasaudit audit` then called the file "cut short in the middle of a packet". An
/// evidence writer (`CaptureWriter` flushing each packet) holds this gate while it writes
/// and flushes one packet; `quit` takes the gate before `_exit`, so the packet being written is whole in
/// its file first and no other starts. The gate is uncontended while the capture runs (one
/// writer), a few nanoseconds a packet beside the microsecond of its flush.
public enum PacketWriteGate {
    /// How long `quit` waits for a write in progress (a disk or a network file system that
    /// stopped answering) before it quits anyway.
    static let patienceMilliseconds = 1_000

    nonisolated(unsafe) private static let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        return mutex
    }()

    /// Called by the writer before it writes a packet (or rotates to a new file).
    @usableFromInline static func enter() { pthread_mutex_lock(mutex) }

    /// Called by the writer once the packet is in its file.
    @usableFromInline static func leave() { pthread_mutex_unlock(mutex) }

    /// Waits (at most `patienceMilliseconds`) for the packet being written to be whole in
    /// its file, removes the reports' temporary files, then ends the process as `signal`'s
    /// default action does (a shell sees it killed by the signal: status 130 for SIGINT),
    /// holding the gate so that no other write starts.
    public static func quit(signal number: Int32) -> Never {
        var waited = 0
        while pthread_mutex_trylock(mutex) != 0 && waited < patienceMilliseconds {
            usleep(1_000)
            waited += 1
        }
        TemporaryOutputs.removeAllAndHold()
        // The signal was taken (ignored, and read by a dispatch source): its default action
        // back, and unblocked on this thread, it ends the process.
        signal(number, SIG_DFL)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, number)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        raise(number)
        _exit(128 + number)
    }
}
