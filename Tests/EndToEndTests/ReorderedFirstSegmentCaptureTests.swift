import Audit
import Policy
import XCTest

/// captures/tls-reordered-tun.pcap (scripts/recording/record-reordered-first-segments.sh):
/// TLS 1.0, 1.2 and 1.3 connections to `openssl s_server` on 9443 over a link that
/// reorders, captured at the client's end, where each server's first flight arrived second
/// segment first (tshark: the segment at relative sequence number 1449 before the one at
/// 1). The ServerHello, which names the negotiated version, is in the segment that came
/// late (docs/protocols.md, "Payload samples").
final class ReorderedFirstSegmentCaptureTests: XCTestCase {
    func audit() -> AuditResult {
        Auditor(policy: Policy()).audit(paths: [capture("tls-reordered-tun.pcap")])
    }

    /// Each server's sample is taken again when its first segment arrives: the three
    /// versions are read from their ServerHellos. (Before, the middle of each certificate
    /// was the sample: `tls` 2 and `unknown` 1, no version.)
    func testEachServersFirstSegmentArrivingLateStillNamesItsVersion() throws {
        let service = try XCTUnwrap(audit().servicesByEndpoint["10.77.36.2:9443"])
        XCTAssertEqual(service.protocols, ["tls": 3])
        XCTAssertEqual(service.tlsVersions, ["1.0", "1.2", "1.3"])
    }

    /// So the TLS 1.0 server is a finding, as it is on a network that keeps the order.
    func testTheTLS10ConnectionIsADeprecatedTLSFinding() {
        let findings = audit().findings.filter { $0.kind == .deprecatedTLS }
        XCTAssertEqual(findings.map(\.severity), [.medium])
        XCTAssertEqual(findings.first?.message.contains("negotiated TLS 1.0 (1 connection)"), true)
    }
}
