import Audit
import Flows
import Wire

extension InputSummary {
    /// Counts the segments `table` took back since its count was `before` (`FlowTable.retract`:
    /// the front view of a translated connection) as `translated`, not tracked; and the
    /// damaged segments it did not track since its count was `badBefore`
    /// (`FlowTable.badChecksums`) as `bad-checksum`.
    mutating func countRetracted(since before: CaseCounts<Tunnel>, badChecksumsSince badBefore: CaseCounts<Tunnel>,
                                 by table: FlowTable) {
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
