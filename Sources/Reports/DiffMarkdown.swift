/// A diff in Markdown for a ticket or a pull request comment: the verdict, whether the
/// policies differ (and in which fields, as a table), then the two tables, every cell escaped as in `MarkdownReport`.
enum DiffMarkdown {
    static func render(_ rows: DiffRows) -> String {
        let e = MarkdownReport.escaped
        var out = ["# dasaudit diff: \(rows.headline)", "", "**\(e(rows.reason))**. \(e(rows.counts)).", "",
                   "- baseline: \(e(DiffRows.describe(rows.diff.baseline)))", "- current: \(e(DiffRows.describe(rows.diff.current)))",
                   "- policy: " + (rows.policy.isEmpty ? e(rows.policyLine) : "**\(e(rows.policyLine))**"), ""]
        if !rows.policy.isEmpty {
            out += ["## Policy changes (\(rows.policy.count))", "", MarkdownReport.table(DiffRows.policyHeaders, rows.policy.map { $0.map(e) }), ""]
        }
        out.append("## Service changes (\(rows.services.count))")
        out.append("")
        out.append(rows.services.isEmpty ? "None." : MarkdownReport.table(DiffRows.serviceHeaders, rows.services.map { $0.map(e) }, rightAligned: [2]))
        out.append("")
        out.append("## Finding changes (\(rows.findings.count))")
        out.append("")
        out.append(rows.findings.isEmpty ? "None." : MarkdownReport.table(DiffRows.findingHeaders, rows.findings.map { $0.map(e) }))
        return out.joined(separator: "\n") + "\n"
    }
}
