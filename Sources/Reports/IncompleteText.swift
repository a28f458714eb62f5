import Audit
import Wire

extension InputSummary {
    /// Why an input read without an error is incomplete, or nil when it is not: "lost 12
    /// packets while capturing", "36 packets cut before their TCP header", "176 packets cut
    /// inside a tunnel before their inner TCP header", as many as apply. What the inputs
    /// tables of the Markdown and HTML reports say.
    var incompleteReason: String? {
        guard !complete, error == nil else { return nil }
        let lost = drops.map(\.total) ?? 0, cutOutside = cutBeforeTCP, cut = cutInTunnels, unjoined = unjoinedFragments
        let reasons = [lost > 0 || (cutOutside == 0 && cut == 0 && unjoined == 0) ? "lost \(lost) packets while capturing" : nil,
                       cutOutside > 0 ? "\(cutOutside) packet\(cutOutside == 1 ? "" : "s") cut before the TCP header" : nil,
                       cut > 0 ? "\(cut) packet\(cut == 1 ? "" : "s") cut inside a tunnel before the inner TCP header" : nil,
                       unjoined > 0 ? "\(unjoined) IP fragment\(unjoined == 1 ? "" : "s") of TCP not joined" : nil]
        return reasons.compactMap { $0 }.joined(separator: "; ")
    }
}

extension AuditResult {
    /// The packets cut inside tunnels, before their inner TCP header, over every input, or
    /// nil when none was (`InputSummary.cutInTunnelsText`, at the shortest snapshot length
    /// of the inputs they were cut in): what every report's coverage says, beside the
    /// `incomplete-input` finding of each such input.
    var cutInTunnelsText: String? {
        let cut = coverage.skipped[SkipReason.truncatedInTunnel.name] ?? 0
        guard cut > 0 else { return nil }
        let snaplen = inputs.filter { $0.cutInTunnels > 0 }.compactMap(\.snaplen).min()
        return InputSummary.cutInTunnelsText(cut, snaplen: snaplen)
    }

    /// The IP fragments of TCP that could not be joined, over every input, or nil when
    /// none were (`InputSummary.unjoinedFragmentsText`): what every report's coverage says.
    var unjoinedFragmentsText: String? {
        let count = coverage.skipped[SkipReason.fragment.name] ?? 0
        return count > 0 ? InputSummary.unjoinedFragmentsText(count) : nil
    }

    /// The packets that gave no TCP segment of their own, by reason ("51463 reassembled,
    /// 12 not-tcp"), or nil when every packet gave one: what the text, Markdown and HTML
    /// coverage say, as JSON's `coverage.skipped` does.
    var skippedText: String? {
        guard !coverage.skipped.isEmpty else { return nil }
        return coverage.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }

    /// Why the audit is incomplete, or nil when it is not: "an input was unusable or cut
    /// short", "packets were lost while capturing", "packets were cut before their TCP
    /// header", "packets were cut inside a tunnel", as many as apply (any, for a result that
    /// says incomplete and lists no such input).
    var incompleteText: String? {
        guard !coverage.complete else { return nil }
        let reasons = [
            inputs.contains { $0.error != nil } ? "an input was unusable or cut short" : nil,
            inputs.contains { ($0.drops?.total ?? 0) > 0 } || (coverage.drops?.total ?? 0) > 0
                ? "packets were lost while capturing" : nil,
            (coverage.skipped[SkipReason.truncated.name] ?? 0) > 0 ? "packets were cut before their TCP header" : nil,
            (coverage.skipped[SkipReason.truncatedInTunnel.name] ?? 0) > 0 ? "packets were cut inside a tunnel" : nil,
            (coverage.skipped[SkipReason.fragment.name] ?? 0) > 0 ? "IP fragments of TCP could not be joined" : nil,
            (coverage.captureGaps ?? []).isEmpty ? nil : "a capture point's inputs leave a gap in its window",
            (coverage.missedBytes ?? 0) > 0 ? "packets were lost before they were captured (acknowledged, never captured)" : nil,
        ].compactMap { $0 }
        return reasons.isEmpty ? "an input was unusable or cut short" : reasons.joined(separator: ", ")
    }
}
