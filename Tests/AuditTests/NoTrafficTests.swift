import Audit
import CaptureEngine
import Flows
import Foundation
import Policy
import Wire
import XCTest

/// An audit of nothing never passes: a `no-traffic` finding (high, never waived) and a
/// verdict that is not compliant whatever `--fail-on` says. Before, all of these were
/// compliant: no service meant no finding.
final class NoTrafficTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/no-tcp")

    func audit(_ fixture: String, failOn: FailThreshold = .medium) -> AuditResult {
        Auditor(policy: Policy(offset: 2, mode: .cluster), failOn: failOn)
            .audit(paths: [NoTrafficTests.fixtures.appendingPathComponent(fixture).path], threads: 1)
    }

    func noTraffic(_ result: AuditResult) -> Finding? { result.findings.first { $0.kind == .noTraffic } }

    /// Real UDP datagrams over loopback (scripts/recording/record-no-tcp.sh): 10 packets, no TCP.
    func testAUDPOnlyCaptureIsNoTrafficNotCompliant() {
        let result = audit("udp-only-lo.pcap")
        XCTAssertEqual(result.coverage.packets, 10)
        XCTAssertEqual(result.coverage.tcpSegments, 0)
        XCTAssertEqual(noTraffic(result)?.severity, .high)
        XCTAssertTrue(noTraffic(result)?.message.hasPrefix("no TCP traffic was audited: none of the 10 packets read from ") == true)
        XCTAssertTrue(noTraffic(result)?.message.hasSuffix("udp-only-lo.pcap was a TCP segment (10 not-tcp)") == true,
                      noTraffic(result)?.message ?? "")
        XCTAssertFalse(result.summary.compliant)
        XCTAssertEqual(result.summary.findings["high"], 1)
        XCTAssertFalse(result.findings.contains { $0.kind == .unusedOpening }, "no port was seen used, nor unused")
        XCTAssertEqual(result.unusedOpenings.isEmpty, false, "the openings are still listed")
    }

    /// ARP, UDP and ICMP on a veth pair between two namespaces: the wrong interface.
    func testAnARPAndUDPCaptureIsNoTraffic() {
        let result = audit("arp-udp-veth.pcap")
        XCTAssertEqual(result.coverage.skipped["not-ip"], 2, "the ARP request and reply")
        XCTAssertEqual(noTraffic(result)?.message.hasSuffix("was a TCP segment (2 not-ip, 10 not-tcp)"), true)
        XCTAssertFalse(result.summary.compliant)
    }

    /// `editcap -r IN OUT 0` keeps a section header and no interface (record-no-tcp.sh).
    /// libpcap refuses to open it, so the audit said "the capture file has no Interface
    /// Description Blocks", an incomplete input, and exited 2; tshark reads it as an empty
    /// capture, and so does dasaudit now: complete, no link type, no packets, no-traffic.
    func testAPcapngOfASectionHeaderOnlyIsAnEmptyCapture() {
        for fixture in ["sections-only.pcapng", "sections-only-shb-options.pcapng"] {
            let result = audit(fixture)
            XCTAssertEqual(result.coverage.packets, 0, fixture)
            XCTAssertEqual(result.inputs.map(\.complete), [true], fixture)
            XCTAssertNil(result.inputs.first?.error, fixture)
            XCTAssertNil(result.inputs.first?.linkType, "no interface, so no link type")
            XCTAssertEqual(result.inputs.first?.isUnusable, false, fixture)
            XCTAssertEqual(result.findings.map(\.kind), [.noTraffic], fixture)
            XCTAssertTrue(noTraffic(result)?.message.hasSuffix("no packets were read from "
                + NoTrafficTests.fixtures.appendingPathComponent(fixture).path) == true, noTraffic(result)?.message ?? "")
            XCTAssertFalse(result.summary.compliant)
        }
    }

    func testFailOnNeverDoesNotMakeNothingCompliant() {
        let result = audit("udp-only-lo.pcap", failOn: .never)
        XCTAssertNotNil(noTraffic(result))
        XCTAssertFalse(result.summary.compliant)
    }

    func testAnEmptyInputListAndAnUnusableInputAreNothing() {
        let empty = Auditor(policy: Policy()).audit([], inputs: [])
        XCTAssertEqual(noTraffic(empty)?.message, "no TCP traffic was audited: no packets were read from the inputs")
        XCTAssertFalse(empty.summary.compliant)
        let missing = Auditor(policy: Policy(), failOn: .never).audit(paths: ["/nonexistent/x.pcap"], threads: 1)
        XCTAssertEqual(noTraffic(missing)?.message, "no TCP traffic was audited: no packets were read from /nonexistent/x.pcap")
        XCTAssertFalse(missing.summary.compliant)
    }

    /// TCP without a connection the audit can judge: mid-stream, both ports ephemeral.
    func testConnectionsOfUnknownDirectionOnlyAreNothing() {
        var traffic = ScriptedFlows(into: FlowTable())
        traffic.send(("10.0.0.1", 50001), ("10.0.0.2", 50002), [.ack])
        let auditor = Auditor(policy: Policy())
        let result = auditor.audit(traffic.sink.finish(rules: auditor.directionRules), inputs: [])
        XCTAssertEqual(result.unresolved.count, 1)
        XCTAssertTrue(noTraffic(result)?.message.hasPrefix("no TCP service was audited") == true, noTraffic(result)?.message ?? "")
        XCTAssertFalse(result.summary.compliant)
    }

    /// Refused connects are evidence (nothing listened): not nothing.
    func testAttemptsAloneAreSomething() {
        var traffic = ScriptedFlows(into: FlowTable())
        traffic.refused(("10.0.0.1", 40000), ("10.0.0.2", 5432))
        let auditor = Auditor(policy: Policy())
        let result = auditor.audit(traffic.sink.finish(rules: auditor.directionRules), inputs: [])
        XCTAssertNil(noTraffic(result))
        XCTAssertTrue(result.summary.compliant)
    }

    func testNoWaiverCoversNoTraffic() {
        var policy = Policy()
        policy.waivers = [Waiver(kind: "no-traffic", reason: "quiet week", expires: Day(year: 2099, month: 1, day: 1))]
        let result = Auditor(policy: policy).audit([], inputs: [])
        XCTAssertNil(noTraffic(result)?.waiver)
        XCTAssertFalse(result.summary.compliant)
    }
}
