import Wire
import XCTest

final class EthernetFrameTests: XCTestCase {
    func testViewReadsTheHeaderFields() {
        let frame = Build.ethernet(etherType: 0x86DD, [1, 2, 3])
        withBytes(frame) { bytes in
            guard let view = EthernetFrame(bytes) else { return XCTFail("14+ bytes must make a view") }
            XCTAssertEqual(view.etherType, 0x86DD)
            XCTAssertEqual(Array(view.destination), [0x02, 0, 0, 0, 0, 0x01])
            XCTAssertEqual(Array(view.source), [0x02, 0, 0, 0, 0, 0x02])
            XCTAssertEqual(Array(view.payload), [1, 2, 3])
        }
    }

    func testViewNeedsFourteenBytes() {
        let frame = Build.ethernet(etherType: 0x0800, [])
        for length in 0..<14 {
            withBytes(Array(frame.prefix(length))) { XCTAssertNil(EthernetFrame($0), "\(length) bytes") }
        }
        withBytes(frame) { XCTAssertEqual(EthernetFrame($0)?.payload.count, 0) }
    }

    func testIPv4TCPDecodesToTheExactSegment() {
        let packet = Build.ethernet(etherType: 0x0800, Build.ipv4(
            source: 0xC0A8_0101, destination: 0xC0A8_0102,
            Build.tcp(sourcePort: 51234, destinationPort: 9443, seq: 7, ack: 0, flags: 0x02, payload: 0)))
        let expected = TCPSegment(
            source: IPAddress("192.168.1.1")!, destination: IPAddress("192.168.1.2")!,
            sourcePort: 51234, destinationPort: 9443, flags: .syn, sequenceNumber: 7)
        XCTAssertOutcome(decode(packet, as: .ethernet), .segment(expected))
        assertEveryCut(packet, as: .ethernet, headersEnd: 54, expected: .segment(expected))
    }

    func testIPv6TCPDecodesToTheExactSegment() {
        let packet = Build.ethernet(etherType: 0x86DD, Build.ipv6(
            source: IPAddress("fe80::1")!, destination: IPAddress("fe80::2")!,
            Build.tcp(sourcePort: 7611, destinationPort: 60000, seq: 1, ack: 2, flags: 0x12, payload: 12)))
        let expected = TCPSegment(
            source: IPAddress("fe80::1")!, destination: IPAddress("fe80::2")!,
            sourcePort: 7611, destinationPort: 60000, flags: [.syn, .ack],
            sequenceNumber: 1, acknowledgmentNumber: 2, payloadLength: 12)
        XCTAssertOutcome(decode(packet, as: .ethernet), .segment(expected))
        assertEveryCut(packet, as: .ethernet, headersEnd: 74, expected: .segment(expected))
    }

    func testPaddingToTheMinimumFrameIsNotPayload() {
        // A 40-byte IPv4/TCP packet padded to the 60-byte Ethernet minimum.
        let frame = Build.ethernet(etherType: 0x0800, Build.ipv4(Build.tcp(flags: 0x10)))
        let padded = frame + [UInt8](repeating: 0, count: 60 - frame.count)
        XCTAssertEqual(padded.count, 60)
        guard case .segment(let segment) = decode(padded, as: .ethernet) else { return XCTFail("not a segment") }
        XCTAssertEqual(segment.payloadLength, 0)
        XCTAssertEqual(segment.flags, .ack)
    }

    func testTSOCaptureWithTotalLengthZeroTakesTheCapturedLength() {
        // Captured on the sending host before segmentation: the NIC fills in the length.
        let packet = Build.ethernet(etherType: 0x0800, Build.ipv4(totalLength: 0, Build.tcp(payload: 9000)))
        XCTAssertOutcome(decode(packet, as: .ethernet), .segment(defaultSegment(payloadLength: 9000)))
    }

    func testNonIPEtherTypesAreNotIP() {
        // ARP, LLDP, PTP, an 802.3 length field, and 802.2 LLC/SNAP behind a length.
        // (MPLS, 0x8847, carries IP: MPLSLabelStackTests.)
        for etherType: UInt16 in [0x0806, 0x88CC, 0x88F7, 0x002E, 0x05DC, 0x0000, 0xFFFF] {
            let frame = Build.ethernet(etherType: etherType, [UInt8](repeating: 0x45, count: 46))
            XCTAssertSkipped(decode(frame, as: .ethernet), .notIP, String(etherType, radix: 16))
            assertEveryCut(frame, as: .ethernet, headersEnd: 14, expected: .skipped(.notIP))
        }
    }

    func testEtherTypeDisagreeingWithTheIPVersionIsMalformed() {
        XCTAssertSkipped(decode(Build.ethernet(etherType: 0x0800, Build.ipv6(Build.tcp())), as: .ethernet), .malformed)
        XCTAssertSkipped(decode(Build.ethernet(etherType: 0x86DD, Build.ipv4(Build.tcp()) + [UInt8](repeating: 0, count: 20)),
                                as: .ethernet), .malformed)
    }
}
