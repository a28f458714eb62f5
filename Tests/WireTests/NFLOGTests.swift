import Wire
import XCTest

/// The NFLOG link type (239) on messages built TLV by TLV, as Linux's nfnetlink_log writes
/// them (the real capture is in NFLOGCaptureTests): the packet is the NFULA_PAYLOAD TLV's
/// value wherever it sits, every cut before it is `.truncated`, and impossible lengths, a
/// message without a packet and an endless TLV list are skipped, never read past.
final class NFLOGTests: XCTestCase {
    /// One TLV: length (value + 4) and type in this host's byte order, padded to 4 bytes.
    func tlv(_ type: UInt16, _ value: [UInt8], length: UInt16? = nil) -> [UInt8] {
        let declared = length ?? UInt16(value.count + 4)
        let header = withUnsafeBytes(of: declared) { Array($0) } + withUnsafeBytes(of: type) { Array($0) }
        return header + value + [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
    }

    /// A message of `family` for log group 5: the packet header TLV (1), the prefix (10),
    /// then the TLVs given.
    func message(family: UInt8 = 2, version: UInt8 = 0, _ tlvs: [UInt8]) -> [UInt8] {
        [family, version, 0, 5] + tlv(1, [0x08, 0x00, 3, 0]) + tlv(10, Array("dasaudit\0".utf8)) + tlvs
    }

    func testThePayloadTLVHoldsThePacket() {
        let v4 = Build.ipv4(Build.tcp(payload: 6))
        XCTAssertOutcome(decode(message(tlv(9, v4)), as: .nflog), .segment(defaultSegment(payloadLength: 6)))
        let v6 = Build.ipv6(Build.tcp(payload: 3))
        XCTAssertOutcome(decode(message(family: 10, tlv(9, v6) + tlv(11, [0, 0, 0, 1])), as: .nflog),
                         .segment(defaultV6Segment(payloadLength: 3)))
        // The type's top bit (NLA_F_NESTED) is not part of the type.
        XCTAssertOutcome(decode(message(tlv(9 | 0x8000, v4)), as: .nflog), .segment(defaultSegment(payloadLength: 6)))
    }

    /// A cut inside a TLV or the packet is `.truncated`; one right after a whole TLV before
    /// the payload's (after the header, after each of the two TLVs before it) leaves a
    /// message that holds no packet, `.notIP`, as a message logged without one does.
    func testEveryCutBeforeTheTCPHeaderIsTruncated() {
        let packet = message(tlv(9, Build.ipv4(Build.tcp(payload: 6))))
        let boundaries: Set<Int> = [4, 4 + 8, 4 + 8 + 16]   // the prefix's 13 bytes padded to 16
        let headersEnd = 4 + 8 + 16 + 4 + 40                  // then the payload TLV's header, IPv4 and TCP
        for length in 0..<headersEnd {
            XCTAssertSkipped(decode(Array(packet.prefix(length)), as: .nflog), boundaries.contains(length) ? .notIP : .truncated,
                             "cut at \(length)")
        }
        for length in headersEnd...packet.count {
            XCTAssertOutcome(decode(Array(packet.prefix(length)), as: .nflog), .segment(defaultSegment(payloadLength: 6)))
        }
    }

    func testMessagesWithoutAPacketOrWithImpossibleLengthsAreSkipped() {
        let v4 = Build.ipv4(Build.tcp())
        XCTAssertSkipped(decode(message([]), as: .nflog), .notIP, "no payload TLV")
        XCTAssertSkipped(decode(message(version: 1, tlv(9, v4)), as: .nflog), .malformed, "an unknown version")
        XCTAssertSkipped(decode(message(tlv(3, [], length: 0) + tlv(9, v4)), as: .nflog), .malformed, "a length under 4")
        XCTAssertSkipped(decode(message(tlv(3, [], length: 60_000) + tlv(9, v4)), as: .nflog), .truncated,
                         "a length past the capture")
        let endless = [UInt8]([2, 0, 0, 5]) + (0..<100).flatMap { _ in tlv(3, []) } + tlv(9, v4)
        XCTAssertSkipped(decode(endless, as: .nflog), .malformed, "more TLVs than any message holds")
    }
}
