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
        XCTAssertTrue(text.stdout.contains("NOT COMPLIANT: 1 finding at or above --fail-on medium"), text.stdout)
        // Below the finding's threshold, the verdict still says the audit was incomplete.
        let high = try runDasaudit(["audit", cut96, "--fail-on", "high"])
        XCTAssertEqual(high.status, 0)
        XCTAssertTrue(high.stdout.contains("COMPLIANT: no finding at or above --fail-on high (but the input was incomplete)"),
                      high.stdout)
        for format in ["markdown", "html", "junit"] {  // csv lists services only
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

    func testAVXLANPortMustBeAUDPPortOtherThanGeneves() throws {
        for bad in [["0"], ["65536"], ["6081"], ["-1"], (1...9).map(String.init)] {
            let run = try runDasaudit(["audit", whole] + bad.flatMap { ["--vxlan-port", $0] })
            XCTAssertEqual(run.status, 2, "\(bad)")
            XCTAssertTrue(run.stderr.contains("--vxlan-port"), run.stderr)
        }
        XCTAssertTrue(try runDasaudit(["audit", "--help"]).stdout.contains("--vxlan-port <port>"))
    }
}
