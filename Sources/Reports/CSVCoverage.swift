import Audit
import Wire

/// One coverage row of the CSV report: an item of what the audit saw and could not see,
/// its raw value, and the sentence the other reports say about it.
struct CSVCoverageRow: Equatable {
    /// The item, named as its key in the JSON result's `coverage` (docs/result-schema.md)
    /// where it has one: `complete`, `drops`, `connections_seen_one_way`, `skipped.truncated`.
    var item: String
    /// The raw value: a number, `true`/`false`, a time, ports space-separated; empty where
    /// the JSON holds null (a result written before the item existed, or no live input).
    var value: String
    /// What the text, Markdown and HTML reports say about it, or empty when they say nothing.
    var note: String
}

extension AuditResult {
    /// The CSV's coverage rows, the same items in the same order for every audit (then one
    /// per reason packets were skipped, then one per input with an error, `input_error`: its
    /// path as the value, the error as the note), so that a script gating CI on the CSV's services
    /// meets in the same file that the input was incomplete, cut, dropped, seen one way or
    /// partly tunnelled out of reach. The notes are the other reports' own sentences
    /// (`incompleteText`, `oneWayText`, `udpText`, ...), so no format says more than another.
    var csvCoverageRows: [CSVCoverageRow] {
        let coverage = self.coverage
        let unjudged = unjudgedTraffic
        let snaplen = inputs.compactMap(\.snaplen).min()
        func row(_ item: String, _ value: String, _ note: String? = nil) -> CSVCoverageRow {
            CSVCoverageRow(item: item, value: value, note: note ?? "")
        }
        func number(_ value: (some BinaryInteger)?) -> String { value.map { "\($0)" } ?? "" }
        let drops = coverage.drops.map { "\($0.total) packets lost while capturing (\($0.kernel) by the kernel, \($0.interface) by the interface)" }
        let dropsNote = [drops, unknownDropsText].compactMap { $0 }.joined(separator: "; ")
        var rows = [
            row("complete", "\(coverage.complete)", incompleteText),
            row("packets", "\(coverage.packets)"),
            row("tcp_segments", "\(coverage.tcpSegments)"),
            row("connections", "\(coverage.connections)"),
            row("capture_start", coverage.captureStart.map { "\($0)" } ?? ""),
            row("capture_end", coverage.captureEnd.map { "\($0)" } ?? ""),
            row("duration_seconds", "\(coverage.durationSeconds)"),
            row("drops", number(coverage.drops?.total), dropsNote),
            row("snaplen", number(snaplen), shortSnaplenText),
            row("connections_seen_one_way", number(coverage.connectionsSeenOneWay), oneWayText),
            row("direction_unknown", "\(unjudged.connections)", unjudged.connections > 0 ? unjudged.text : nil),
            row("udp_packets", number(coverage.udp?.packets), coverage.udpText),
            row("udp_ports_shaped_like_vxlan", (coverage.udp?.vxlanShapedPorts ?? []).map(String.init).joined(separator: " ")),
            row("tunneled_segments", "\(coverage.tunneledSegments)", coverage.tunneledText),
            row("cut_in_tunnels", "\(coverage.skipped[SkipReason.truncatedInTunnel.name] ?? 0)", cutInTunnelsText),
            row("duplicate_packets", "\(coverage.duplicatePackets)", coverage.copiesText),
            row("translated_connections", "\(coverage.translatedConnections)", coverage.translatedText),
            row("service_connections_not_listed", "\(coverage.serviceConnectionsNotListed)", coverage.unlistedText),
            row("service_packets_not_listed", "\(coverage.servicePacketsNotListed)"),
            row("service_bytes_not_listed", "\(coverage.serviceBytesNotListed)"),
            row("attempts_not_listed", "\(coverage.attemptsNotListed)"),
            row("unresolved_not_listed", "\(coverage.unresolvedNotListed)"),
            row("client_counts_capped", "\(coverage.clientCountsCapped)", coverage.clientCountsCappedText),
            row("open_at_start", number(coverage.openAtStart)),
            row("open_at_end", number(coverage.openAtEnd)),
            row("open_connections_evicted_at_cap", number(coverage.openConnectionsEvictedAtCap), coverage.evictedAtCapText),
            row("lone_resets", number(coverage.loneResets), coverage.loneResetsText),
            row("connections_with_missed_data", number(coverage.connectionsWithMissedData), coverage.missedDataText),
            row("missed_bytes", number(coverage.missedBytes)),
            row("connections_counted_low", number(coverage.connectionsCountedLow), coverage.countedLowText),
            row("clock_of", coverage.clockOf ?? "", coverage.clockText),
            row("capture_gaps", number(coverage.captureGaps?.count), coverage.gapsText),
            row("capture_gaps_joined_seconds", coverage.captureGapsJoined.map { "\($0.seconds)" } ?? ""),
            row("connects_cut_by_end", number(coverage.connectsCutByEnd), coverage.cutByEndText),
            row("clock_steps_back", number(coverage.clockStepsBack), coverage.clockStepsText),
            row("wire_lengths_not_believed", "\(wireLengthsNotBelieved)", wireLengthsNotBelievedText),
        ]
        rows += coverage.skipped.sorted { $0.key < $1.key }.map { row("skipped.\($0.key)", "\($0.value)") }
        // Which input could not be read, or was read only in part, as every other format names it.
        rows += inputs.compactMap { input in input.error.map { row("input_error", input.path, $0) } }
        return rows
    }
}
