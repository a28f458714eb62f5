import Wire
import XCTest

final class TCPHeaderTests: XCTestCase {
    func testViewReadsTheHeaderFields() {
        let header = Build.tcp(sourcePort: 0xABCD, destinationPort: 80, seq: 0xDEAD_BEEF, ack: 0x0102_0304,
                               flags: 0xC2, options: [2, 4, 0x05, 0xB4], payload: 2)
        withBytes(header) { bytes in
            guard let tcp = TCPHeader(bytes) else { return XCTFail("20+ bytes must make a view") }
            XCTAssertEqual(tcp.sourcePort, 0xABCD)
            XCTAssertEqual(tcp.destinationPort, 80)
            XCTAssertEqual(tcp.sequenceNumber, 0xDEAD_BEEF)
            XCTAssertEqual(tcp.acknowledgmentNumber, 0x0102_0304)
            XCTAssertEqual(tcp.dataOffset, 6)
            XCTAssertEqual(tcp.headerLength, 24)
            XCTAssertEqual(tcp.flags, [.syn, .ece, .cwr])
            XCTAssertEqual(tcp.window, 0xFFFF)
            XCTAssertEqual(tcp.checksum, 0)
            XCTAssertEqual(tcp.urgentPointer, 0)
            XCTAssertEqual(Array(tcp.options), [2, 4, 0x05, 0xB4])
            XCTAssertEqual(Array(tcp.payload), [0xAA, 0xAA])
        }
        for length in 0..<20 { withBytes(Array(header.prefix(length))) { XCTAssertNil(TCPHeader($0)) } }
    }

    func testOptionsAndPayloadNeverReachPastTheCapture() {
        withBytes(Build.tcp(dataOffset: 15)) { bytes in
            let tcp = TCPHeader(bytes)!
            XCTAssertEqual(tcp.headerLength, 60)
            XCTAssertEqual(tcp.options.count, 0)
            XCTAssertEqual(tcp.payload.count, 0)
        }
    }

    func testEveryFlagBitIsKept() {
        for bits: UInt8 in [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x00, 0xFF, 0x12, 0x14] {
            guard case .segment(let segment) = decode(Build.ipv4(Build.tcp(flags: bits)), as: .ipv4) else {
                return XCTFail("not a segment")
            }
            XCTAssertEqual(segment.flags.rawValue, bits)
        }
    }

    func testOptionsAreNotPayload() {
        let packet = Build.ipv4(Build.tcp(options: [UInt8](repeating: 1, count: 40), payload: 100))
        XCTAssertOutcome(decode(packet, as: .ipv4), .segment(defaultSegment(payloadLength: 100)))
        // From the end of the fixed header on, whether the options were captured or not.
        assertEveryCut(packet, as: .ipv4, headersEnd: 40, expected: .segment(defaultSegment(payloadLength: 100)))
    }

    func testDataOffsetBelowFiveWordsIsMalformed() {
        for offset: UInt8 in 0..<5 {
            XCTAssertSkipped(decode(Build.ipv4(Build.tcp(dataOffset: offset, payload: 40)), as: .ipv4), .malformed, "\(offset)")
            XCTAssertSkipped(decode(Build.ipv6(Build.tcp(dataOffset: offset, payload: 40)), as: .ipv6), .malformed, "\(offset)")
        }
    }

    func testDataOffsetPastTheCaptureStillDecodes() {
        // The IP length leaves room for a 60-byte TCP header, the capture ends after 20
        // (snaplen): the payload is what the IP length leaves after the 60 bytes.
        let packet = Build.ipv4(totalLength: 200, Build.tcp(dataOffset: 15))
        XCTAssertOutcome(decode(packet, as: .ipv4), .segment(defaultSegment(payloadLength: 200 - 20 - 60)))
        XCTAssertOutcome(decode(Build.ipv6(payloadLength: 200, Build.tcp(dataOffset: 15)), as: .ipv6),
                         .segment(defaultV6Segment(payloadLength: 200 - 60)))
        // Under TSO there is no IP length: the payload is what was captured after the header, none.
        XCTAssertOutcome(decode(Build.ipv4(totalLength: 0, Build.tcp(dataOffset: 15)), as: .ipv4),
                         .segment(defaultSegment(payloadLength: 0)))
    }

    func testDataOffsetPastTheIPPayloadIsMalformed() {
        // A 60-byte TCP header claimed inside a 40-byte IP packet: the payload would be negative.
        XCTAssertSkipped(decode(Build.ipv4(Build.tcp(dataOffset: 15)), as: .ipv4), .malformed)
        XCTAssertSkipped(decode(Build.ipv4(Build.tcp(dataOffset: 15)) + [UInt8](repeating: 0, count: 60), as: .ipv4), .malformed)
        XCTAssertSkipped(decode(Build.ipv6(Build.tcp(dataOffset: 6)), as: .ipv6), .malformed)
    }

    func testIPPayloadShorterThanTheMinimumHeaderIsMalformed() {
        XCTAssertSkipped(decode(Build.ipv4(totalLength: 39, Build.tcp()), as: .ipv4), .malformed)
        XCTAssertSkipped(decode(Build.ipv4(totalLength: 20, Build.tcp()), as: .ipv4), .malformed)
    }
}
