import Audit
import Foundation
import Reports
import XCTest

/// A capture on every interface of a host that translates addresses: every report names the
/// translations whose connections were audited once (the eight with the most connections),
/// and the JSON (valid against the schema) counts them by name in `coverage.translated`.
final class TranslationReportTests: XCTestCase {
    func testEveryReportNamesTheTranslations() throws {
        var result = syntheticAudit(services: 3)
        result.coverage.translated = ["10.96.0.10:80 -> 10.207.0.2:9763": 3, "10.208.0.254:19763 -> 10.207.0.2:9763": 4,
                                      "client 10.207.0.2 -> 10.208.0.254": 2]
        let expected = "9 connections captured again after address translation (NAT), audited once, as they reached the "
            + "server or left the host: 10.208.0.254:19763 -> 10.207.0.2:9763 (4), 10.96.0.10:80 -> 10.207.0.2:9763 (3), "
            + "client 10.207.0.2 -> 10.208.0.254 (2)"
        XCTAssertTrue(TextReport(color: false).render(result).contains("; " + expected))
        // Markdown escapes the arrow's `>` (a quote at the start of a line).
        XCTAssertTrue(MarkdownReport.render(result).contains(
            "- Address translation: " + expected.replacingOccurrences(of: "->", with: "-\\>")))
        XCTAssertTrue(HTMLReport.render(result).contains(expected.replacingOccurrences(of: ">", with: "&gt;")))
        XCTAssertTrue(JUnitReport.render(result).contains("<property name=\"translated_connections\" value=\"9\"/>"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try JSONReport.render(result).utf8)) as? [String: Any])
        let coverage = try XCTUnwrap(json["coverage"] as? [String: Any])
        XCTAssertEqual(coverage["translated"] as? [String: Int], ["10.96.0.10:80 -> 10.207.0.2:9763": 3,
                                                                  "10.208.0.254:19763 -> 10.207.0.2:9763": 4,
                                                                  "client 10.207.0.2 -> 10.208.0.254": 2])
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent("docs/result-schema.json")))
        let validator = JSONSchemaValidator(root: try XCTUnwrap(schema as? [String: Any]))
        XCTAssertEqual(validator.errors(json), [])

        // A name that is not FROM -> TO is not a valid result.
        var foreign = json
        foreign["coverage"] = coverage.merging(["translated": ["anything": 1]]) { $1 }
        XCTAssertFalse(validator.errors(foreign).isEmpty)
        XCTAssertThrowsError(try JSONReport.parse(try JSONSerialization.data(withJSONObject: foreign)))
    }

    func testPastEightTheRestAreCounted() {
        var result = syntheticAudit(services: 1)
        result.coverage.translated = Dictionary(uniqueKeysWithValues: (1...10).map {
            ("10.0.0.\($0):80 -> 10.1.0.\($0):9763", UInt64($0))
        })
        let text = TextReport(color: false).render(result)
        XCTAssertTrue(text.contains("55 connections captured again"), text)
        XCTAssertTrue(text.contains("10.0.0.10:80 -> 10.1.0.10:9763 (10), 10.0.0.9:80 -> 10.1.0.9:9763 (9)"), text)
        XCTAssertTrue(text.contains("10.0.0.3:80 -> 10.1.0.3:9763 (3), and 2 more"), text)
        XCTAssertFalse(text.contains("10.0.0.2:80"), text)
    }

    func testWithoutTranslationsNothingIsSaid() {
        var result = syntheticAudit(services: 3)
        for translated in [nil, [:]] as [[String: UInt64]?] {
            result.coverage.translated = translated
            assertReportsSayNothing(of: result, text: "translation", markdown: "Address translation",
                                    html: "Address translation", junit: "translated_connections")
        }
    }

    /// A result file is input too: a translation's name in it reaches the terminal and the
    /// Markdown and HTML reports escaped.
    func testATranslationNameFromAResultFileIsEscapedEverywhere() {
        var result = syntheticAudit(services: 1)
        result.coverage.translated = [plantedName + " -> 10.0.0.1:80": 1]
        assertPlantedNameIsEscapedEverywhere(result)
    }
}
