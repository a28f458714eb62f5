import Audit
import Foundation
import Reports
import XCTest

/// A capture made on an underlay (VXLAN, GRE, ...): every report says how many TCP segments
/// came out of tunnels and that their inner addresses are what was audited; the JSON (valid
/// against the schema) counts them by tunnel in `coverage.tunneled`.
final class TunnelReportTests: XCTestCase {
    func testEveryReportSaysHowManySegmentsCameOutOfTunnels() throws {
        var result = syntheticAudit(services: 3)
        result.coverage.tunneled = ["vxlan": 700, "gre": 19]
        let expected = "719 TCP segments taken out of tunnels (gre 19, vxlan 700), audited by their inner addresses"
        XCTAssertTrue(TextReport(color: false).render(result).contains("; " + expected))
        XCTAssertTrue(MarkdownReport.render(result).contains("- Tunnels: " + expected))
        XCTAssertTrue(HTMLReport.render(result).contains(expected))
        XCTAssertTrue(JUnitReport.render(result).contains("<property name=\"tunneled_segments\" value=\"719\"/>"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try JSONReport.render(result).utf8)) as? [String: Any])
        let coverage = try XCTUnwrap(json["coverage"] as? [String: Any])
        XCTAssertEqual(coverage["tunneled"] as? [String: Int], ["vxlan": 700, "gre": 19])
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent("docs/result-schema.json")))
        let validator = JSONSchemaValidator(root: try XCTUnwrap(schema as? [String: Any]))
        XCTAssertEqual(validator.errors(json), [])

        // A tunnel name outside the vocabulary is not a valid result.
        var foreign = json
        foreign["coverage"] = coverage.merging(["tunneled": ["wireguard": 1]]) { $1 }
        XCTAssertFalse(validator.errors(foreign).isEmpty)
    }

    func testWithoutTunnelsNothingIsSaid() {
        var result = syntheticAudit(services: 3)
        for tunneled in [nil, [:]] as [[String: UInt64]?] {
            result.coverage.tunneled = tunneled
            assertReportsSayNothing(of: result, text: "tunnels", markdown: "Tunnels", html: "Tunnels",
                                    junit: "tunneled_segments")
        }
    }

    /// A result file is input too: a tunnel name in it reaches the terminal and the
    /// Markdown and HTML reports escaped.
    func testATunnelNameFromAResultFileIsEscapedEverywhere() {
        var result = syntheticAudit(services: 1)
        result.coverage.tunneled = [plantedName: 1]
        assertPlantedNameIsEscapedEverywhere(result)
    }
}
