import Audit
import Policy
import XCTest

/// captures/damaged-packets-veth.pcap (scripts/recording/record-damaged-packets.sh): ten
/// HTTP requests from 10.39.0.2 to 10.39.0.1:9763 (carbon.http.port at offset 0) through a
/// relay that flipped one bit in four of the client's packets and left their checksums: the
/// 3rd FIN's destination port (9763 became 11811), a request's source port, the 7th FIN's
/// IPv4 source address (10.39.0.3: the IPv4 header checksum is wrong) and a bare ACK's
/// sequence number. The server's kernel dropped all four (nstat: 3 TcpInCsumErrors, 1
/// IpInHdrErrors). Checksum offload was on where the capture was taken, so each of the
/// server's 51 packets carries the pseudo-header sum only: good packets tshark also calls
/// incorrect.
final class DamagedPacketCaptureTests: XCTestCase {
    func audit() -> AuditResult {
        Auditor(policy: Policy(offset: 0)).audit(paths: [capture("damaged-packets-veth.pcap")])
    }

    /// Nothing listened on 11811 and nothing answered there: the damaged FIN was the only
    /// packet of that "connection". Before, the audit reported a HIGH `unexpected-port`
    /// 10.39.0.1:11811 "served 1 connection from 1 client", and a second client, 10.39.0.3.
    func testADamagedPacketMakesNoServiceAndNoClient() {
        let result = audit()
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections) \($0.clients)" },
                       ["10.39.0.1:9763 10 1"])
        XCTAssertFalse(result.findings.contains { $0.kind == .unexpectedPort })
        XCTAssertEqual(result.coverage.connections, 10)
    }

    /// The four damaged packets are counted apart, as `bad-checksum`: the three that would
    /// have started a connection, and the damaged ACK of a connection already open, which its
    /// receiver dropped as well (tshark counts it in its stream); the 51 offloaded packets are
    /// good ones.
    func testTheDamagedPacketsAreCountedApart() throws {
        let result = audit()
        let input = try XCTUnwrap(result.inputs.first)
        XCTAssertEqual(input.skipped, ["bad-checksum": 4])
        XCTAssertEqual(input.packets, 109)
        XCTAssertEqual(input.tcpSegments, 105)
        XCTAssertEqual(result.services.first?.packets, 105)
        XCTAssertEqual(result.coverage.skipped["bad-checksum"], 4)
    }
}
