import Audit

/// The findings section of the HTML report: one group per severity, most severe first,
/// each saying whether it fails the audit under `--fail-on`, each finding with what was
/// seen and what to do about it; then the waived findings, with each waiver's reason and
/// expiry, apart, since they never fail the audit.
enum HTMLFindings {
    static func render(_ result: AuditResult) -> Markup {
        guard !result.findings.isEmpty else { return "<p>No findings: the traffic matched the policy.</p>" }
        let failOn = result.summary.failOn
        let open = result.findings.filter { !$0.isWaived }
        var groups = Severity.allCases.reversed().compactMap { severity -> Markup? in
            let findings = open.filter { $0.severity == severity }
            guard !findings.isEmpty else { return nil }
            let gate = failOn.fails(severity) ? "fails the audit at --fail-on \(failOn.rawValue)"
                : "reported; does not fail the audit at --fail-on \(failOn.rawValue)"
            return group("s-\(severity.rawValue)", title(severity.rawValue, findings.count), gate, findings)
        }
        let waived = result.findings.filter(\.isWaived)
        if !waived.isEmpty {
            groups.append(group("waived", title("waived", waived.count), "covered by a waiver in the policy; never fails the audit", waived))
        }
        return "\(groups)"
    }

    private static func title(_ name: String, _ count: Int) -> String {
        name.prefix(1).uppercased() + name.dropFirst() + " (\(count))"
    }

    private static func group(_ cssClass: String, _ title: String, _ gate: String, _ findings: [Finding]) -> Markup {
        let items = findings.map { finding -> Markup in
            let severity = finding.severity.rawValue
            let location: Markup = finding.location.isEmpty ? "" : " · <span class=\"mono\">\(finding.location)</span>"
            let waiver: Markup = finding.waiverText.map { "<p class=\"remedy\"><b>Waiver:</b> \($0)</p>\n" } ?? ""
            return """
            <li class="finding \(finding.isWaived ? "waived " : "")s-\(severity)"><div class="what"><span class="badge s-\(severity)">\(severity)</span> \(finding.kind.rawValue)\(location)</div>
            <p>\(finding.message)</p>
            <p class="remedy"><b>Remediation:</b> \(finding.remediation)</p>
            \(waiver)</li>

            """
        }
        return """
        <div class="severity \(cssClass)">
        <h3>\(title)<span class="gate">\(gate)</span></h3>
        <ol class="findings">
        \(items)</ol>
        </div>

        """
    }
}
