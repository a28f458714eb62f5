/// An HTML table: a header row that repeats on every printed page, and body rows of
/// markup cells. Numeric columns align right with even digits, as in `TextTable`.
struct HTMLTable {
    var headers: [String]
    /// Columns holding numbers.
    var numeric: Set<Int> = []
    var cssClass = "data"
    var rows: [Row] = []
    /// Rows shown before the rest is folded into `<details>`.
    var visibleRows = 100

    struct Row {
        var cells: [Markup]
        /// A class for the row (`c-unexpected`), so it can be styled by what it shows.
        var cssClass: String?
    }

    mutating func append(_ cells: [Markup], cssClass: String? = nil) {
        rows.append(Row(cells: cells, cssClass: cssClass))
    }

    func render() -> Markup {
        let head = headers.enumerated().map { column, header -> Markup in
            numeric.contains(column) ? "<th class=\"num\" scope=\"col\">\(header)</th>" : "<th scope=\"col\">\(header)</th>"
        }
        let body = rows.map { row -> Markup in
            let cells = row.cells.enumerated().map { column, cell -> Markup in
                numeric.contains(column) ? "<td class=\"num\">\(cell)</td>" : "<td>\(cell)</td>"
            }
            let open: Markup = row.cssClass.map { "<tr class=\"\($0)\">" } ?? "<tr>"
            return "\(open)\(cells)</tr>\n"
        }
        func table(_ body: ArraySlice<Markup>) -> Markup {
            "<div class=\"scroll\"><table class=\"\(cssClass)\">\n<thead><tr>\(head)</tr></thead>\n<tbody>\n\(Array(body))</tbody>\n</table></div>\n"
        }
        // A large table shows its first rows; the rest wait inside <details> (no script:
        // the report's CSP is default-src 'none').
        guard body.count > visibleRows else { return table(body[...]) }
        return table(body.prefix(visibleRows))
            + "<details class=\"more-rows\"><summary>\(body.count - visibleRows) more rows</summary>\n\(table(body.dropFirst(visibleRows)))</details>\n"
    }
}
