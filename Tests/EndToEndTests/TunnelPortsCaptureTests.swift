import Audit
import Foundation
import Policy
import Wire
import XCTest

/// Real HTTP over Linux VXLAN on the IANA port and on UDP 9999, a port only the user can
/// declare (scripts/recording/record-tunnel-ports.sh), to a DAS port (9763) and a rogue one
/// (31337) over each tunnel, and one fetch outside any tunnel; and copies of it cut to 96
/// and 128 bytes. tshark, told that 9999 is VXLAN (`-d udp.port==9999,vxlan`), counts 11
/// TCP conversations in the whole capture.
final class TunnelPortsCaptureTests: XCTestCase {
    let whole = capture("tunnel-vxlan-ports-underlay.pcap")
    let cut96 = capture("tunnel-vxlan-ports-underlay-s96.pcap")
    let cut128 = capture("tunnel-vxlan-ports-underlay-s128.pcap")

    private func json(_ arguments: [String]) throws -> (status: Int32, result: [String: Any]) {
        let run = try runDasaudit(arguments + ["--format", "json"])
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], run.stderr)
        return (run.status, result)
    }

    /// Cut before the inner TCP header, a tunnelled packet used to vanish: the audit of
    /// what was left (one connection outside a tunnel) passed, complete. Now the input is
    /// incomplete, a medium `incomplete-input` finding fails the default threshold, and
    /// every report says how many packets were cut and what keeps them.
    func testPacketsCutInsideATunnelMakeTheAuditIncomplete() throws {
        let result = Auditor(policy: Policy()).audit(paths: [cut96])
        XCTAssertEqual(result.coverage.connections, 1)
        XCTAssertEqual(result.coverage.skipped["truncated-in-tunnel"], 105)
        XCTAssertFalse(result.coverage.complete)
        XCTAssertFalse(result.inputs[0].complete)
        let cut = try XCTUnwrap(result.findings.first { $0.kind == .incompleteInput })
        XCTAssertEqual(cut.severity, .medium)
        let said = "105 packets cut by the snapshot length (96 bytes) inside a tunnel, before their inner TCP header: the "
            + "TCP they carried was not audited; a snapshot length of 256 keeps it (tcpdump -s 256)"
        XCTAssertEqual(cut.message, "\(cut96): \(said); services seen only in those packets are missing from the audit")
        XCTAssertFalse(result.summary.compliant)

        let text = try runDasaudit(["audit", cut96])
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stdout.contains("; INCOMPLETE; \(said)"), text.stdout)
        // The VXLAN on 9999 is an undeclared-tunnel finding besides (its UDP header is not cut).
        XCTAssertTrue(text.stdout.contains("NOT COMPLIANT: 2 findings at or above --fail-on medium"), text.stdout)
        // Below the finding's threshold, the verdict still says the audit was incomplete.
        let high = try runDasaudit(["audit", cut96, "--fail-on", "high"])
        XCTAssertEqual(high.status, 0)
        XCTAssertTrue(high.stdout.contains("COMPLIANT: no finding at or above --fail-on high (but the input was incomplete)"),
                      high.stdout)
        for format in ["markdown", "html", "junit", "csv"] {
            let report = try runDasaudit(["audit", cut96, "--format", format])
            XCTAssertTrue(report.stdout.contains("105 packets cut by the snapshot length (96 bytes) inside a tunnel"), format)
        }
        let markdown = try runDasaudit(["audit", cut96, "--format", "markdown"]).stdout
        XCTAssertTrue(markdown.contains("- **Cut inside tunnels**: \(said)"), markdown)
        XCTAssertTrue(markdown.contains("; **incomplete**: packets were cut inside a tunnel"), markdown)
        let (_, json) = try json(["audit", cut96])
        let coverage = try XCTUnwrap(json["coverage"] as? [String: Any])
        XCTAssertEqual(coverage["complete"] as? Bool, false)
    }

    /// At 128 bytes only inner IPv6 over the IPv6 underlay (144 bytes of headers) is cut:
    /// 24 packets, the two connections to fd00:223::2. Cut that little, it is still said.
    func testAFewPacketsCutAreSaidToo() throws {
        let result = Auditor(policy: Policy()).audit(paths: [cut128])
        let wholeResult = Auditor(policy: Policy()).audit(paths: [whole])
        XCTAssertEqual(result.coverage.skipped["truncated-in-tunnel"], 24)
        XCTAssertEqual(wholeResult.coverage.connections - result.coverage.connections, 2)
        XCTAssertFalse(result.services.contains { $0.address == "fd00:223::2" })
        XCTAssertFalse(result.coverage.complete)
        XCTAssertTrue(wholeResult.coverage.complete)
        XCTAssertEqual(result.findings.filter { $0.kind == .incompleteInput }.count, 1)
        XCTAssertFalse(wholeResult.findings.contains { $0.kind == .incompleteInput })
    }

    /// VXLAN on 9999 is UDP until declared: the coverage counts it, by port, shaped like
    /// VXLAN, and names the option; with `--vxlan-port 9999` its two connections (the rogue
    /// 10.222.0.2:31337 one of them) are audited, tshark's 11 in all.
    func testADeclaredVXLANPortIsOpenedAndAnUndeclaredOneIsNamed() throws {
        let (_, plain) = try json(["audit", whole])
        let coverage = try XCTUnwrap(plain["coverage"] as? [String: Any])
        XCTAssertEqual(coverage["connections"] as? Int, 9)
        let udp = try XCTUnwrap(coverage["udp"] as? [String: Any])
        XCTAssertEqual(udp["packets"] as? Int, 28)
        XCTAssertEqual((udp["ports"] as? [[String: Int]]) ?? [], [["port": 9999, "packets": 28, "vxlan_shaped": 28]])
        let inputs = try XCTUnwrap(plain["inputs"] as? [[String: Any]])
        XCTAssertEqual((inputs[0]["udp"] as? [String: Any])?["packets"] as? Int, 28)
        let text = try runDasaudit(["audit", whole]).stdout
        XCTAssertTrue(text.contains("; 28 UDP packets not audited (dasaudit audits TCP), to port 9999 (28); port 9999 looks "
                                    + "like VXLAN (28 packets shaped so), whose TCP was not audited: declare it with "
                                    + "--vxlan-port 9999"), text)
        for format in ["markdown", "html"] {
            XCTAssertTrue(try runDasaudit(["audit", whole, "--format", format]).stdout
                .contains("declare it with --vxlan-port 9999"), format)
        }

        let (_, opened) = try json(["audit", whole, "--vxlan-port", "9999"])
        let openedCoverage = try XCTUnwrap(opened["coverage"] as? [String: Any])
        XCTAssertEqual(openedCoverage["connections"] as? Int, 11)
        XCTAssertNil(openedCoverage["udp"] as? [String: Any])
        XCTAssertEqual(openedCoverage["tunneled"] as? [String: Int], ["vxlan": 120])
        let services = try XCTUnwrap(opened["services"] as? [[String: Any]])
        let rogue = try XCTUnwrap(services.first { $0["address"] as? String == "10.222.0.2" && $0["port"] as? Int == 31337 })
        XCTAssertEqual(rogue["classification"] as? String, "unexpected")
        XCTAssertEqual(rogue["protocol"] as? String, "http")
        let findings = try XCTUnwrap(opened["findings"] as? [[String: Any]])
        XCTAssertTrue(findings.contains { $0["kind"] as? String == "unexpected-port" && $0["address"] as? String == "10.222.0.2" })

        // flows opens it too, and the option repeats.
        let flows = try runDasaudit(["flows", whole, "--vxlan-port", "7777", "--vxlan-port", "9999"])
        XCTAssertEqual(flows.stdout.split(separator: "\n").count, 11, flows.stderr)
    }

    /// The TCP in VXLAN on an undeclared port is not audited at all: with the fetches over
    /// 4789 left out by a filter, the capture holds the one fetch outside any tunnel (an
    /// expected DAS port) and the 28 datagrams to 9999, in which the rogue 10.222.0.2:31337
    /// answered. The audit said COMPLIANT, the overlay a coverage line only. Now the port
    /// is a medium `undeclared-tunnel` finding naming the option, which fails the default
    /// threshold; with the option, the rogue port is found and the finding is gone.
    func testUDPShapedLikeVXLANOnAnUndeclaredPortIsAFinding() throws {
        let filter = ["--filter", "not udp port 4789"]
        let plain = try runDasaudit(["audit", whole, "--offset", "0"] + filter)
        XCTAssertEqual(plain.status, 1, plain.stdout)
        XCTAssertTrue(plain.stdout.contains("  MEDIUM undeclared-tunnel: UDP port 9999 carried 28 of its 28 datagrams shaped like "
                                            + "VXLAN, a port not opened as a tunnel: the TCP inside them was not audited"), plain.stdout)
        XCTAssertTrue(plain.stdout.hasSuffix("NOT COMPLIANT: 1 finding at or above --fail-on medium\n"), plain.stdout)
        let (_, result) = try json(["audit", whole, "--offset", "0"] + filter)
        XCTAssertEqual((result["coverage"] as? [String: Any])?["connections"] as? Int, 1)
        let findings = try XCTUnwrap(result["findings"] as? [[String: Any]])
        let tunnel = try XCTUnwrap(findings.first { $0["kind"] as? String == "undeclared-tunnel" })
        XCTAssertEqual(tunnel["severity"] as? String, "medium")
        XCTAssertEqual(tunnel["port"] as? Int, 9999)
        XCTAssertTrue(tunnel["address"] is NSNull)
        XCTAssertTrue((tunnel["remediation"] as? String)?.hasPrefix("Audit again with --vxlan-port 9999 ") == true)

        // Declared, the overlay is audited: its rogue port fails the audit, the tunnel does not.
        let (status, opened) = try json(["audit", whole, "--offset", "0", "--vxlan-port", "9999"] + filter)
        XCTAssertEqual(status, 1)
        let openedFindings = try XCTUnwrap(opened["findings"] as? [[String: Any]])
        XCTAssertFalse(openedFindings.contains { $0["kind"] as? String == "undeclared-tunnel" })
        XCTAssertTrue(openedFindings.contains { $0["kind"] as? String == "unexpected-port" && $0["port"] as? Int == 31337 })

        // Waivable by port, like the others, for a port known to carry something else.
        let policy = FileManager.default.temporaryDirectory.appendingPathComponent("tunnel-waiver-\(UUID()).yaml")
        try "waivers:\n  - kind: undeclared-tunnel\n    port: 9999\n    reason: a test\n    expires: 2099-12-31\n"
            .write(to: policy, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: policy) }
        let waived = try runDasaudit(["audit", whole, "--offset", "0", "--policy", policy.path] + filter)
        XCTAssertEqual(waived.status, 0, waived.stdout + waived.stderr)
    }

    func testAVXLANPortMustBeAUDPPortOtherThanGeneves() throws {
        for bad in [["0"], ["65536"], ["6081"], ["-1"], (1...9).map(String.init)] {
            let run = try runDasaudit(["audit", whole] + bad.flatMap { ["--vxlan-port", $0] })
            XCTAssertEqual(run.status, 2, "\(bad)")
            XCTAssertTrue(run.stderr.contains("--vxlan-port"), run.stderr)
        }
        XCTAssertTrue(try runDasaudit(["audit", "--help"]).stdout.contains("--vxlan-port <port>"))
    }
}
