import Wire
import XCTest

final class IPv4PacketTests: XCTestCase {
    func testViewReadsTheHeaderFields() {
        let packet = Build.ipv4(source: 0x7F00_0001, destination: 0x0102_0304, protocol: 17,
                                options: [1, 1, 1, 0], moreFragments: true, [0xEE])
        withBytes(packet) { bytes in
            guard let ip = IPv4Packet(bytes) else { return XCTFail("20+ bytes must make a view") }
            XCTAssertEqual(ip.version, 4)
            XCTAssertEqual(ip.internetHeaderLength, 6)
            XCTAssertEqual(ip.headerLength, 24)
            XCTAssertEqual(ip.totalLength, 25)
            XCTAssertEqual(ip.identification, 0x1234)
            XCTAssertTrue(ip.dontFragment)
            XCTAssertTrue(ip.moreFragments)
            XCTAssertEqual(ip.fragmentOffset, 0)
            XCTAssertEqual(ip.timeToLive, 64)
            XCTAssertEqual(ip.protocolNumber, 17)
            XCTAssertEqual(ip.source, IPAddress("127.0.0.1"))
            XCTAssertEqual(ip.destination, IPAddress("1.2.3.4"))
            XCTAssertEqual(Array(ip.options), [1, 1, 1, 0])
            XCTAssertEqual(Array(ip.payload), [0xEE])
        }
        for length in 0..<20 { withBytes(Array(packet.prefix(length))) { XCTAssertNil(IPv4Packet($0)) } }
    }

    func testOptionsAndPayloadNeverReachPastTheCapture() {
        // IHL 15 over a 20-byte capture, IHL 0: the views stay inside the bytes.
        for ihl: UInt8 in [15, 0, 4] {
            withBytes(Build.ipv4(ihl: ihl, [])) { bytes in
                let ip = IPv4Packet(bytes)!
                XCTAssertEqual(ip.options.count, 0)
                XCTAssertLessThanOrEqual(ip.payload.count, 20)
            }
        }
    }

    func testOptionsAreSkipped() {
        for words in 1...10 {
            let options = [UInt8](repeating: 1, count: 4 * words)  // NOPs
            let packet = Build.ipv4(options: options, Build.tcp(payload: 6))
            XCTAssertOutcome(decode(packet, as: .ipv4), .segment(defaultSegment(payloadLength: 6)), "\(words) words")
            assertEveryCut(packet, as: .ipv4, headersEnd: 40 + 4 * words, expected: .segment(defaultSegment(payloadLength: 6)))
        }
    }

    func testVersionOtherThanFourIsMalformed() {
        for version: UInt8 in [0, 5, 6, 15] {
            XCTAssertSkipped(decode(Build.ipv4(version: version, Build.tcp()), as: .ipv4), .malformed, "\(version)")
        }
    }

    func testHeaderLengthBelowFiveWordsIsMalformed() {
        for ihl: UInt8 in 0..<5 {
            XCTAssertSkipped(decode(Build.ipv4(ihl: ihl, Build.tcp()), as: .ipv4), .malformed, "IHL \(ihl)")
        }
    }

    func testHeaderLengthPastTheCaptureIsTruncated() {
        // The header says 60 bytes and the total length agrees; the capture ends at 40 (snaplen).
        let packet = Build.ipv4(ihl: 15, totalLength: 80, Build.tcp())
        XCTAssertSkipped(decode(packet, as: .ipv4), .truncated)
        // Same under TSO (no total length to compare with).
        XCTAssertSkipped(decode(Build.ipv4(ihl: 15, totalLength: 0, Build.tcp()), as: .ipv4), .truncated)
    }

    func testHeaderLengthPastTheTotalLengthIsMalformed() {
        // IHL 15 (60 bytes) in a packet whose total length is 40: the lengths contradict.
        XCTAssertSkipped(decode(Build.ipv4(ihl: 15, Build.tcp()), as: .ipv4), .malformed)
        XCTAssertSkipped(decode(Build.ipv4(ihl: 15, Build.tcp() + [UInt8](repeating: 0, count: 40)), as: .ipv4), .malformed)
    }

    func testTotalLengthShorterThanTheHeaderIsMalformed() {
        for total: UInt16 in [1, 19] {
            XCTAssertSkipped(decode(Build.ipv4(totalLength: total, Build.tcp()), as: .ipv4), .malformed, "\(total)")
        }
        XCTAssertSkipped(decode(Build.ipv4(options: [1, 1, 1, 1], totalLength: 20, Build.tcp()), as: .ipv4), .malformed)
    }

    func testTotalLengthZeroFallsBackToTheCapturedBytes() {
        let packet = Build.ipv4(options: [1, 1, 1, 1], totalLength: 0, Build.tcp(payload: 1448))
        XCTAssertOutcome(decode(packet, as: .ipv4), .segment(defaultSegment(payloadLength: 1448)))
        // With the length from the capture, each cut past the headers shortens the payload.
        for length in 0..<packet.count {
            let outcome = decode(Array(packet.prefix(length)), as: .ipv4)
            let expected: DecodeOutcome = length < 44 ? .skipped(.truncated)
                : .segment(defaultSegment(payloadLength: UInt32(length - 44)))
            XCTAssertOutcome(outcome, expected, "cut at \(length)")
        }
    }

