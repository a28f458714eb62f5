import Audit

/// The findings section of the HTML report: one group per severity, most severe first,
/// each saying whether it fails the audit under `--fail-on`, and each finding with what was
/// seen and what to do about it.
enum HTMLFindings {
    static func render(_ result: AuditResult) -> Markup {
        guard !result.findings.isEmpty else { return "<p>No findings: the traffic matched the policy.</p>" }
        let failOn = result.summary.failOn
        let groups = Severity.allCases.reversed().compactMap { severity -> Markup? in
            let findings = result.findings.filter { $0.severity == severity }
            guard !findings.isEmpty else { return nil }
            let gate = failOn.fails(severity) ? "fails the audit at --fail-on \(failOn.rawValue)"
                : "reported; does not fail the audit at --fail-on \(failOn.rawValue)"
            let items = findings.map { finding -> Markup in
                let location: Markup = finding.location.isEmpty ? "" : " · <span class=\"mono\">\(finding.location)</span>"
                return """
                <li class="finding s-\(severity.rawValue)"><div class="what"><span class="badge s-\(severity.rawValue)">\(severity.rawValue)</span> \(finding.kind.rawValue)\(location)</div>
                <p>\(finding.message)</p>
                <p class="remedy"><b>Remediation:</b> \(finding.remediation)</p></li>

                """
            }
            return """
            <div class="severity s-\(severity.rawValue)">
            <h3>\(severity.rawValue.prefix(1).uppercased() + severity.rawValue.dropFirst()) (\(findings.count))<span class="gate">\(gate)</span></h3>
            <ol class="findings">
            \(items)</ol>
            </div>

            """
        }
        return "\(groups)"
    }
}
