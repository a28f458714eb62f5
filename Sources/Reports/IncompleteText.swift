import Audit
import Wire

extension InputSummary {
    /// Why an input read without an error is incomplete, or nil when it is not: "lost 12
    /// packets while capturing", "176 packets cut inside a tunnel before their inner TCP
    /// header", or both. What the inputs tables of the Markdown and HTML reports say.
    var incompleteReason: String? {
        guard !complete, error == nil else { return nil }
        let lost = drops.map(\.total) ?? 0, cut = cutInTunnels
        let reasons = [lost > 0 || cut == 0 ? "lost \(lost) packets while capturing" : nil,
                       cut > 0 ? "\(cut) packet\(cut == 1 ? "" : "s") cut inside a tunnel before the inner TCP header" : nil]
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

    /// Why the audit is incomplete, or nil when it is not: "an input was unusable or cut
    /// short", "packets were lost while capturing", "packets were cut inside a tunnel", as
    /// many as apply (any, for a result that says incomplete and lists no such input).
    var incompleteText: String? {
        guard !coverage.complete else { return nil }
        let reasons = [
            inputs.contains { $0.error != nil } ? "an input was unusable or cut short" : nil,
            inputs.contains { ($0.drops?.total ?? 0) > 0 } || (coverage.drops?.total ?? 0) > 0
                ? "packets were lost while capturing" : nil,
            (coverage.skipped[SkipReason.truncatedInTunnel.name] ?? 0) > 0 ? "packets were cut inside a tunnel" : nil,
        ].compactMap { $0 }
        return reasons.isEmpty ? "an input was unusable or cut short" : reasons.joined(separator: ", ")
    }
}
