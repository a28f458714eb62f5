import Audit
import Policy
import XCTest

/// captures/simultaneous-open-veth.pcap (scripts/recording/record-simultaneous-open.sh): a
/// TCP simultaneous open between 10.31.7.1:9763 and 10.31.7.2:45001, each socket bound and
/// connect()ing to the other, neither listening. tshark: 9763's SYN (frame 1), 45001's SYN
/// (frame 2), both retransmitted, then a SYN-ACK from each side; a line each way, FINs.
final class SimultaneousOpenCaptureTests: XCTestCase {
    /// Both sides sent a SYN without ACK, so the first SYN captured names no server: the
    /// policy's rule does (9763 is carbon.http.port at offset 0, 45001 a client port). Before,
    /// the receiver of the first SYN captured, 10.31.7.2:45001, was the server: a high
    /// `unexpected-port` where nothing listened, and the expected port a client.
    func testTheRulesNameTheServerOfASimultaneousOpen() {
        let result = Auditor(policy: Policy(offset: 0)).audit(paths: [capture("simultaneous-open-veth.pcap")])
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port)" }, ["10.31.7.1:9763"])
        XCTAssertEqual(result.services.first?.directionBasis, ["policy": 1])
        XCTAssertEqual(result.services.first?.states, ["closed": 1])
        XCTAssertEqual(result.findings.filter { $0.severity >= .medium }.map { $0.kind.rawValue }, [])
    }
}
