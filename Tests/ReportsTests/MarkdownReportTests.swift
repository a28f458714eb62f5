import Audit
@testable import Reports
import XCTest

/// The cells of a Markdown table row, split at pipes that are not backslash-escaped.
func markdownCells(_ line: String) -> [String] {
    var cells: [String] = [], cell = "", escaped = false
    for character in line.dropFirst().dropLast() {
        if escaped { cell.append(character); escaped = false }
        else if character == "\\" { cell.append(character); escaped = true }
        else if character == "|" { cells.append(cell.trimmingCharacters(in: .whitespaces)); cell = "" }
        else { cell.append(character) }
    }
    return cells + [cell.trimmingCharacters(in: .whitespaces)]
}

/// The body rows of the first table after `heading`.
func markdownTable(_ markdown: String, after heading: String) -> [[String]] {
    markdownTableWithHeader(markdown, after: heading).rows
}

/// The header and the body rows of the first table after `heading`.
func markdownTableWithHeader(_ markdown: String, after heading: String) -> (header: [String], rows: [[String]]) {
    guard let start = markdown.range(of: heading) else { return ([], []) }
    let lines = markdown[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let table = lines.drop { !$0.hasPrefix("| ") }.prefix { $0.hasPrefix("| ") }
    return (table.first.map(markdownCells) ?? [], table.dropFirst(2).map(markdownCells))
}

final class MarkdownReportTests: XCTestCase {
    func testTheTicketReportHasTheVerdictEvidenceFindingsAndServices() throws {
        let result = try auditedCapture()
        let markdown = MarkdownReport.render(result)
        XCTAssertTrue(markdown.hasPrefix("# dasaudit compliance report: NOT COMPLIANT\n\n**NOT COMPLIANT**: 7 findings at or above --fail-on medium."))
        XCTAssertTrue(markdown.contains("- Policy SHA-256: `\(result.evidence!.policySha256)`"))
        XCTAssertTrue(markdown.contains(result.evidence!.inputs[0].sha256!))
        let findings = markdownTable(markdown, after: "## Findings")
        XCTAssertEqual(findings.map(\.first), result.findings.map(\.severity.rawValue))
        XCTAssertEqual(findings.filter { $0[1] == "yes" }.count, 7)
        let services = markdownTable(markdown, after: "## Services")
        XCTAssertEqual(services.map { "\($0[0]):\($0[1])" }, result.services.map { "\($0.address):\($0.port)" })
        XCTAssertEqual(markdownTable(markdown, after: "## Unused openings").count, result.unusedOpenings.count)
    }

    func testTextCannotBreakTheTableOrBecomeMarkup() throws {
        XCTAssertEqual(MarkdownReport.escaped("a|b <i>*x*</i> [l](u) `c` & ~s~ _u_\nnext"),
                       "a\\|b \\<i\\>\\*x\\*\\</i\\> \\[l\\](u) \\`c\\` \\& \\~s\\~ \\_u\\_\\nnext")
        let result = try hostileResult()
        let markdown = MarkdownReport.render(result)
        let findings = markdownTable(markdown, after: "## Findings")
        XCTAssertEqual(findings.count, result.findings.count)
        XCTAssertTrue(findings.allSatisfy { $0.count == 6 })
        // Every angle bracket and pipe from the input is escaped, so none opens a tag or a cell.
        XCTAssertFalse(markdown.replacingOccurrences(of: "\\<", with: "").contains("<"))
        XCTAssertTrue(markdown.contains("\\<script\\>"))
        XCTAssertEqual(markdownTable(markdown, after: "## Services").count, result.services.count)
    }
}
