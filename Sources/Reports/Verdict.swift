import Audit

/// The verdict of a result in the words every report uses. It reads the audit's own
/// decision (`summary.compliant`) and lists the findings behind it; it decides nothing,
/// with one exception that holds for any result, even one written by hand or by an older
/// version: a result that judged no service (`NoTraffic`) is never shown as compliant.
struct Verdict {
    var compliant: Bool
    var failOn: FailThreshold
    /// The findings at or above `--fail-on` that no waiver covers, most severe first.
    var failing: [Finding]
    /// Whether every input was read to its end.
    var complete: Bool
    /// When nothing was audited, the `no-traffic` finding the verdict stands on: the
    /// result's own, or, for a result that lacks it (hand-edited, or older), the one the
    /// audit would have made, so that JUnit fails it as the verdict does.
    var noTraffic: Finding?

    init(_ result: AuditResult) {
        failOn = result.summary.failOn
        failing = result.findings.filter { $0.fails(under: result.summary.failOn) }
        complete = result.coverage.complete
        if result.auditedNothing {
            noTraffic = result.noTrafficFindings.first
            failing.removeAll { $0.kind == .noTraffic }
        }
        compliant = result.summary.compliant && noTraffic == nil
    }

    /// `COMPLIANT` or `NOT COMPLIANT`.
    var headline: String { compliant ? "COMPLIANT" : "NOT COMPLIANT" }

    /// Why, against which threshold: "7 findings at or above --fail-on medium", or what
    /// was not audited: "no TCP traffic was audited: none of the 12 packets ...".
    var reason: String {
        let count = "\(failing.count) finding\(failing.count == 1 ? "" : "s") at or above --fail-on \(failOn.rawValue)"
        if let noTraffic {
            return noTraffic.message + (failing.isEmpty ? "" : "; and \(count)")
        }
        if compliant {
            return "no finding at or above --fail-on \(failOn.rawValue)" + (complete ? "" : " (but the input was incomplete)")
        }
        return count
    }
}
