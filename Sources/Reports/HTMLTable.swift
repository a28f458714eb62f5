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

    /// The table of the rows appended, as markup (`write`, collected in memory).
    func render() -> Markup {
        Markup(stringLiteral: ByteSink.collect { write(rows, to: $0) })
    }

    /// Writes the table of `rows` to `sink` row by row: a table that is a view over a result
    /// (a lazy collection) is never held whole. A large table shows its first rows; the rest
    /// wait inside <details> (no script: the report's CSP is default-src 'none').
    func write<Rows: Collection<Row>>(_ rows: Rows, to sink: ByteSink) {
        let head = headers.enumerated().map { column, header -> Markup in
            numeric.contains(column) ? "<th class=\"num\" scope=\"col\">\(header)</th>" : "<th scope=\"col\">\(header)</th>"
        }
        func table(_ body: Rows.SubSequence) {
            let start: Markup = "<div class=\"scroll\"><table class=\"\(cssClass)\">\n<thead><tr>\(head)</tr></thead>\n<tbody>\n"
            sink.write(start.description)
            // Cell by cell into the sink, not a row of markup made first: the services table
            // of tens of thousands of rows spent more making rows than writing them.
            for row in body {
                if let rowClass = row.cssClass {
                    sink.write("<tr class=\"" as StaticString)
                    sink.write(rowClass.htmlEscaped)
                    sink.write("\">" as StaticString)
                } else {
                    sink.write("<tr>" as StaticString)
                }
                for (column, cell) in row.cells.enumerated() {
                    sink.write(numeric.contains(column) ? "<td class=\"num\">" as StaticString : "<td>")
                    sink.write(cell.text)
                    sink.write("</td>" as StaticString)
                }
                sink.write("</tr>\n" as StaticString)
            }
            sink.write("</tbody>\n</table></div>\n")
        }
        guard rows.count > visibleRows else { return table(rows[...]) }
        table(rows.prefix(visibleRows))
        sink.write(("<details class=\"more-rows\"><summary>\(rows.count - visibleRows) more rows</summary>\n" as Markup).description)
        table(rows.dropFirst(visibleRows))
        sink.write("</details>\n")
    }
}
