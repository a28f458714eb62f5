import Audit
import CaptureEngine
import Flows
import Foundation
import Policy
import Reports
import XCTest

/// IP fragments of TCP (scripts/recording/record-fragments.sh): a real router cutting a
/// client's upload to an MTU of 576, a real `nmap -sS -f`, and, made from the router's
/// capture with scapy, the same connections in 8-byte fragments (RFC 1858's tiny
/// fragments) and IPv6 fragments of a dual-stack capture. Every figure is tshark's per
/// `tcp.stream` (which counts a fragmented datagram once, on its last fragment).
final class FragmentCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 0, mode: .cluster, coresPerNode: 2))

    /// The connections of a bundled capture, by server port then client port.
    func connections(_ name: String, filter: String? = nil) -> (connections: [Connection], inputs: [InputSummary]) {
        var reader = CaptureReader(rules: auditor.directionRules, keepingConnections: true)
        reader.filter = filter
        reader.read(path: capture(name))
        let connections = reader.table.connections().sorted {
            ($0.server.port, $0.client.address, $0.client.port) < ($1.server.port, $1.client.address, $1.client.port)
        }
        return (connections, reader.inputs)
    }

    /// The router's fragments: each 1,448-byte segment of the upload reached the server in
    /// three fragments. tshark: 12 and 38 packets, 217 and 20,276 payload bytes; dasaudit
    /// counted the first fragment's payload only (7,398 to 31337), and said nothing.
    func testARoutersFragmentsGiveTheWholePayload() {
        let (connections, inputs) = connections("frag-router-veth.pcap")
        XCTAssertEqual(connections.map(\.server.port), [9763, 31337])
        XCTAssertEqual(connections.map(\.packets), [12, 38])
        XCTAssertEqual(connections.map(\.payloadBytes), [217, 20276])
        XCTAssertEqual(inputs.first?.skipped, ["reassembled": 28])
        XCTAssertEqual(inputs.first?.complete, true)
    }

    /// `nmap -sS -f`: every SYN in three 8-byte fragments, the first of which holds the
    /// ports but not the flags. They were skipped, so each closed port's RST read as a
    /// connection seen one way (104 segments of tshark's 206), and the report diagnosed a
    /// one-direction capture. Now each probe is its SYN and its answer.
    func testNmapsTinyFragmentsAreItsSYNs() {
        let (connections, inputs) = connections("frag-nmap-f-veth.pcap")
        XCTAssertEqual(connections.count, 102)
        XCTAssertEqual(connections.reduce(0) { $0 + $1.packets }, 206)
        XCTAssertEqual(connections.filter(\.seenOneWay).count, 0)
        XCTAssertEqual(inputs.first?.tcpSegments, 206)
        let result = auditor.audit(paths: [capture("frag-nmap-f-veth.pcap")])
        XCTAssertNil(result.coverage.connectionsSeenOneWay.flatMap { $0 > 0 ? $0 : nil })
        XCTAssertEqual(result.scans?.first?.scanner, "10.79.1.1")
    }

    /// Every packet the client sent cut into 8-byte fragments: no first fragment holds a
    /// TCP header. Both connections, the rogue 31337 among them, vanished from the
    /// client's side (37 of tshark's 50 packets, 7,527 of 20,493 payload bytes) and the
    /// audit judged what was left; now the figures are tshark's and 31337 is found.
    func testTinyFirstFragmentsNoLongerHideConnections() {
        let (connections, inputs) = connections("frag-tiny-scapy.pcap")
        XCTAssertEqual(connections.map(\.packets), [12, 38])
        XCTAssertEqual(connections.map(\.payloadBytes), [217, 20276])
        XCTAssertEqual(connections.map(\.evidence.name), [.http, .http])
        XCTAssertEqual(inputs.first?.complete, true)
        let result = auditor.audit(paths: [capture("frag-tiny-scapy.pcap")])
        XCTAssertTrue(result.findings.contains { $0.kind == .unexpectedPort && $0.port == 31337 })
    }

    /// IPv6 fragments (a Fragment header, cut at 600 bytes): tshark counts 217 packets and
    /// 19,671 payload bytes in 18 streams; dasaudit counted 14,616.
    func testIPv6FragmentsGiveTheWholePayload() {
        let (connections, _) = connections("frag6-scapy.pcap")
        XCTAssertEqual(connections.count, 18)
        XCTAssertEqual(connections.reduce(0) { $0 + $1.packets }, 217)
        XCTAssertEqual(connections.reduce(0) { $0 + $1.payloadBytes }, 19671)
    }

    /// The same capture without the first fragments (a BPF filter drops them): the rest
    /// cannot be joined to anything. They are counted `fragment`, the input is incomplete,
    /// and every report says so, with the skipped counts.
    func testFragmentsThatCannotBeJoinedMakeTheInputIncomplete() throws {
        let firstFragments = "ip[6] & 0x20 != 0 and ip[6:2] & 0x1fff = 0"
        let result = auditor.audit(bundled: "frag-tiny-scapy.pcap", filter: "not (\(firstFragments))")
        let unjoined = try XCTUnwrap(result.coverage.skipped["fragment"])
        XCTAssertGreaterThan(unjoined, 0)
        XCTAssertFalse(result.coverage.complete)
        let finding = try XCTUnwrap(result.findings.first { $0.kind == .incompleteInput })
        XCTAssertEqual(finding.severity, .medium)
        XCTAssertTrue(finding.message.contains("IP fragments of TCP could not be joined"), finding.message)
        let text = TextReport(color: false).render(result)
        XCTAssertTrue(text.contains("skipped: \(unjoined) fragment"), text)
        XCTAssertTrue(text.contains("INCOMPLETE"), text)
        let markdown = MarkdownReport.render(result)
        XCTAssertTrue(markdown.contains("- Packets without a segment of their own: \(unjoined) fragment"), markdown)
        XCTAssertTrue(markdown.contains("**Fragments not joined**"), markdown)
    }

    /// An 802.1Q priority tag (VLAN id 0, priority 3) on every frame: by 802.1Q no VLAN, so
    /// `vlan` is null, not 0.
    func testAPriorityTagIsNoVLAN() {
        let (connections, _) = connections("vlan-prio0-scapy.pcap")
        XCTAssertEqual(connections.count, 2)
        XCTAssertEqual(connections.map(\.vlan), [nil, nil])
    }
}