    /// A segment larger than 64 KiB captured on its sending host (IPv4 BIG TCP, TSO) has
    /// total length 0; cut by the snapshot length, the bytes not captured (its record's
    /// wire length past what was captured) are payload too, as tshark counts them.
    func testTotalLengthZeroCountsTheBytesTheCaptureDidNotKeep() {
        let packet = Build.ipv4(totalLength: 0, Build.tcp(payload: 90_000))
        let cut = Array(packet.prefix(96))
        let outcome = withBytes(cut) { PacketDecoder(linkType: .ipv4).decode($0, uncaptured: packet.count - 96) }
        XCTAssertOutcome(outcome, .segment(defaultSegment(payloadLength: 90_000)))
        // A length field that says something is believed, whatever was not captured.
        let declared = Array(Build.ipv4(Build.tcp(payload: 1400)).prefix(96))
        XCTAssertOutcome(withBytes(declared) { PacketDecoder(linkType: .ipv4).decode($0, uncaptured: 5000) },
                         .segment(defaultSegment(payloadLength: 1400)))
    }

    func testSnaplenCutTakesThePayloadLengthFromTheHeader() {
        let packet = Build.ipv4(Build.tcp(payload: 1400))
        XCTAssertOutcome(decode(Array(packet.prefix(96)), as: .ipv4), .segment(defaultSegment(payloadLength: 1400)))
    }

    func testLaterFragmentsOfTCPAreFragmentsAndOfAnythingElseNotTCP() {
        for proto: UInt8 in [6, 17, 47, 1] {
            let reason: SkipReason = proto == 6 ? .fragment : .notTCP
            let packet = Build.ipv4(protocol: proto, moreFragments: true, fragmentOffset: 1, Build.tcp())
            XCTAssertSkipped(decode(packet, as: .ipv4), reason, "protocol \(proto)")
            // The last fragment (MF clear) too.
            XCTAssertSkipped(decode(Build.ipv4(protocol: proto, fragmentOffset: 0x1FFF, Build.tcp()), as: .ipv4), reason)
        }
    }

    func testAFragmentOfTCPSaysWhereItsBytesSitInTheDatagram() {
        // The segment comes from `FragmentTable`, once the datagram's fragments are there.
        let packet = Build.ipv4(moreFragments: true, Build.tcp(payload: 1460))
        XCTAssertOutcome(decode(packet, as: .ipv4), .fragment(IPFragment(
            source: IPAddress(ipv4: 0x0A00_0001), destination: IPAddress(ipv4: 0x0A00_0002), identification: 0x1234,
            offset: 0, length: 1480, capturedTail: 1480, moreFragments: true, copyIdentification: 0x1234)))
        let later = Build.ipv4(fragmentOffset: 185, [UInt8](repeating: 1, count: 30))
        XCTAssertOutcome(decode(later, as: .ipv4), .fragment(IPFragment(
            source: IPAddress(ipv4: 0x0A00_0001), destination: IPAddress(ipv4: 0x0A00_0002), identification: 0x1234,
            offset: 1480, length: 30, capturedTail: 30, moreFragments: false, copyIdentification: 0x1234)))
    }

    func testFirstFragmentTooSmallForTheTCPHeaderIsAFragment() {
        // RFC 1858 "tiny fragment": the TCP header continues in the next fragment.
        let packet = Build.ipv4(totalLength: 28, moreFragments: true, Build.tcp())
        XCTAssertSkipped(decode(packet, as: .ipv4), .fragment)
        let options = Build.ipv4(totalLength: 44, moreFragments: true, Build.tcp(options: [1, 1, 1, 1, 1, 1, 1, 0]))
        XCTAssertSkipped(decode(options, as: .ipv4), .fragment)
    }

    func testIPInIPIsOpenedAndItsProtocolNumberMustMatchTheInnerVersion() {
        XCTAssertOutcome(decode(Build.ipv4(protocol: 4, Build.ipv4(Build.tcp())), as: .ipv4), .segment(defaultSegment().in(.ipInIP)))
        XCTAssertOutcome(decode(Build.ipv4(protocol: 41, Build.ipv6(Build.tcp())), as: .ipv4), .segment(defaultV6Segment().in(.ipInIP)))
        // Protocol 41 promises IPv6: an IPv4 header there is malformed.
        XCTAssertSkipped(decode(Build.ipv4(protocol: 41, Build.ipv4(Build.tcp())), as: .ipv4), .malformed)
    }

    func testOtherProtocolsAreNotTCP() {
        for proto: UInt8 in [1, 2, 50, 51, 58, 89, 132, 255] {
            XCTAssertSkipped(decode(Build.ipv4(protocol: proto, Build.tcp()), as: .ipv4), .notTCP, "\(proto)")
        }
        // UDP from port 4789 (the reply direction is not VXLAN's).
        XCTAssertSkipped(decode(Build.ipv4(protocol: 17, Build.udp(sourcePort: 4789, destinationPort: 1234)), as: .ipv4), .notTCP)
    }

    func testUDPHeaderPastTheTotalLengthIsMalformed() {
        XCTAssertSkipped(decode(Build.ipv4(protocol: 17, totalLength: 24, Build.udp()), as: .ipv4), .malformed)
    }
}
