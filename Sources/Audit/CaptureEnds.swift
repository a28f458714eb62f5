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

    /// The unanswered connects of `inputs`' last seconds, found in `connections` (a merge's,
    /// which holds every one): the others, to fold, and those cut.
    static func split(_ connections: [Connection], inputs: [InputSummary], cap: Int)
        -> (kept: [Connection], cut: AttemptsCutByEnd) {
        var cut = AttemptsCutByEnd(ends: ends(of: inputs))
        var kept: [Connection] = []
        kept.reserveCapacity(connections.count)
        for connection in connections {
            if cut.cuts(connection) { cut.add(connection, cap: cap) } else { kept.append(connection) }
        }
        return (kept, cut)
    }
}
