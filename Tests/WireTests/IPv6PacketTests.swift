import Wire
import XCTest

final class IPv6PacketTests: XCTestCase {
    func testViewReadsTheHeaderFields() {
        var packet = Build.ipv6(source: IPAddress("fe80::1")!, destination: IPAddress("ff02::1:ff00:1")!,
                                nextHeader: 58, [1, 2, 3])
        packet[0] = 0x6A; packet[1] = 0xB1; packet[2] = 0x23; packet[3] = 0x45  // class 0xAB, flow 0x12345
        withBytes(packet) { bytes in
            guard let ip = IPv6Packet(bytes) else { return XCTFail("40+ bytes must make a view") }
            XCTAssertEqual(ip.version, 6)
            XCTAssertEqual(ip.trafficClass, 0xAB)
            XCTAssertEqual(ip.flowLabel, 0x12345)
            XCTAssertEqual(ip.payloadLength, 3)
            XCTAssertEqual(ip.nextHeader, 58)
            XCTAssertEqual(ip.hopLimit, 64)
            XCTAssertEqual(ip.source.description, "fe80::1")
            XCTAssertEqual(ip.destination.description, "ff02::1:ff00:1")
            XCTAssertEqual(Array(ip.payload), [1, 2, 3])
        }
        for length in 0..<40 { withBytes(Array(packet.prefix(length))) { XCTAssertNil(IPv6Packet($0)) } }
    }

    func testTCPDecodesToTheExactSegment() {
        let packet = Build.ipv6(source: IPAddress("2001:db8::1:0:0:1")!, destination: IPAddress("::1")!,
                                Build.tcp(sourcePort: 443, destinationPort: 55555, seq: 0xFFFF_FFFF, ack: 1, flags: 0x11, payload: 33))
        let expected = TCPSegment(
            source: IPAddress("2001:db8::1:0:0:1")!, destination: IPAddress("::1")!,
            sourcePort: 443, destinationPort: 55555, flags: [.fin, .ack],
            sequenceNumber: 0xFFFF_FFFF, acknowledgmentNumber: 1, payloadLength: 33)
        XCTAssertOutcome(decode(packet, as: .ipv6), .segment(expected))
        assertEveryCut(packet, as: .ipv6, headersEnd: 60, expected: .segment(expected))
    }

    func testVersionOtherThanSixIsMalformed() {
        for version: UInt8 in [0, 4, 7, 15] {
            XCTAssertSkipped(decode(Build.ipv6(version: version, Build.tcp()), as: .ipv6), .malformed, "\(version)")
        }
    }

    func testPayloadLengthZeroFallsBackToTheCapturedBytes() {
        let packet = Build.ipv6(payloadLength: 0, Build.tcp(payload: 64000))
        XCTAssertOutcome(decode(packet, as: .ipv6), .segment(defaultV6Segment(payloadLength: 64000)))
        let withExtensions = Build.ipv6(nextHeader: 0, payloadLength: 0, Build.extensionHeader(0, next: 6) + Build.tcp(payload: 100))
        XCTAssertOutcome(decode(withExtensions, as: .ipv6), .segment(defaultV6Segment(payloadLength: 100)))
        XCTAssertSkipped(decode(Array(withExtensions.prefix(60)), as: .ipv6), .truncated)
    }

    /// IPv6 BIG TCP: payload length 0 and no jumbo option, cut by the snapshot length; the
    /// bytes not captured are payload too (captures/big-tcp-v6-s192.pcap has two).
    func testPayloadLengthZeroCountsTheBytesTheCaptureDidNotKeep() {
        let packet = Build.ipv6(payloadLength: 0, Build.tcp(payload: 137_088))
        let outcome = withBytes(Array(packet.prefix(96))) {
            PacketDecoder(linkType: .ipv6).decode($0, uncaptured: packet.count - 96)
        }
        XCTAssertOutcome(outcome, .segment(defaultV6Segment(payloadLength: 137_088)))
    }

    func testPayloadLengthComesFromTheHeaderNotTheCapture() {
        let packet = Build.ipv6(Build.tcp(payload: 1000))
        XCTAssertOutcome(decode(Array(packet.prefix(80)), as: .ipv6), .segment(defaultV6Segment(payloadLength: 1000)))
        XCTAssertOutcome(decode(packet + [0, 0, 0, 0], as: .ipv6), .segment(defaultV6Segment(payloadLength: 1000)))
    }

    func testPayloadLengthShorterThanTheTCPHeaderIsMalformed() {
        XCTAssertSkipped(decode(Build.ipv6(payloadLength: 19, Build.tcp()), as: .ipv6), .malformed)
        XCTAssertSkipped(decode(Build.ipv6(payloadLength: 12, Build.tcp(options: [1, 1, 1, 0])), as: .ipv6), .malformed)
        XCTAssertSkipped(decode(Build.ipv6(payloadLength: 23, Build.tcp(options: [1, 1, 1, 0])), as: .ipv6), .malformed)
    }

    func testNextHeaderDecidesTheReason() {
        XCTAssertSkipped(decode(Build.ipv6(nextHeader: 59, []), as: .ipv6), .notTCP)
        XCTAssertSkipped(decode(Build.ipv6(nextHeader: 58, [128, 0, 0, 0]), as: .ipv6), .notTCP)
        XCTAssertSkipped(decode(Build.ipv6(nextHeader: 50, [UInt8](repeating: 0, count: 16)), as: .ipv6), .notTCP)
        XCTAssertSkipped(decode(Build.ipv6(nextHeader: 17, Build.udp()), as: .ipv6), .notTCP)
        XCTAssertOutcome(decode(Build.ipv6(nextHeader: 4, Build.ipv4(Build.tcp())), as: .ipv6), .segment(defaultSegment().in(.ipInIP)))
        XCTAssertOutcome(decode(Build.ipv6(nextHeader: 47, Build.gre(protocolType: 0x0800, Build.ipv4(Build.tcp()))), as: .ipv6),
                         .segment(defaultSegment().in(.gre)))
        // A VXLAN datagram that declares no room for its VXLAN header.
        XCTAssertSkipped(decode(Build.ipv6(nextHeader: 17, Build.udp(destinationPort: 4789)), as: .ipv6), .malformed)
    }
}
