import Audit

/// The verdict of a result in the words every report uses. It reads the audit's own
/// decision (`summary.compliant`) and lists the findings behind it; it decides nothing.
struct Verdict {
    var compliant: Bool
    var failOn: FailThreshold
    /// The findings at or above `--fail-on` that no waiver covers, most severe first.
    var failing: [Finding]
    /// Whether every input was read to its end.
    var complete: Bool

    init(_ result: AuditResult) {
        compliant = result.summary.compliant
        failOn = result.summary.failOn
        failing = result.findings.filter { $0.fails(under: result.summary.failOn) }
        complete = result.coverage.complete
    }

    /// `COMPLIANT` or `NOT COMPLIANT`.
    var headline: String { compliant ? "COMPLIANT" : "NOT COMPLIANT" }

    /// Why, against which threshold: "7 findings at or above --fail-on medium".
    var reason: String {
        if compliant {
            return "no finding at or above --fail-on \(failOn.rawValue)" + (complete ? "" : " (but the input was incomplete)")
        }
        return "\(failing.count) finding\(failing.count == 1 ? "" : "s") at or above --fail-on \(failOn.rawValue)"
    }
}
