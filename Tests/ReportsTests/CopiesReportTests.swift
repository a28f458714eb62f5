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

    /// An input whose first segments held copies (a file of every packet twice, found by
    /// the sample): the reports say how many were dropped and how they were found, and the
    /// JSON names them in the input's `duplicates_found_by_sample`, valid against the schema.
    func testEveryReportSaysTheCopiesTheSampleFound() throws {
        var result = auditWithCopies()
        result.inputs[0].skipped["duplicate"] = 398
        result.inputs[0].duplicatesFoundBySample = 398
        let expected = "398 copies dropped in 1 input that holds every packet twice without naming two interfaces, "
            + "found by its first TCP segments (looked for as with --deduplicate)"
        XCTAssertTrue(TextReport(color: false).render(result).contains("; " + expected))
        XCTAssertTrue(MarkdownReport.render(result).contains("- **Copies found without --deduplicate**: " + expected))
        XCTAssertTrue(HTMLReport.render(result).contains(expected))
        let rendered = try JSONReport.render(result)
        XCTAssertTrue(rendered.contains("\"duplicates_found_by_sample\" : 398"), rendered)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(rendered.utf8)) as? [String: Any])
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent("docs/result-schema.json")))
        XCTAssertEqual(JSONSchemaValidator(root: try XCTUnwrap(schema as? [String: Any])).errors(json), [])
        XCTAssertFalse(try JSONReport.render(auditWithCopies()).contains("duplicates_found_by_sample"), "absent when none")
        XCTAssertFalse(TextReport(color: false).render(auditWithCopies()).contains("found by its first TCP segments"))
    }

    func testWithoutCopiesNothingIsSaid() {
        let result = syntheticAudit(services: 3)
        XCTAssertFalse(TextReport(color: false).render(result).contains("copies"))
        XCTAssertFalse(MarkdownReport.render(result).contains("Copies"))
        XCTAssertFalse(JUnitReport.render(result).contains("duplicate_packets"))
    }
}
