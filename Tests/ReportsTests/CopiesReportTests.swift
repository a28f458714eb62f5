import Audit
import Foundation
import Reports
import XCTest

/// A capture on every interface that held copies (`tcpdump -i any` through a bridge): every
/// report says how many packets were copies, counted once, and the JSON (valid against the
/// schema) counts them as `duplicate` in `skipped`.
final class CopiesReportTests: XCTestCase {
    private func auditWithCopies() -> AuditResult {
        var result = syntheticAudit(services: 3)
        result.coverage.skipped["duplicate"] = 398
        return result
    }

    func testEveryReportSaysHowManyCopiesWereCountedOnce() throws {
        let result = auditWithCopies()
        let expected = "398 copies of packets captured again on another interface, counted once"
        XCTAssertTrue(TextReport(color: false).render(result).contains("; " + expected))
        XCTAssertTrue(MarkdownReport.render(result).contains("- Copies: " + expected))
        XCTAssertTrue(HTMLReport.render(result).contains(expected))
        XCTAssertTrue(JUnitReport.render(result).contains("<property name=\"duplicate_packets\" value=\"398\"/>"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try JSONReport.render(result).utf8)) as? [String: Any])
        let coverage = try XCTUnwrap(json["coverage"] as? [String: Any])
        XCTAssertEqual(coverage["skipped"] as? [String: Int], ["duplicate": 398])
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent("docs/result-schema.json")))
        XCTAssertEqual(JSONSchemaValidator(root: try XCTUnwrap(schema as? [String: Any])).errors(json), [])
    }

    func testWithoutCopiesNothingIsSaid() {
        let result = syntheticAudit(services: 3)
        XCTAssertFalse(TextReport(color: false).render(result).contains("copies"))
        XCTAssertFalse(MarkdownReport.render(result).contains("Copies"))
        XCTAssertFalse(JUnitReport.render(result).contains("duplicate_packets"))
    }
}
