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

    /// Packets cut inside a tunnel and UDP left aside: text, Markdown and HTML say both,
    /// the JSON (valid against the schema) carries `coverage.udp`.
    func testEveryReportSaysWhatWasCutInsideTunnelsAndWhatUDPWasLeftAside() throws {
        var result = syntheticAudit(services: 3)
        result.inputs[0].skipped["truncated-in-tunnel"] = 176
        result.inputs[0].snaplen = 96
        result.inputs[0].complete = false
        result.coverage.skipped["truncated-in-tunnel"] = 176
        result.coverage.complete = false
        let udp = UDPCoverage(packets: 43, ports: [UDPPortCount(port: 9999, packets: 40, vxlanShaped: 40),
                                                   UDPPortCount(port: 53, packets: 3, vxlanShaped: 0)])
        result.coverage.udp = udp
        result.inputs[0].udp = udp
        let cut = "176 packets cut by the snapshot length (96 bytes) inside a tunnel, before their inner TCP header"
        let said = "43 UDP packets not audited (dasaudit audits TCP), to ports 9999 (40), 53 (3); port 9999 looks like VXLAN "
            + "(40 packets shaped so), whose TCP was not audited: declare it with --vxlan-port 9999"
        let text = TextReport(color: false).render(result)
        XCTAssertTrue(text.contains("; INCOMPLETE; " + cut), text)
        XCTAssertTrue(text.contains("; " + said), text)
        let markdown = MarkdownReport.render(result)
        XCTAssertTrue(markdown.contains("- **Cut inside tunnels**: " + cut), markdown)
        XCTAssertTrue(markdown.contains("- UDP: " + said), markdown)
        XCTAssertTrue(markdown.contains("incomplete: 176 packets cut inside a tunnel before the inner TCP header"), markdown)
        let html = HTMLReport.render(result)
        XCTAssertTrue(html.contains(cut), html)
        XCTAssertTrue(html.contains(said), html)
        XCTAssertTrue(html.contains("<b>no</b>: packets were cut inside a tunnel"), html)
        let junit = JUnitReport.render(result)
        XCTAssertTrue(junit.contains("<property name=\"cut_in_tunnels\" value=\"176\"/>"), junit)
        XCTAssertTrue(junit.contains("<property name=\"udp_packets\" value=\"43\"/>"), junit)
        XCTAssertTrue(junit.contains("<property name=\"udp_ports_shaped_like_vxlan\" value=\"9999\"/>"), junit)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try JSONReport.render(result).utf8)) as? [String: Any])
        let coverage = try XCTUnwrap(json["coverage"] as? [String: Any])
        XCTAssertEqual((coverage["udp"] as? [String: Any])?["packets"] as? Int, 43)
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent("docs/result-schema.json")))
        let validator = JSONSchemaValidator(root: try XCTUnwrap(schema as? [String: Any]))
        XCTAssertEqual(validator.errors(json), [])
        XCTAssertNoThrow(try result.validate())
        // A port's counts past the whole are no audit's.
        result.coverage.udp?.ports[0].vxlanShaped = 41
        XCTAssertThrowsError(try result.validate())

        // Without a port shaped like VXLAN, the hint says how one would be opened.
        result.coverage.udp = UDPCoverage(packets: 3, ports: [UDPPortCount(port: 53, packets: 3, vxlanShaped: 0)])
        XCTAssertTrue(TextReport(color: false).render(result).contains(
            "3 UDP packets not audited (dasaudit audits TCP), to port 53 (3); a port that carries VXLAN is opened with "
                + "--vxlan-port PORT"))
    }

    /// Several inputs' UDP: the counts added port by port, the busiest eight kept.
    func testUDPOfSeveralInputsIsAddedPortByPort() throws {
        let a = UDPCoverage(packets: 50, ports: [UDPPortCount(port: 9999, packets: 40, vxlanShaped: 40),
                                                 UDPPortCount(port: 53, packets: 10, vxlanShaped: 0)])
        let b = UDPCoverage(packets: 12, ports: [UDPPortCount(port: 53, packets: 12, vxlanShaped: 0)])
        XCTAssertEqual(UDPCoverage.combined([a, b]), UDPCoverage(packets: 62, ports: [
            UDPPortCount(port: 9999, packets: 40, vxlanShaped: 40), UDPPortCount(port: 53, packets: 22, vxlanShaped: 0)]))
        XCTAssertNil(UDPCoverage.combined([]))
        let many = UDPCoverage(byPort: Dictionary(uniqueKeysWithValues: (1...20).map {
            (UInt16($0), UDPPortCount(port: UInt16($0), packets: UInt64($0), vxlanShaped: 0))
        }))
        XCTAssertEqual(many?.packets, 210)
        XCTAssertEqual(many?.ports.map(\.port), [20, 19, 18, 17, 16, 15, 14, 13])
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
