import Audit
import CaptureEngine
import Policy
import XCTest

/// Real HTTP through a host that bridges and routes, recorded on every interface at once
/// (scripts/recording/record-copies.sh): a forwarded packet is in the file two or three
/// times, once per interface it crossed. The audit counts each packet once: as a capture of
/// one interface per path gives (interfaces 3, a's bridge port, and 5, c's routed link; a
/// BPF filter on the same file picks them), with the copies counted as `duplicate`.
final class InterfaceCopiesCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy())

    /// What each service's traffic adds up to, in the terms a copy would double.
    private func traffic(_ result: AuditResult) -> [String] {
        result.services.map {
            "\($0.address):\($0.port) \($0.packets) packets \($0.payloadBytes) payload "
                + "\($0.connections) connections \($0.states)"
        }
    }

    func testEveryPacketCountsOnceAsOnOneInterfacePerPath() {
        let everything = auditor.audit(paths: [capture("copies-any-sll2.pcap")])
        var onePerPath = auditor
        onePerPath.captureFilter = "ifindex 3 or ifindex 5"
        let truth = onePerPath.audit(paths: [capture("copies-any-sll2.pcap")])

        XCTAssertEqual(truth.coverage.skipped["duplicate"], nil, "one interface per path holds no copy")
        XCTAssertEqual(traffic(everything), traffic(truth))
        XCTAssertEqual(everything.services.map(\.bytes), truth.services.map(\.bytes))
        XCTAssertEqual(traffic(everything), [
            "10.205.0.2:9763 223 packets 658220 payload 10 connections [\"closed\": 10]",
            "fd00:205::2:9763 65 packets 197475 payload 3 connections [\"closed\": 3]",
        ])
        XCTAssertEqual(everything.coverage.packets, 686)
        XCTAssertEqual(everything.coverage.tcpSegments, truth.coverage.tcpSegments)
        XCTAssertEqual(everything.coverage.skipped, ["duplicate": 686 - truth.coverage.tcpSegments])
        XCTAssertEqual(everything.coverage.connections, 13)
    }

    /// SLL v1 names no interface, and a packet received on a bridge port is received again
    /// on the bridge: the copies are told by their signature and time alone, and give the
    /// same traffic as SLL2 (its header is 4 bytes shorter a packet).
    func testTheSameTrafficInTheOlderCookedHeaderCountsTheSame() {
        let older = auditor.audit(paths: [capture("copies-any-sll.pcap")])
        let newer = auditor.audit(paths: [capture("copies-any-sll2.pcap")])
        XCTAssertEqual(traffic(older), traffic(newer))
        XCTAssertEqual(older.services.map(\.bytes), newer.services.map { $0.bytes - 4 * $0.packets })
        XCTAssertEqual(older.coverage.skipped, newer.coverage.skipped)
    }

    /// The scan through a bridge (every packet twice): the open port's probe is three
    /// packets again, not six.
    func testAScanSeenTwiceCountsItsProbeOnce() throws {
        let result = auditor.audit(paths: [capture("scan-duplicated-any.pcap")])
        let service = try XCTUnwrap(result.services.first)
        XCTAssertEqual([service.packets, service.bytes], [3, 188])
        XCTAssertEqual(result.coverage.skipped, ["duplicate": 2001])
    }

    /// `tcpdump -i any` on loopback alone: libpcap keeps one copy of each packet, and no
    /// packet may be set aside.
    func testALoopbackCaptureOnEveryInterfaceHasNoCopies() {
        let result = auditor.audit(paths: [capture("das-offset3-any.pcap")])
        XCTAssertEqual(result.coverage.skipped["duplicate"], nil)
        XCTAssertEqual(result.coverage.tcpSegments, result.coverage.packets)
    }
}
