import Audit
import Policy
import XCTest

/// captures/self-connect-lo.pcap (scripts/recording/record-self-connect.sh): with
/// `ip_local_port_range = 9763 9766` and nothing listening, a client retrying
/// 127.0.0.1:9763 (carbon.http.port at offset 0) is refused 6 times (SYN, RST) and then
/// given 9763 as its own port: its SYN reaches its own socket, which answers it, and it
/// sends a request line to itself (tshark: `9763 → 9763`, frames 13-19). Then a socket
/// bound to 127.0.0.1:45555 connects to that address. Nothing listened on either port.
final class SelfConnectCaptureTests: XCTestCase {
    func audit() -> AuditResult { Auditor(policy: Policy(offset: 0)).audit(paths: [capture("self-connect-lo.pcap")]) }

    /// A self-connect is a connect nothing answered: 9763 is no service, its 7 connects are
    /// all refused and its finding is `expected-service-not-answering`. Before, 9763 was an
    /// expected service that "served 1 connection" of http (beside the finding that it did
    /// not answer) and 45555 a high `unexpected-port`.
    func testASelfConnectIsNoService() {
        let result = audit()
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port)" }, [])
        XCTAssertEqual(result.attempts.map { "\($0.address):\($0.port) refused \($0.refused)" },
                       ["127.0.0.1:9763 refused 7", "127.0.0.1:45555 refused 1"])
        XCTAssertEqual(result.findings.filter { $0.severity >= .medium }.map { "\($0.kind.rawValue) \($0.port ?? 0)" },
                       ["expected-service-not-answering 9763"])
    }

    /// Its packets go from its one endpoint to itself, in both directions at once: no
    /// "seen in one direction only" (before: 2, and the note that the capture may hold one direction).
    func testASelfConnectIsNotSeenOneWay() {
        XCTAssertEqual(audit().coverage.connectionsSeenOneWay, 0)
    }
}
