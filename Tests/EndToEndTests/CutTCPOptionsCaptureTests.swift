import Audit
import Policy
import XCTest

/// `tcpdump -i any -s 96` over IPv6 (captures/refused-v6-any-s96.pcap): every SYN and SYN-ACK
/// is 100 bytes (SLL2 20, IPv6 40, TCP 40 with its options), cut to 96 in its options. They
/// are decoded from TCP's fixed header, so the handshakes are seen: the refused connect is
/// an attempt, not a service, and the connection that was answered has its server side by
/// its handshake.
final class CutTCPOptionsCaptureTests: XCTestCase {
    func testHandshakesWhoseOptionsWereCutAreSeen() {
        let result = Auditor(policy: Policy()).audit(paths: [capture("refused-v6-any-s96.pcap")])
        XCTAssertEqual(result.coverage.packets, 14)
        XCTAssertEqual(result.coverage.tcpSegments, 14)
        XCTAssertEqual(result.coverage.skipped, [:], "no packet truncated")
        XCTAssertEqual(result.services.map { "[\($0.address)]:\($0.port)" }, ["[::1]:18082"])
        let service = result.services.first
        XCTAssertEqual(service?.directionBasis, ["handshake": 1])
        XCTAssertEqual(service?.states, ["closed": 1])
        XCTAssertEqual(service?.packets, 12)
        XCTAssertEqual(service?.protocol, "http")
        XCTAssertEqual(result.attempts.map { "[\($0.address)]:\($0.port) refused \($0.refused)" }, ["[::1]:18099 refused 1"])
    }
}
