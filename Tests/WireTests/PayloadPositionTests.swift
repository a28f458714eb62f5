import Wire
import XCTest

/// Where a segment's payload sits in its packet (`capturedTail`, `capturedPayload(in:)`):
/// the payload's bytes, cut where the capture cut them, without link-layer padding.
final class PayloadPositionTests: XCTestCase {
    /// A TCP payload of distinct bytes, so a wrong offset shows.
    let payload: [UInt8] = (0..<40).map { UInt8($0 + 1) }

    func payloadOf(_ packet: [UInt8], as linkType: LinkType) -> [UInt8]? {
        packet.withUnsafeBytes { bytes in
            guard case .segment(let segment) = PacketDecoder(linkType: linkType).decode(bytes) else { return nil }
            return Array(segment.capturedPayload(in: bytes))
        }
    }

    func tcp(options: [UInt8] = []) -> [UInt8] {
        Build.tcp(options: options) + payload
    }

    func testEthernetIPv4AtEveryCut() {
        let packet = Build.ethernet(etherType: 0x0800, Build.ipv4(tcp(options: [1, 1, 1, 1])))
        let start = packet.count - payload.count
        // From the end of TCP's fixed header: a cut in the options leaves no payload.
        for cut in (start - 4)...packet.count {
            XCTAssertEqual(payloadOf(Array(packet.prefix(cut)), as: .ethernet), Array(payload.prefix(max(0, cut - start))),
                           "cut \(cut)")
        }
    }

    func testEthernetPaddingIsNotPayload() {
        // 6 payload bytes in a minimum-size frame: Ethernet pads to 60 bytes.
        let short = Array(Build.tcp()) + [1, 2, 3, 4, 5, 6]
        let frame = Build.ethernet(etherType: 0x0800, Build.ipv4(short)) + [UInt8](repeating: 0, count: 8)
        XCTAssertEqual(payloadOf(frame, as: .ethernet), [1, 2, 3, 4, 5, 6])
    }

    func testIPv6WithAVLANTag() {
        let packet = Build.ethernet(etherType: 0x86DD, tags: [(0x8100, 7)], Build.ipv6(tcp()))
        XCTAssertEqual(payloadOf(packet, as: .ethernet), payload)
    }

    func testNoPayloadIsEmpty() {
        let packet = Build.ethernet(etherType: 0x0800, Build.ipv4(Build.tcp()))
        XCTAssertEqual(payloadOf(packet, as: .ethernet), [])
    }
}
