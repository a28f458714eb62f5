import Audit

/// The verdict of a result in the words every report uses. It is derived from the findings
/// and the threshold (`Finding.fails` under `summary.fail_on`), never read from
/// `summary.compliant`: a result whose `compliant` was edited to true while it holds
/// failing findings is refused when read back (`AuditResult.validate`), and any result
/// built in memory is judged by the same rule, so no format can show green over a failing
/// finding. Two rules hold for any result, even one written by hand or by an older
/// version: a result that judged no service (`NoTraffic`), or only a port scan's probes
/// (`ClusterPresence.onlyScanned`), is never shown as compliant.
struct Verdict {
    var compliant: Bool
    var failOn: FailThreshold
    /// How many findings are at or above `--fail-on` with no waiver covering them, besides
    /// the `no-traffic` ones: counted, not copied (tens of thousands, each report).
    var failing: Int
    /// Whether every input was read to its end.
    var complete: Bool
    /// Connections of which one side only was captured (`coverage.connections_seen_one_way`).
    var seenOneWay: UInt64
    /// How much traffic was of unknown direction, when it was at least half
    /// (`AuditResult.unjudgedText`): a compliant verdict drawn from the lesser part says so.
    var unjudgedText: String?
    /// The `no-traffic` findings the verdict stands on (an audit of nothing, of none of the
    /// declared nodes, of a port scan alone, of a silent capture point): the result's own,
    /// or, for a result that audited nothing or only a scan and lacks it (hand-edited, or
    /// older), the one the audit would have made, so that JUnit fails it as the verdict does.
    var noTrafficFindings: [Finding]
    /// The first of them: what the verdict's reason says.
    var noTraffic: Finding? { noTrafficFindings.first }

    init(_ result: AuditResult) {
        failOn = result.summary.failOn
        failing = result.findings.count { $0.kind != .noTraffic && $0.fails(under: result.summary.failOn) }
        complete = result.coverage.complete
        seenOneWay = result.coverage.connectionsSeenOneWay ?? 0
        unjudgedText = result.unjudgedText
        noTrafficFindings = result.noTrafficFindings
        compliant = failing == 0 && noTrafficFindings.isEmpty
    }

    /// `COMPLIANT` or `NOT COMPLIANT`.
    var headline: String { compliant ? "COMPLIANT" : "NOT COMPLIANT" }

    /// Why, against which threshold: "7 findings at or above --fail-on medium", or what
    /// was not audited: "no TCP traffic was audited: none of the 12 packets ...".
    var reason: String {
        let count = "\(failing) finding\(failing == 1 ? "" : "s") at or above --fail-on \(failOn.rawValue)"
        if let noTraffic {
            let others = noTrafficFindings.count - 1
            return noTraffic.message + (others == 0 ? "" : "; and \(others) more no-traffic finding\(others == 1 ? "" : "s")")
                + (failing == 0 ? "" : "; and \(count)")
        }
        if compliant {
            // What the audit could not see, said beside a pass: a cut input, a capture of
            // one direction (whose refusals look unanswered and whose unseen side is not
            // audited), traffic mostly of unknown direction.
            var gaps: [String] = []
            if !complete { gaps.append("the input was incomplete") }
            if seenOneWay > 0 {
                gaps.append("\(seenOneWay) connection\(seenOneWay == 1 ? " was" : "s were") seen in one direction only")
            }
            if let unjudgedText { gaps.append(unjudgedText) }
            return "no finding at or above --fail-on \(failOn.rawValue)"
                + (gaps.isEmpty ? "" : " (but " + gaps.joined(separator: "; ") + ")")
        }
        return count
    }
}
