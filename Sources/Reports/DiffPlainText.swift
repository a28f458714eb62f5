/// A diff for the terminal: what was compared (and whether under one policy), the policy,
/// service and finding changes as aligned tables, and the verdict last, as the audit's text report ends. Everything taken from the
/// results is shown `terminalEscaped` (the tables escape their cells).
enum DiffPlainText {
    static func render(_ rows: DiffRows) -> String {
        var out = ["baseline: " + DiffRows.describe(rows.diff.baseline).terminalEscaped,
                   "current:  " + DiffRows.describe(rows.diff.current).terminalEscaped,
                   "policy:   " + rows.policyLine.terminalEscaped, ""]
        if !rows.policy.isEmpty {
            out.append("Policy changes (\(rows.policy.count))")
            out.append(TextTable(headers: DiffRows.policyHeaders.map { $0.uppercased() }, rows: rows.policy).render())
            out.append("")
        }
        out.append("Service changes (\(rows.services.count))")
        out.append(rows.services.isEmpty ? "  none"
            : TextTable(headers: DiffRows.serviceHeaders.map { $0.uppercased() }, rightAligned: [2], rows: rows.services.map { $0.map(dash) }).render())
        out.append("")
        out.append("Finding changes (\(rows.findings.count))")
        out.append(rows.findings.isEmpty ? "  none"
            : TextTable(headers: DiffRows.findingHeaders.map { $0.uppercased() }, rows: rows.findings.map { $0.map(dash) }).render())
        out.append("")
        out.append(rows.counts)
        out.append("\(rows.headline): \(rows.reason)")
        return out.joined(separator: "\n") + "\n"
    }

    private static func dash(_ cell: String) -> String { cell.isEmpty ? "-" : cell }
}
