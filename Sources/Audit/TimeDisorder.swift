/// How far back a capture's packet times may go without the clock having stepped: what
/// tells a capture written a little out of time order from one whose clock went back.
///
/// Why: dumpcap capturing several interfaces (`dumpcap -i eth0 -i docker0`) writes each
/// interface's buffer in turn, so its file, and the next file of its ring, runs up to some
/// 0.25 s out of time order (measured: 0.239 s); `tcpdump -i any` hands packets from
/// several processors a little out of order too. A step back of more than a second from
/// one packet to the next is no such disorder but a clock set back (NTP or chrony stepping
/// it, an RTC in local time): the input's window (first to last packet) is then no longer
/// the recording's length, which the reports say (`InputSummary.clockStepsBack`).
public enum TimeDisorder {
    /// The most a packet may come behind the latest one before it and still be disorder,
    /// not a clock step: 1 s, in nanoseconds.
    public static let largestDisorder: Int64 = 1_000_000_000

    /// Whether a packet at `later` after one at `earlier` (in the input's order) is a step
    /// of the clock back: more than `largestDisorder` earlier.
    public static func isClockStep(from earlier: Int64, back later: Int64) -> Bool {
        let (back, overflow) = earlier.subtractingReportingOverflow(later)
        return overflow ? earlier > later : back > largestDisorder
    }
}
