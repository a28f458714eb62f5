import Audit
import Reports
import XCTest

/// A hostile name planted in one of a result's coverage counts (a tunnel, a translation):
/// an escape sequence that would clear the terminal, and markup for HTML and Markdown.
let plantedName = "\u{1B}[2J<b>*x*</b>"

/// The name `plantedName` in `result`'s coverage reaches the terminal, the HTML and the
/// Markdown reports escaped: a result file is input too.
func assertPlantedNameIsEscapedEverywhere(_ result: AuditResult, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertFalse(TextReport(color: false).render(result).contains("\u{1B}[2J"), file: file, line: line)
    XCTAssertFalse(HTMLReport.render(result).contains("<b>*x*</b>"), file: file, line: line)
    XCTAssertFalse(MarkdownReport.render(result).contains("<b>*x*</b>"), file: file, line: line)
}

/// No report of `result` says what each would say of a coverage count that is not there:
/// the text report `text`, the Markdown `markdown`, the HTML `html`, the JUnit `junit`.
func assertReportsSayNothing(of result: AuditResult, text: String, markdown: String, html: String, junit: String,
                             file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertFalse(TextReport(color: false).render(result).contains(text), file: file, line: line)
    XCTAssertFalse(MarkdownReport.render(result).contains(markdown), file: file, line: line)
    XCTAssertFalse(HTMLReport.render(result).contains(html), file: file, line: line)
    XCTAssertFalse(JUnitReport.render(result).contains(junit), file: file, line: line)
}
