import Audit
import CaptureEngine
import Flows
import Policy
import XCTest

/// captures/refused-again-veth.pcap (scripts/recording/record-refused-again.sh): a client
/// that connects to closed ports of 10.39.0.1, 4 times to 7611 and 2 times to 31000, each
/// from its own port, then twice to 7611 from port 41000 (the second a new connect, a new
/// initial sequence number). The client's input dropped the first RST answering each SYN,
/// as a lossy link may, so each SYN was sent again a second later and refused again
/// (tshark: 8 TCP conversations, each of two SYNs with one sequence number and two RSTs).
final class RefusedAgainCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 0))

    /// A refused SYN sent again is the same connect refused again; a new connect from the
    /// same port (a new initial sequence number) is a second one. Before, each SYN sent
    /// again counted as a refused connect of its own: 12 and 4 refused for 6 and 2.
    func testARefusedSynSentAgainIsOneRefusedConnect() {
        let result = auditor.audit(paths: [capture("refused-again-veth.pcap")])
        XCTAssertEqual(result.attempts.map { "\($0.address):\($0.port) refused \($0.refused) unanswered \($0.unanswered)" },
                       ["10.39.0.1:7611 refused 6 unanswered 0", "10.39.0.1:31000 refused 2 unanswered 0"])
        XCTAssertTrue(result.services.isEmpty, "no refused port looks open")
    }

    /// A table that keeps every connection says the same: 8 refused connections, each with
    /// its two SYNs and two RSTs (as tshark's conversations), two of them on the reused
    /// port 41000.
    func testEveryRefusedConnectHoldsBothOfItsTries() {
        var reader = CaptureReader()
        reader.read(path: capture("refused-again-veth.pcap"))
        let connections = reader.table.finish(rules: auditor.directionRules)
        XCTAssertEqual(connections.map { "\($0.state) \($0.packets)" }, Array(repeating: "refused 4", count: 8))
        XCTAssertEqual(connections.filter { $0.client.port == 41000 }.count, 2)
    }
}
