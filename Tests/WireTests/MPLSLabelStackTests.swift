import Wire
import XCTest

/// The IP packet under an MPLS label stack (EtherType 0x8847 or 0x8848) is decoded as tshark
/// and Linux's `mpls_router` tell it, by its version nibble; before, every labelled packet
/// was `not-ip`, and a capture of a labelled link audited none of its TCP
/// (captures/mpls-labelled-veth.pcap, MPLSCaptureTests).
final class MPLSLabelStackTests: XCTestCase {
    func testOneLabelOverIPv4IsItsSegment() {
        let frame = Build.ethernet(etherType: 0x8847, Build.mpls(labels: [100], Build.ipv4(Build.tcp(payload: 5))))
        let expected = DecodeOutcome.segment(defaultSegment(payloadLength: 5))
        XCTAssertOutcome(decode(frame, as: .ethernet), expected)
        assertEveryCut(frame, as: .ethernet, headersEnd: 14 + 4 + 40, expected: expected)
    }

    func testAStackOverIPv6UnderAVLANTagKeepsTheVLAN() {
        // Transport, service and entropy labels (RFC 6790: the entropy label indicator, 7).
        let frame = Build.ethernet(etherType: 0x8847, tags: [(0x8100, 30)],
                                   Build.mpls(labels: [16001, 7, 4242, 24], Build.ipv6(Build.tcp(payload: 2))))
        let expected = DecodeOutcome.segment(defaultV6Segment(payloadLength: 2, vlan: 30))
        XCTAssertOutcome(decode(frame, as: .ethernet), expected)
        assertEveryCut(frame, as: .ethernet, headersEnd: 18 + 16 + 60, expected: expected)
    }

    func testMulticastLabelsAndCookedCapturesToo() {
        let labelled = Build.mpls(labels: [3000], Build.ipv4(Build.tcp()))
        XCTAssertOutcome(decode(Build.ethernet(etherType: 0x8848, labelled), as: .ethernet), .segment(defaultSegment()))
        XCTAssertOutcome(decode(Build.sll(protocol: 0x8847, labelled), as: .linuxSLL), .segment(defaultSegment()))
        XCTAssertOutcome(decode(Build.sll2(protocol: 0x8847, labelled), as: .linuxSLL2), .segment(defaultSegment()))
    }

    func testAPseudowireIsATunnelNotOpened() {
        // A control word (first nibble 0) before an Ethernet frame: Ethernet over MPLS.
        let inner = Build.ethernet(etherType: 0x0800, Build.ipv4(Build.tcp()))
        let frame = Build.ethernet(etherType: 0x8847, Build.mpls(labels: [500], [0, 0, 0, 1] + inner))
        XCTAssertSkipped(decode(frame, as: .ethernet), .tunnel)
    }

    func testAStackWithoutABottomEndsWithTheBytesOrTheDepthLimit() {
        // No S bit anywhere: the bytes end first, or the walk stops after 8 entries.
        let noBottom = (0..<3).flatMap { _ in Build.be32(100 << 12 | 64) }
        XCTAssertSkipped(decode(Build.ethernet(etherType: 0x8847, noBottom), as: .ethernet), .truncated)
        let nine = Build.mpls(labels: Array(repeating: 100, count: 9), Build.ipv4(Build.tcp()))
        XCTAssertSkipped(decode(Build.ethernet(etherType: 0x8847, nine), as: .ethernet), .tunnel)
        let eight = Build.mpls(labels: Array(repeating: 100, count: 8), Build.ipv4(Build.tcp()))
        XCTAssertOutcome(decode(Build.ethernet(etherType: 0x8847, eight), as: .ethernet), .segment(defaultSegment()))
    }

    func testAnImpossibleIPHeaderUnderALabelIsMalformed() {
        let frame = Build.ethernet(etherType: 0x8847, Build.mpls(labels: [100], Build.ipv4(version: 4, ihl: 2, Build.tcp())))
        XCTAssertSkipped(decode(frame, as: .ethernet), .malformed)
    }
}
