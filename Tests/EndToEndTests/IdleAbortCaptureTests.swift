import Audit
import CaptureEngine
import Flows
import Foundation
import Policy
import XCTest

/// Servers that abort connections idle since before the capture began (a close with
/// SO_LINGER 0), beside a connect to a closed port, recorded between two network
/// namespaces (scripts/recording/record-aborts.sh; captures/README.md, "aborts-*"). Each
/// leaves one RST in the capture: the refusal's carries sequence number 0, an abort's the
/// connection's own (tshark on the capture of both directions from the start: 31341 and
/// 7611 served, 31340 refused).
final class IdleAbortCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 0))

    func services(_ result: AuditResult) -> [String] { result.services.map { "\($0.address):\($0.port)" } }
    func attempts(_ result: AuditResult) -> [String] { result.attempts.map { "\($0.address):\($0.port)" } }

    /// Before, each abort was a refused connect, in both captures begun during the idle
    /// time: the rogue service on 31341 hid among the attempts (no finding), and 7611 got
    /// `expected-service-not-answering`. Now both are services, as in the capture from the
    /// start, and only 31340 is refused.
    func testAnAbortOfAnIdleConnectionIsAServiceNotARefusal() throws {
        let full = auditor.audit(paths: [capture("aborts-full-veth.pcap")])
        XCTAssertEqual(services(full), ["10.29.9.1:7611", "10.29.9.1:31341"])
        XCTAssertEqual(attempts(full), ["10.29.9.1:31340"])
        for name in ["aborts-idle-veth.pcap", "aborts-idle-out-veth.pcap"] {
            let idle = auditor.audit(paths: [capture(name)])
            XCTAssertEqual(services(idle), services(full), name)
            XCTAssertEqual(attempts(idle), attempts(full), name)
            XCTAssertEqual(idle.attempts.first?.refused, 1, name)
            XCTAssertTrue(idle.findings.contains { $0.kind == .unexpectedPort && $0.port == 31341 && $0.severity == .high }, name)
            XCTAssertFalse(idle.findings.contains { $0.kind == .expectedServiceNotAnswering }, name)
            for service in idle.services { XCTAssertEqual(service.states, ["midstream": 1], name) }
        }
    }

    /// Nothing answers a RST, so a capture of both directions holds an abort alone too: it
    /// is not taken for a sign of a capture of one direction. The servers' side still
    /// shows its refusal alone (the client's SYN is not in it).
    func testALoneAbortIsNotSeenOneWay() {
        XCTAssertEqual(auditor.audit(paths: [capture("aborts-idle-veth.pcap")]).coverage.connectionsSeenOneWay, 0)
        XCTAssertEqual(auditor.audit(paths: [capture("aborts-idle-out-veth.pcap")]).coverage.connectionsSeenOneWay, 1)
    }

    /// The control bits as read: the refusal's RST (ACK, sequence number 0) is a refusal,
    /// an abort's (ACK, the connection's sequence number) is not.
    func testWhatEachRSTSays() {
        let (connections, _) = auditor.connections(paths: [capture("aborts-idle-out-veth.pcap")])
        let states = Dictionary(uniqueKeysWithValues: connections.map { ($0.server.port, $0.state) })
        XCTAssertEqual(states, [31340: .refused, 31341: .midstream, 7611: .midstream])
        XCTAssertEqual(connections.filter(\.abortOnly).map(\.server.port).sorted(), [7611, 31341])
    }
}
