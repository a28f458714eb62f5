/// Inputs read one after another whose times overlap: the later one begins before the
/// earlier one ended. Pieces of one recording read in time order never do; two captures
/// made at the same time (two nodes, two interfaces) always do, and pieces read out of
/// time order too (an order `TimeOrder` could not take for the recording's). Read into one
/// connection table, a connection in both is split in two or counted twice, and its
/// packets and states with it; the audit says so (a warning naming the two inputs) rather
/// than count it silently.
public enum InputOverlaps {
    /// How much earlier than the end of the input before the next one's first packet may
    /// come and still be back to back with it: about a millisecond, a unit of the memory of
    /// copies' clock (`RecordingPiece`), by which a capture on every interface hands packets
    /// from several processors a little out of time order.
    public static let tolerance: Int64 = 1 << 20

    /// The consecutive pairs of `inputs` (in the order read) that overlap, each input with
    /// packets compared with the last input before it that had some. A next input may begin
    /// as much earlier as it and the inputs before it showed their own packets out of time order
    /// (`InputSummary.outOfOrderSeconds`, at most 1 s): dumpcap capturing several
    /// interfaces writes each one's buffer in turn, and the next file of its ring begins up
    /// to some 0.25 s before the one before ends.
    public static func find(in inputs: [InputSummary]) -> [(earlier: InputSummary, later: InputSummary)] {
        var pairs: [(earlier: InputSummary, later: InputSummary)] = []
        var earlier: InputSummary?
        var disorder: Int64 = 0
        for input in inputs {
            guard let first = input.firstSeen?.nanoseconds else { continue }
            // Its own disorder too: its earliest packet may come after some later ones.
            disorder = max(disorder, outOfOrder(of: input))
            if let before = earlier, let last = before.lastSeen?.nanoseconds,
               overlaps(last: last, first: first, allowing: disorder) {
                pairs.append((before, input))
            }
            earlier = input
        }
        return pairs
    }

    /// How far out of time order `input` wrote its packets, in nanoseconds, within
    /// `TimeDisorder.largestDisorder` (a result read back may say anything).
    static func outOfOrder(of input: InputSummary) -> Int64 {
        guard let seconds = input.outOfOrderSeconds, seconds > 0 else { return 0 }
        return seconds >= 1 ? TimeDisorder.largestDisorder : Int64(seconds * 1e9)
    }

    /// Whether an input whose first packet came at `first` begins more than `tolerance`,
    /// or than `disorder` nanoseconds, before `last`, the end of the input read before it
    /// (times pinned to the ends of the range included).
    static func overlaps(last: Int64, first: Int64, allowing disorder: Int64 = 0) -> Bool {
        guard last > first else { return false }
        let (gap, overflow) = last.subtractingReportingOverflow(first)
        return overflow || gap > max(tolerance, disorder)
    }
}
