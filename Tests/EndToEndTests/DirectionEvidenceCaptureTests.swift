import Audit
import Foundation
import Reports
import XCTest

/// Connections whose handshake the capture missed, recorded with tcpdump on a veth pair
/// between two network namespaces (server 10.28.1.1, client 10.28.1.2; from a bug hunt,
/// December 5, 2026): where the two direction rules disagree, and where most of the traffic
/// is of unknown direction.
final class DirectionEvidenceCaptureTests: XCTestCase {
    private func audit(_ name: String, _ extra: [String] = []) throws -> (AuditResult, CommandResult) {
        let run = try runDasaudit(["audit", capture(name), "--offset", "0", "--format", "json"] + extra)
        return (try JSONReport.parse(Data(run.stdout.utf8)), run)
    }

    private func endpoints(_ result: AuditResult) -> [String] {
        result.services.map { "\($0.address):\($0.port)" }
    }

    /// The client's `ip_local_port_range` is 7000 13000; a keep-alive connection from
    /// 10.28.1.2:7611 (the thrift port's number) to a listener on 10.28.1.1:45000 began
    /// before the capture. Told the range, the ephemeral rule says 45000 listens and the
    /// policy rule says 7611 does: neither wins, and no expected service is made on the client.
    func testPolicyAndEphemeralRulesThatDisagreeLeaveTheDirectionUnknown() throws {
        let (result, _) = try audit("eph-overlap-veth.pcap", ["--ephemeral-range", "7000-13000"])
        XCTAssertFalse(endpoints(result).contains("10.28.1.2:7611"), "a client port made an expected service")
        XCTAssertEqual(result.unresolved.map { "\($0.addressA):\($0.portA)-\($0.addressB):\($0.portB)" },
                       ["10.28.1.1:45000-10.28.1.2:7611"])
        XCTAssertEqual(result.coverage.connections, 62)
        // The 60 connections with a handshake and the keep-alive to the real 7611 are as before.
        XCTAssertEqual(endpoints(result), ["10.28.1.1:7611", "10.28.1.1:9763", "10.28.1.1:31337"])
        XCTAssertEqual(result.services.map(\.connections), [1, 30, 30])
        let unknown = result.findings.filter { $0.kind == .directionUnknown }
        XCTAssertEqual(unknown.map(\.severity), [.info], "1 of 62 connections is a note")
    }

    /// With Linux's default range, 45000 is a client port and 7611 a server port by both
    /// rules: nothing in the connection says otherwise (docs/flows.md).
    func testWithTheDefaultRangeBothRulesAgree() throws {
        let (result, _) = try audit("eph-overlap-veth.pcap")
        XCTAssertTrue(endpoints(result).contains("10.28.1.2:7611"))
        XCTAssertTrue(result.unresolved.isEmpty)
    }

    /// A 9.7 MB bulk transfer from an unknown listener on 41000 (inside the ephemeral range,
    /// begun before the capture: no rule tells its server side) beside one 14-packet
    /// keep-alive to 7611. The keep-alive alone made the run COMPLIANT; the unjudged
    /// transfer is now a medium finding, and the reports say how much was not judged.
    func testMostOfTheTrafficOfUnknownDirectionFailsTheRun() throws {
        let (result, run) = try audit("unjudged-bulk-veth.pcap")
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(result.unresolved.count, 1)
        XCTAssertEqual(endpoints(result), ["10.28.1.1:7611"])
        let unknown = result.findings.filter { $0.kind == .directionUnknown }
        XCTAssertEqual(unknown.map(\.severity), [.medium])
        let unjudged = result.unjudgedTraffic
        XCTAssertEqual(unjudged.connections, 1)
        XCTAssertEqual(unjudged.totalConnections, 2)
        XCTAssertEqual(unjudged.totalBytes - unjudged.bytes, 924, "the keep-alive's bytes")
        XCTAssertTrue(unknown.first?.message.hasSuffix(unjudged.text) ?? false)
        XCTAssertTrue(unjudged.text.hasPrefix("1 of 2 connections (\(unjudged.bytes) of \(unjudged.bytes + 924) bytes, 99.9%)"))

        // Still compliant above medium: the verdict line says what it could not judge.
        let text = try runDasaudit(["audit", capture("unjudged-bulk-veth.pcap"), "--offset", "0", "--fail-on", "high"])
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.stdout.contains("COMPLIANT: no finding at or above --fail-on high (but \(unjudged.text))"),
                      text.stdout)
        XCTAssertTrue(text.stdout.contains("connections; 2026-12-05T17:55:02.614551000Z to 2026-12-05T17:55:08.981774000Z "
                                           + "(6.4 s); \(unjudged.text)"), text.stdout)
    }
}
