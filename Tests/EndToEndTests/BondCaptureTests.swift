import Audit
import Policy
import XCTest

/// captures/bond-rr-dumpcap.pcapng (scripts/recording/record-kernel-links-uml.sh, Linux 6.1's
/// bonding in User-Mode Linux): `dumpcap -i bond0 -i a1 -i a2` on a host whose bond runs in
/// balance-rr over two slaves. Each packet is on the bond and on the slave that sent or took
/// it, so each slave holds every other packet of a connection; dumpcap writes the
/// interfaces' packets in batches, up to 0.2 s out of time order. Three rounds of: three
/// pages and a 404 from 10.234.0.2:9763 and a 40 kB page more, a TLS 1.3 handshake on 9443,
/// a page from a rogue server on 31337, a refused connect to 9764. tshark over the bond
/// (interface 0): 21 TCP conversations.
final class BondCaptureTests: XCTestCase {
    /// The connections are those the bond carried, each closed or refused, none split.
    /// Before, the kept copies were tracked in the file's order, a slave's batch before the
    /// bond's: 31 connections, 10 of them `midstream` pieces split off connections left
    /// `established`.
    func testEveryConnectionIsTrackedInTimeOrder() {
        let result = Auditor(policy: Policy(offset: 0)).audit(paths: [capture("bond-rr-dumpcap.pcapng")])
        XCTAssertEqual(result.inputs.first?.error, nil)
        XCTAssertEqual(result.coverage.tcpSegments, 390)
        XCTAssertEqual(result.coverage.skipped["duplicate"], 390, "each packet once more, on a slave")
        XCTAssertEqual(result.coverage.connections, 21)
        XCTAssertEqual(result.services.map { "\($0.port) \($0.connections) \($0.states)" },
                       ["9443 3 [\"closed\": 3]", "9763 12 [\"closed\": 12]", "31337 3 [\"closed\": 3]"])
        XCTAssertEqual(result.attempts.map { "\($0.port) refused \($0.refused) unanswered \($0.unanswered)" },
                       ["9764 refused 3 unanswered 0"])
        XCTAssertEqual(result.coverage.connectionsSeenOneWay, 0)
    }
}
