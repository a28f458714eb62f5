import Audit

/// The formats a result can be written in, and the one place that picks the renderer.
public enum ReportFormat: String, CaseIterable, Sendable {
    /// The terminal summary.
    case text
    /// The `dasaudit.result/1` contract.
    case json
    /// One self-contained compliance report.
    case html
    /// One row per service, raw numbers.
    case csv
    /// For tickets and wikis.
    case markdown
    /// One test case per policy check, for CI systems.
    case junit

    /// Reads a format name as a user types it: any case, `md` for markdown.
    public init?(name: String) {
        let name = name.lowercased()
        self.init(rawValue: name == "md" ? "markdown" : name)
    }

    /// The names `init(name:)` accepts, for help and error messages.
    public static let acceptedNames = "text, json, html, csv, md (markdown), junit"

    /// Writes `result` in this format to `sink` while it is produced. `color` applies to
    /// text only (ANSI colour on a terminal).
    public func write(_ result: AuditResult, to sink: ByteSink, color: Bool = false) throws {
        switch self {
        case .text: sink.write(TextReport(color: color).render(result))
        case .json: try JSONReport.write(result, to: sink)
        case .html: HTMLReport.write(result, to: sink)
        case .csv: CSVReport.write(result, to: sink)
        case .markdown: MarkdownReport.write(result, to: sink)
        case .junit: JUnitReport.write(result, to: sink)
        }
    }

    /// Renders `result` in this format as one string (`write`, collected in memory).
    public func render(_ result: AuditResult, color: Bool = false) throws -> String {
        try ByteSink.collect { try write(result, to: $0, color: color) }
    }
}
