/// A GitHub-flavoured Markdown pipe table, written into a sink a row at a time: a header
/// row, its alignment row, then a row per item, each cell escaped as it goes in.
struct MarkdownTable {
    var headers: [String]
    /// Columns aligned right (numbers).
    var rightAligned: Set<Int> = []

    /// Writes the table of a row for each of `items`, each row's cells written straight into
    /// the sink by `cells` (`Cells`): the services table of tens of thousands of rows,
    /// made first as arrays of escaped strings, spent more making them than writing them.
    func write<Items: Sequence>(_ items: Items, to sink: ByteSink, cells: (Items.Element, inout Cells) -> Void) {
        var header = Cells(sink: sink)
        for title in headers { header.add(literal: title) }
        header.end()
        var alignment = Cells(sink: sink)
        for column in headers.indices { alignment.add(literal: rightAligned.contains(column) ? "---:" : "---") }
        alignment.end()
        for item in items {
            var row = Cells(sink: sink)
            cells(item, &row)
            row.end()
        }
    }

    /// Writes the table of `rows`, whose cells are already escaped.
    func write(_ rows: some Sequence<[String]>, to sink: ByteSink) {
        write(rows, to: sink) { row, cells in
            for cell in row { cells.add(literal: cell) }
        }
    }

    /// The table of `rows` (cells already escaped) as text, its lines joined, no line end
    /// after the last.
    func text(_ rows: [[String]]) -> String {
        String(ByteSink.collect { write(rows, to: $0) }.dropLast())
    }

    /// The cells of one row, left to right, each after its separator: text escaped
    /// (`markdownEscaped`, a plain value copied as it is), counts as digits, markup as it is.
    struct Cells {
        let sink: ByteSink
        private var column = 0

        init(sink: ByteSink) { self.sink = sink }

        mutating func add(text: String) {
            separate()
            sink.write(text.markdownEscaped)
        }

        /// A count as its digits (a sign first if negative), as `"\(count)"` writes it.
        mutating func add(count: some BinaryInteger) {
            separate()
            if let unsigned = UInt64(exactly: count) { sink.write(decimal: unsigned) } else { sink.write(decimal: Int64(count)) }
        }

        /// A cell that is Markdown already: a literal of the report's or escaped text.
        mutating func add(literal: String) {
            separate()
            sink.write(literal)
        }

        /// Ends the row.
        func end() { sink.write(" |\n" as StaticString) }

        private mutating func separate() {
            sink.write(column == 0 ? "| " as StaticString : " | ")
            column += 1
        }
    }
}
