import Audit
import Foundation

/// Writes a `ResultDiff` in any report format: the same choice of formats as an audit,
/// so a CI job can publish the diff the way it publishes the audit.
public enum DiffReport {
    public static func render(_ diff: ResultDiff, as format: ReportFormat) throws -> String {
        let rows = DiffRows(diff)
        return switch format {
        case .text: DiffPlainText.render(rows)
        case .json: String(decoding: JSONInvisibles.escaped(try ResultCoding.encoder().encode(diff)), as: UTF8.self) + "\n"
        case .html: DiffHTML.render(rows)
        case .csv: DiffCSV.render(rows)
        case .markdown: DiffMarkdown.render(rows)
        case .junit: DiffJUnit.render(rows)
        }
    }
}
