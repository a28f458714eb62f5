import Audit
import Flows
import Wire

extension InputSummary {
    /// Counts the segments the table did not track after all, since its counts were
    /// `retractedBefore` and `badChecksumsBefore`, as skipped: those it took back
    /// (`FlowTable.retract`: the front view of a translated connection) as `translated`, the
    /// damaged ones it would not start a connection with (`FlowTable.badChecksums`) as
    /// `bad-checksum`.
    mutating func countUntracked(by table: FlowTable, retractedBefore before: CaseCounts<Tunnel>,
                                 badChecksumsBefore badBefore: CaseCounts<Tunnel>) {
        countUntracked(table.retracted, since: before, as: .translated)
        countUntracked(table.badChecksums, since: badBefore, as: .badChecksum)
    }

    /// Moves the segments `counts` gained since `before` from the tracked ones to `reason`.
    private mutating func countUntracked(_ counts: CaseCounts<Tunnel>, since before: CaseCounts<Tunnel>,
                                         as reason: SkipReason) {
        for tunnel in Tunnel.allCases {
            let taken = counts[tunnel] &- before[tunnel]
            guard taken > 0 else { continue }
            tcpSegments = tcpSegments.subtractingSaturated(taken)
            if tunnel != .none, let count = tunneled?[tunnel.name] {
                tunneled?[tunnel.name] = count > taken ? count - taken : nil
            }
            skipped[reason.name, default: 0] = skipped[reason.name, default: 0].addingSaturated(taken)
        }
    }
}
