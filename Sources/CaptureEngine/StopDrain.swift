import Dispatch
import Foundation

/// Reading on after a live audit is asked to stop, until every packet captured before the
/// stop has been read: the kernel's buffer holds what the audit has not read yet (32 MiB by
/// default, seconds of traffic when the audit fell behind a burst), and its last batch is
/// handed over only once libpcap's batch timeout retires it.
///
/// The reading ends at the first packet stamped after the stop (the buffer is read in order,
/// so everything before it was read), or after a whole window of twice the batch timeout in
/// which no packet came (the buffer is empty and its last batch retired), or at the latest
/// `longest` after the stop (a wall clock stepped back would otherwise stamp the packets
/// still coming before the stop for as long as it was stepped back). Until December
/// 2026 it ended after one window whatever was left: a CI run whose status audits fell
/// behind a storm of 20,000 connections lost the last 48 to 1,185 of them.
struct StopDrain {
    /// The stop's time on the clock of packet timestamps (nanoseconds since the epoch).
    let stoppedAt: Int64
    /// One window, in nanoseconds of the monotonic clock.
    let window: UInt64
    /// When the reading ends at the latest (monotonic clock).
    private let deadline: UInt64
    /// When the current window ends (monotonic clock).
    private(set) var windowEnd: UInt64
    /// The packet count when the current window began.
    private var packetsAtWindowStart: UInt64
    /// Whether a packet stamped after the stop has been read.
    private(set) var readPastTheStop = false

    init(packets: UInt64, batchTimeoutMilliseconds: Int32) {
        stoppedAt = Int64(Date().timeIntervalSince1970 * 1e9)
        window = StopDrain.window(batchTimeoutMilliseconds: batchTimeoutMilliseconds)
        let now = DispatchTime.now().uptimeNanoseconds
        windowEnd = now &+ window
        deadline = now &+ StopDrain.longest
        packetsAtWindowStart = packets
    }

    /// The longest reading after a stop: 60 s, time to read a 1 GiB buffer (`--buffer-size
    /// 1G`, about 5 M packets) several times over.
    static let longest: UInt64 = 60_000_000_000

    /// Twice libpcap's batch timeout (10 ms at least), in nanoseconds: a batch the kernel
    /// was filling has surely been handed over by then.
    static func window(batchTimeoutMilliseconds: Int32) -> UInt64 {
        UInt64(max(batchTimeoutMilliseconds, 10)) * 2_000_000
    }

    /// Notes a packet read during the drain; true once it is stamped after the stop.
    mutating func read(timestamp: Int64) -> Bool {
        if timestamp > stoppedAt { readPastTheStop = true }
        return readPastTheStop
    }

    /// Whether the reading is over, given the packets counted so far; when a window ended
    /// with packets read in it, a new one begins (the caller wakes the loop at its end).
    mutating func isOver(packets: UInt64) -> (over: Bool, newWindow: Bool) {
        if readPastTheStop { return (true, false) }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now >= windowEnd else { return (false, false) }
        if packets == packetsAtWindowStart || now >= deadline { return (true, false) }
        packetsAtWindowStart = packets
        windowEnd = now &+ window
        return (false, true)
    }
}
