import Audit
import Foundation
@testable import Reports
import XCTest

/// Every report's verdict is the findings' under `fail_on`, never `summary.compliant`
/// read as given: a result edited (or built) to say compliant over failing findings
/// rendered green in text, Markdown and HTML, and JUnit said COMPLIANT beside its failures.
final class VerdictDerivationTests: XCTestCase {
    func testTheVerdictIsTheFindingsNotTheSummaryField() throws {
        var result = try auditedCapture()
        XCTAssertFalse(result.summary.compliant)
        result.summary.compliant = true
        let verdict = Verdict(result)
        XCTAssertFalse(verdict.compliant)
        XCTAssertEqual(verdict.reason, "7 findings at or above --fail-on medium")
        XCTAssertTrue(try ReportFormat.text.render(result, color: false).hasSuffix("NOT COMPLIANT: 7 findings at or above --fail-on medium\n"))
        XCTAssertTrue(try ReportFormat.markdown.render(result, color: false).hasPrefix("# dasaudit compliance report: NOT COMPLIANT\n"))
        XCTAssertTrue(try ReportFormat.html.render(result, color: false).contains("<header class=\"verdict fail\">"))
        XCTAssertTrue(try ReportFormat.junit.render(result, color: false).contains("<property name=\"verdict\" value=\"NOT COMPLIANT\"/>"))
        // Read back, such a result is refused by field.
        XCTAssertThrowsError(try result.validate()) { error in
            XCTAssertEqual((error as? ResultValidationError)?.path, "summary.compliant")
        }
        // And the other way: compliant false over no failing finding is refused too.
        var lenient = try auditedCapture(failOn: .never)
        XCTAssertTrue(lenient.summary.compliant)
        lenient.summary.compliant = false
        XCTAssertThrowsError(try lenient.validate())
    }
}
