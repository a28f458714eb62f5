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
        write(rows, rowClass: \.cssClass, to: sink) { row, cells in
            for cell in row.cells { cells.add(cell) }
        }
    }

    /// Writes a table of a row for each of `items`, as `write(_:to:)` does, each row's cells
    /// written straight into the sink by `cells` (`Cells`): a table of tens of thousands of
    /// rows, made first as rows of markup cells, spent more making them than writing them.
    func write<Items: Collection>(_ items: Items, rowClass: (Items.Element) -> String?, to sink: ByteSink,
                                  cells: (Items.Element, inout Cells) -> Void) {
        let head = headers.enumerated().map { column, header -> Markup in
            numeric.contains(column) ? "<th class=\"num\" scope=\"col\">\(header)</th>" : "<th scope=\"col\">\(header)</th>"
        }
        let numericColumns = (0..<(numeric.max().map { $0 + 1 } ?? 0)).map(numeric.contains)
        func table(_ body: Items.SubSequence) {
            let start: Markup = "<div class=\"scroll\"><table class=\"\(cssClass)\">\n<thead><tr>\(head)</tr></thead>\n<tbody>\n"
            sink.write(start.description)
            for item in body {
                if let rowClass = rowClass(item) {
                    sink.write("<tr class=\"" as StaticString)
                    sink.write(htmlEscaping: rowClass)
                    sink.write("\">" as StaticString)
                } else {
                    sink.write("<tr>" as StaticString)
                }
                var row = Cells(sink: sink, numeric: numericColumns)
                cells(item, &row)
                sink.write("</tr>\n" as StaticString)
            }
            sink.write("</tbody>\n</table></div>\n")
        }
        guard items.count > visibleRows else { return table(items[...]) }
        table(items.prefix(visibleRows))
        sink.write(("<details class=\"more-rows\"><summary>\(items.count - visibleRows) more rows</summary>\n" as Markup).description)
        table(items.dropFirst(visibleRows))
        sink.write("</details>\n")
    }

    /// The cells of one row, left to right, each `<td>` (of class `num` in a numeric column)
    /// written around what it holds: markup as it is, text escaped (`htmlEscaped`), counts
    /// and numbers as digits.
    struct Cells {
        let sink: ByteSink
        let numeric: [Bool]
        private var column = 0

        init(sink: ByteSink, numeric: [Bool]) {
            self.sink = sink
            self.numeric = numeric
        }

        mutating func add(_ markup: Markup) { add { $0.write(markup.text) } }

        mutating func add(text: String) { add { $0.write(htmlEscaping: text) } }

        /// A cell of `text`, escaped, between the markup `open` and `close` (`<span ...>`, `</span>`).
        mutating func add(_ open: StaticString, text: String, _ close: StaticString) {
            add { sink in
                sink.write(open)
                sink.write(htmlEscaping: text)
                sink.write(close)
            }
        }

        mutating func add(count: UInt64) { add { $0.write(decimal: count) } }

        mutating func add(number: Int) { add { $0.write(decimal: Int64(number)) } }

        /// A cell whose content `content` writes: markup pieces and escaped values.
        mutating func add(_ content: (ByteSink) -> Void) {
            sink.write(column < numeric.count && numeric[column] ? "<td class=\"num\">" as StaticString : "<td>")
            content(sink)
            sink.write("</td>" as StaticString)
            column += 1
        }
    }
}
