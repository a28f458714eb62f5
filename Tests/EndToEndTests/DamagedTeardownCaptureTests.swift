import Audit
import CaptureEngine
import Flows
import Policy
import XCTest

/// captures/damaged-teardown-veth.pcap (scripts/recording/record-damaged-teardown.sh):
/// three HTTP/1.1 connections from 10.39.2.2 to 10.39.2.1:9763 (carbon.http.port at
/// offset 0), two requests each. Between the two, segments of the connection were forged
/// with scapy at its next numbers and a wrong TCP checksum: the client's RST (then 11 s
/// quiet), the client's FIN and the server's FIN (then 11 s quiet), and the client's RST
/// again (then 1 s). Both kernels dropped them (nstat: TcpInCsumErrors 3 at the server, 1
/// at the client), so every connection went on: the second request was answered, the first
/// two connections were closed with FINs, and the capture stopped while the third was
/// still open. tshark: 40 packets, 3 TCP conversations; frames 8, 22, 23 and 37 the damaged ones.
final class DamagedTeardownCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 0))

    /// Each connection is one, in the state its hosts left it in. Before, the damaged RST
    /// and FINs ended their records, which the table let go after the linger: the first two
    /// connections were two each, the second half picked up mid-stream; and the third,
    /// still open, was `reset`.
    func testADamagedFinOrRstEndsNoConnection() {
        var reader = CaptureReader(rules: auditor.directionRules, keepingConnections: true)
        reader.read(path: capture("damaged-teardown-veth.pcap"))
        let connections = reader.table.connections().sorted { $0.firstSeen < $1.firstSeen }
        XCTAssertEqual(connections.map { "\($0.client.port) \($0.state) \($0.packetsToServer)+\($0.packetsToClient)" },
                       ["35280 closed 8+5", "45716 closed 8+5", "36790 established 6+4"])
        XCTAssertEqual(connections.map { "\($0.payloadBytesToServer) \($0.payloadBytesToClient)" },
                       Array(repeating: "80 82", count: 3), "both requests and answers of each")
    }

    /// The four damaged segments are counted apart, as `bad-checksum`, as a damaged segment
    /// that would start a connection is; the audit sees three connections, none open at the
    /// start and one at the end. Before: 5 connections, 2 of them "open at the start" (the
    /// halves after the phantom ends), none open at the end, nothing skipped.
    func testTheDamagedSegmentsAreCountedApart() throws {
        let result = auditor.audit(paths: [capture("damaged-teardown-veth.pcap")])
        let input = try XCTUnwrap(result.inputs.first)
        XCTAssertEqual(input.packets, 40)
        XCTAssertEqual(input.tcpSegments, 36)
        XCTAssertEqual(input.skipped, ["bad-checksum": 4])
        XCTAssertEqual(result.coverage.connections, 3)
        XCTAssertEqual(result.coverage.openAtStart, 0)
        XCTAssertEqual(result.coverage.openAtEnd, 1)
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections) \($0.packets)" }, ["10.39.2.1:9763 3 36"])
        XCTAssertEqual(result.services.first?.states, ["closed": 2, "established": 1])
    }
}
