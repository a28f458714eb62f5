import Flows

extension AttemptsCutByEnd {
    /// The times `inputs` ended as a capture: each input's last packet, unless another
    /// input went on past it from at most `seconds` later (the next piece of a rotated set,
    /// or another capture of the same time), whose packets would hold the answer.
    public static func ends(of inputs: [InputSummary]) -> [Int64] {
        let windows = inputs.compactMap { input -> (first: Int64, last: Int64)? in
            guard let first = input.firstSeen?.nanoseconds, let last = input.lastSeen?.nanoseconds else { return nil }
            return (first, last)
        }
        let window = seconds * 1_000_000_000
        return windows.map(\.last).filter { end in
            !windows.contains { $0.last > end && $0.first <= end.addingReportingOverflow(window).partialValue }
        }
    }

    /// The unanswered connects of `inputs`' last seconds among `connections` (a merge's,
    /// which holds every one).
    static func found(in connections: [Connection], inputs: [InputSummary], cap: Int) -> AttemptsCutByEnd {
        var cut = AttemptsCutByEnd(ends: ends(of: inputs))
        for connection in connections where cut.cuts(connection) { cut.add(connection, cap: cap) }
        return cut
    }
}
