import Audit
import CaptureEngine
import Flows
import Policy
import XCTest

/// captures/reuse-challenge-ack-veth.pcap (scripts/recording/record-reuse-challenge-ack.sh):
/// a client that binds port 40000 for each of 8 HTTP/1.0 requests to 10.37.0.1:9763 and
/// closes each with SO_LINGER 0. The server's input dropped those RSTs (as a lossy link
/// may), so each new SYN met the server's socket of the connection before, still in
/// FIN-WAIT-2: the server answered it with a challenge ACK (RFC 5961), the client answered
/// that with a RST, and sent the SYN again, the same initial sequence number, which the
/// server answered (tshark: 8 TCP conversations, each with its request and answer; frames
/// 10-12 and 13 on: SYN, challenge ACK, RST, SYN again, SYN-ACK).
final class ReusedTupleCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 0))

    /// A SYN sent again, after the RST that answered the challenge ACK, is the connection
    /// the client was opening, not a second one. Before, the capture held 15 connections:
    /// 7 that never were ("reset", no payload), each the first try of a connect, beside the
    /// 8 real ones.
    func testASynSentAgainAfterAChallengeAckIsTheSameConnection() {
        var reader = CaptureReader(rules: auditor.directionRules, keepingConnections: true)
        reader.read(path: capture("reuse-challenge-ack-veth.pcap"))
        let connections = reader.table.connections()
        XCTAssertEqual(connections.count, 8)
        XCTAssertEqual(Set(connections.map { "\($0.client) \($0.server) \($0.state)" }), ["10.37.0.2:40000 10.37.0.1:9763 reset"])
        XCTAssertEqual(connections.map { "\($0.payloadBytesToServer) \($0.payloadBytesToClient)" }, Array(repeating: "18 41", count: 8))
    }

    /// The audit's service counts the 8 connections the client made, all with their request
    /// and answer.
    func testTheServiceCountsTheConnectionsTheClientMade() {
        let result = auditor.audit(paths: [capture("reuse-challenge-ack-veth.pcap")])
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections) \($0.states)" },
                       ["10.37.0.1:9763 8 [\"reset\": 8]"])
        XCTAssertEqual(result.services.first?.protocol, "http")
    }

    /// captures/reuse-late-ack-tun.pcap (scripts/recording/record-reuse-late-ack.sh): the
    /// same client and server over a link that delivered each connection's last ACK (the
    /// client's ACK of the server's FIN) after the next connection's SYN, whose first copy
    /// the server's input dropped. The server, its socket gone at the client's RST, answered
    /// the late ACK with a RST without ACK; the client sent its SYN again a second later,
    /// and the server answered it (tshark: 8 TCP conversations; frames 11-15: SYN, late
    /// ACK, RST, SYN again, SYN-ACK). A RST without ACK answers a segment that had one
    /// (RFC 9293 3.10.7.1), never a SYN: it is no refusal. Before, the capture held 15
    /// connections: 7 refused connects that never were, beside the 8 real ones.
    func testARstWithoutAckToALateAckIsNoRefusal() {
        var reader = CaptureReader(rules: auditor.directionRules, keepingConnections: true)
        reader.read(path: capture("reuse-late-ack-tun.pcap"))
        let connections = reader.table.connections()
        XCTAssertEqual(connections.count, 8)
        XCTAssertEqual(Set(connections.map { "\($0.client) \($0.server) \($0.state)" }), ["10.38.0.2:40000 10.38.0.1:9763 reset"])
        XCTAssertEqual(connections.map { "\($0.payloadBytesToServer) \($0.payloadBytesToClient)" }, Array(repeating: "18 41", count: 8))
        let result = auditor.audit(paths: [capture("reuse-late-ack-tun.pcap")])
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections)" }, ["10.38.0.1:9763 8"])
        XCTAssertEqual(result.attempts.count, 0, "no connect was refused")
    }
}
