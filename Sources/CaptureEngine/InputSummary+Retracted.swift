import Audit
import Flows
import Wire

extension InputSummary {
    /// Counts the segments `table` took back since its count was `before` (`FlowTable.retract`:
    /// the front view of a translated connection) as `translated`, not tracked.
    mutating func countRetracted(since before: CaseCounts<Tunnel>, by table: FlowTable) {
        for tunnel in Tunnel.allCases {
            let taken = table.retracted[tunnel] &- before[tunnel]
            guard taken > 0 else { continue }
            tcpSegments = tcpSegments.subtractingSaturated(taken)
            if tunnel != .none, let count = tunneled?[tunnel.name] {
                tunneled?[tunnel.name] = count > taken ? count - taken : nil
            }
            skipped[SkipReason.translated.name, default: 0] = skipped[SkipReason.translated.name, default: 0]
                .addingSaturated(taken)
        }
    }
}
