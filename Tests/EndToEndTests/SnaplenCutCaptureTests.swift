import Audit
import Policy
import XCTest

/// captures/snaplen-cut-v6-veth-s64.pcap (scripts/recording/record-snaplen-cut.sh): curl
/// fetching three times from an HTTP server on 10.35.1.1:9763 (carbon.http.port at offset
/// 0) and three times from a rogue one on [fd35:1::1]:8888, recorded at the server's veth
/// with `tcpdump -s 64`, the shortest `dasaudit live --snaplen`. 64 bytes keep IPv4's TCP
/// header whole and 10 bytes of IPv6's (tshark: "Packet size limited during capture" on all
/// 37 IPv6 segments), so the rogue service is not in the audit. One IPv4 packet was sent
/// short (scapy: its header's total length of 60 promising a TCP header the 34-byte frame
/// lacks) and captured whole.
final class SnaplenCutCaptureTests: XCTestCase {
    func audit() -> AuditResult {
        Auditor(policy: Policy(offset: 0)).audit(paths: [capture("snaplen-cut-v6-veth-s64.pcap")])
    }

    /// The audit saw the IPv4 service only, and must not pass as if it had seen everything:
    /// the cut segments leave it incomplete, with a medium finding that says how many and
    /// what keeps them. Before, it was complete and compliant, the rogue IPv6 service
    /// missing and nothing but "37 truncated" among the skipped packets saying why.
    func testSegmentsCutBeforeTheirTCPHeaderLeaveTheAuditIncomplete() {
        let result = audit()
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port)" }, ["10.35.1.1:9763"])
        XCTAssertEqual(result.coverage.skipped["truncated"], 37)
        XCTAssertFalse(result.coverage.complete)
        XCTAssertEqual(result.inputs.map(\.complete), [false])
        let incomplete = result.findings.filter { $0.kind == .incompleteInput }
        XCTAssertEqual(incomplete.map(\.severity), [.medium])
        XCTAssertEqual(incomplete.first?.message, "\(capture("snaplen-cut-v6-veth-s64.pcap")): 37 packets cut by the snapshot "
            + "length (64 bytes) before the end of their TCP header: the TCP they carried was not audited; a snapshot length "
            + "of 96 keeps it (tcpdump -s 96); services seen only in those packets are missing from the audit")
        XCTAssertFalse(result.summary.compliant, "at the default --fail-on medium")
    }

    /// A packet that ends before its TCP header as it was sent, captured whole, was not cut
    /// by the capture: it is malformed, and alone would leave the audit complete.
    func testAPacketSentShortIsMalformedNotCut() {
        let result = audit()
        XCTAssertEqual(result.coverage.skipped["malformed"], 1)
        XCTAssertEqual(result.coverage.skipped["truncated"], 37, "the 37 IPv6 segments only")
    }
}
