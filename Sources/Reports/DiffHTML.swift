/// A diff as one self-contained HTML page, with the audit report's stylesheet and content
/// security policy (nothing loads, no script); every value escaped (`Markup`).
enum DiffHTML {
    static func render(_ rows: DiffRows) -> String {
        func table(_ headers: [String], _ cells: [[String]], numeric: Set<Int> = []) -> Markup {
            guard !cells.isEmpty else { return "<p>None.</p>\n" }
            var table = HTMLTable(headers: headers, numeric: numeric)
            for row in cells { table.append(row.map { "\($0)" }, cssClass: "change-\(row[0])") }
            return table.render()
        }
        let document: Markup = """
        \(HTMLPage.start(title: "\(rows.headline): dasaudit diff"))
        <header class="verdict \(rows.diff.worse ? "fail" : "pass")">
        <p class="eyebrow">dasaudit diff</p>
        <h1>\(rows.headline)</h1>
        <p class="reason">\(rows.reason). \(rows.counts).</p>
        </header>
        <section id="compared">
        <h2>Compared</h2>
        <dl class="facts"><dt>Baseline</dt><dd>\(DiffRows.describe(rows.diff.baseline))</dd><dt>Current</dt><dd>\(DiffRows.describe(rows.diff.current))</dd><dt>Policy</dt><dd>\(rows.policyLine)</dd></dl>
        </section>
        \(rows.policy.isEmpty ? "" : "<section id=\"policy\">\n<h2>Policy changes (\(rows.policy.count))</h2>\n" as Markup
            + table(DiffRows.policyHeaders, rows.policy) + "</section>\n")
        <section id="services">
        <h2>Service changes (\(rows.services.count))</h2>
        \(table(DiffRows.serviceHeaders, rows.services, numeric: [2]))</section>
        <section id="findings">
        <h2>Finding changes (\(rows.findings.count))</h2>
        \(table(DiffRows.findingHeaders, rows.findings))</section>
        </body>
        </html>

        """
        return document.description
    }
}
