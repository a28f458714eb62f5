import Audit

/// The findings section of the HTML report: one group per severity, most severe first,
/// each saying whether it fails the audit under `--fail-on`, each finding with what was
/// seen and what to do about it; then the waived findings, with each waiver's reason and
/// expiry, apart, since they never fail the audit.
enum HTMLFindings {
    /// Writes the section's body to `sink` a finding (or group of findings) at a time: a
    /// result of tens of thousands of findings is never held as one text (20 MB of the
    /// services shape's report, built whole until December 7, 2026).
    static func write(_ result: AuditResult, to sink: ByteSink) {
        guard !result.findings.isEmpty else { return sink.write("<p>No findings: the traffic matched the policy.</p>") }
        let failOn = result.summary.failOn
        // Findings of one kind on the same ports across hosts are one card (`FindingGroup`),
        // grouped once for every section: a group holds findings of one severity, all waived
        // or none, in the order of its first finding, so a section's groups are those its
        // findings alone would make, and no section's findings are copied out to group them.
        // Each section's counts are those of its groups.
        let groups = FindingGroup.grouping(result.findings)
        for severity in Severity.allCases.reversed() {
            let shown = groups.filter { !$0.isWaived && $0.severity == severity }
            guard !shown.isEmpty else { continue }
            let count = findingCount(shown)
            // Read from the findings (`Finding.fails`), not the severity: `no-traffic` fails at any threshold.
            let failing = shown.reduce(0) { sum, group in sum + group.findings.count { $0.fails(under: failOn) } }
            let gate = failing == count ? "fails the audit at --fail-on \(failOn.rawValue)"
                : failing == 0 ? "reported; does not fail the audit at --fail-on \(failOn.rawValue)"
                : "\(failing) of \(count) fail the audit at --fail-on \(failOn.rawValue)"
            group("s-\(severity.rawValue)", title(severity.rawValue, count), gate, shown, to: sink)
        }
        let waived = groups.filter(\.isWaived)
        if !waived.isEmpty {
            group("waived", title("waived", findingCount(waived)), "covered by a waiver in the policy; never fails the audit",
                  waived, to: sink)
        }
    }

    /// The findings of `groups`: counted from the groups shown, not from the result's
    /// findings, each of which `count(where:)` copied (a dozen references) to read two of
    /// its fields, once for every section.
    private static func findingCount(_ groups: [FindingGroup]) -> Int {
        groups.reduce(0) { $0 + $1.findings.count }
    }

    private static func title(_ name: String, _ count: Int) -> String {
        name.prefix(1).uppercased() + name.dropFirst() + " (\(count))"
    }

    private static func group(_ cssClass: String, _ title: String, _ gate: String, _ groups: [FindingGroup], to sink: ByteSink) {
        let head: Markup = """
        <div class="severity \(cssClass)">
        <h3>\(title)<span class="gate">\(gate)</span></h3>
        <ol class="findings">

        """
        sink.write(head.description)
        for group in groups { write(group, to: sink) }
        sink.write("</ol>\n</div>\n")
    }

    /// One card: piece by piece into the sink, each value escaped as it goes
    /// (`write(htmlEscaping:)`), not one text of markup made first and copied (a long
    /// message and remediation each, for tens of thousands of findings).
    private static func write(_ group: FindingGroup, to sink: ByteSink) {
        let severity = group.severity.rawValue
        let first = group.findings[0]
        sink.write(group.isWaived ? "<li class=\"finding waived s-" as StaticString : "<li class=\"finding s-")
        sink.write(severity)
        sink.write("\" data-findings=\"" as StaticString)
        sink.write(decimal: UInt64(group.findings.count))
        sink.write("\"><div class=\"what\"><span class=\"badge s-" as StaticString)
        sink.write(severity)
        sink.write("\">" as StaticString)
        sink.write(severity)
        sink.write("</span> " as StaticString)
        sink.write(htmlEscaping: group.title)
        if group.findings.count > 1 {
            sink.write(" · " as StaticString)
            hostList(group.hosts, to: sink)
        } else {
            let location = first.location
            if !location.isEmpty {
                sink.write(" · <span class=\"mono\">" as StaticString)
                sink.write(htmlEscaping: location)
                sink.write("</span>" as StaticString)
            }
        }
        sink.write("</div>\n<p>" as StaticString)
        sink.write(htmlEscaping: group.message)
        sink.write("</p>\n<p class=\"remedy\"><b>Remediation:</b> " as StaticString)
        sink.write(htmlEscaping: group.remediation)
        sink.write("</p>\n" as StaticString)
        if let waiver = first.waiverText {
            sink.write("<p class=\"remedy\"><b>Waiver:</b> " as StaticString)
            sink.write(htmlEscaping: waiver)
            sink.write("</p>\n" as StaticString)
        }
        sink.write("</li>\n" as StaticString)
    }

    /// The hosts of a group, ", " between them: the first ten, the rest inside `<details>`
    /// (no script needed).
    private static func hostList(_ hosts: [String], to sink: ByteSink) {
        for (index, host) in hosts.enumerated() {
            if index == 10 {
                sink.write(" <details><summary>and " as StaticString)
                sink.write(decimal: UInt64(hosts.count - 10))
                sink.write(" more hosts</summary>" as StaticString)
            } else if index > 0 {
                sink.write(", " as StaticString)
            }
            sink.write("<span class=\"mono\">" as StaticString)
            sink.write(htmlEscaping: host)
            sink.write("</span>" as StaticString)
        }
        if hosts.count > 10 { sink.write("</details>" as StaticString) }
    }
}
