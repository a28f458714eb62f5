/// A plain-text table with columns padded to their widest cell; numeric columns align right.
/// Cells are shown `terminalEscaped`: a value cannot break its row or reach the terminal
/// as a control sequence. Public for the command line's own listings (`dasaudit interfaces`).
public struct TextTable {
    public var headers: [String]
    public var rightAligned: Set<Int> = []
    public var rows: [[String]] = []

    public init(headers: [String], rightAligned: Set<Int> = [], rows: [[String]] = []) {
        self.headers = headers
        self.rightAligned = rightAligned
        self.rows = rows
    }

    public func render(indent: String = "  ") -> String {
        let headers = headers.map(\.terminalEscaped)
        let rows = rows.map { $0.map(\.terminalEscaped) }
        let widths = headers.indices.map { column in
            ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            let padded = cells.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }
            return indent + padded.joined(separator: "  ").trimmingTrailingSpaces()
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
