import Wire
import XCTest

final class VLANTagTests: XCTestCase {
    func testViewSplitsTheTagControlInformation() {
        // Priority 5, DEI set, VLAN 0xABC, then IPv4.
        withBytes([0xBA, 0xBC, 0x08, 0x00, 0x45]) { bytes in
            guard let tag = VLANTag(bytes) else { return XCTFail("4+ bytes must make a view") }
            XCTAssertEqual(tag.priority, 5)
            XCTAssertTrue(tag.dropEligible)
            XCTAssertEqual(tag.vlanID, 0xABC)
            XCTAssertEqual(tag.etherType, 0x0800)
            XCTAssertEqual(Array(tag.payload), [0x45])
        }
        for length in 0..<4 {
            withBytes(Array([UInt8](repeating: 0, count: length))) { XCTAssertNil(VLANTag($0)) }
        }
    }

    func testSingle8021QTagRecordsItsVLAN() {
        let frame = Build.ethernet(etherType: 0x0800, tags: [(0x8100, 42)], Build.ipv4(Build.tcp(payload: 3)))
        XCTAssertOutcome(decode(frame, as: .ethernet), .segment(defaultSegment(payloadLength: 3, vlan: 42)))
        assertEveryCut(frame, as: .ethernet, headersEnd: 18 + 40, expected: .segment(defaultSegment(payloadLength: 3, vlan: 42)))
    }

    func testPriorityBitsAreNotPartOfTheVLANID() {
        var frame = Build.ethernet(etherType: 0x0800, tags: [(0x8100, 0xFFF)], Build.ipv4(Build.tcp()))
        frame[14] = 0xFF  // priority 7 and DEI on top of VLAN 4095
        XCTAssertOutcome(decode(frame, as: .ethernet), .segment(defaultSegment(vlan: 4095)))
    }

    func testQinQStacksRecordTheOutermostVLAN() {
        let stacks: [[(UInt16, UInt16)]] = [
            [(0x88A8, 100), (0x8100, 200)],
            [(0x9100, 300), (0x8100, 5)],
            [(0x8100, 1), (0x8100, 2)],
            [(0x88A8, 7), (0x9100, 8), (0x8100, 9)],
            // A priority tag (VLAN id 0) is no VLAN by 802.1Q: none, or the first id that is one.
            [(0x8100, 0)],
            [(0x8100, 0), (0x8100, 12)],
        ]
        for tags in stacks {
            let frame = Build.ethernet(etherType: 0x86DD, tags: tags, Build.ipv6(Build.tcp(payload: 1)))
            let expected = DecodeOutcome.segment(defaultV6Segment(payloadLength: 1, vlan: tags.first { $0.1 != 0 }?.1))
            XCTAssertOutcome(decode(frame, as: .ethernet), expected, "\(tags)")
            assertEveryCut(frame, as: .ethernet, headersEnd: 14 + 4 * tags.count + 60, expected: expected, "\(tags)")
        }
    }

    func testAVeryLongTagStackEndsWithTheBytes() {
        // 1000 tags and then an IPv4 packet; then the same stack with no end at all.
        let tags = (0..<1000).map { (UInt16(0x8100), UInt16($0 % 4096)) }
        let frame = Build.ethernet(etherType: 0x0800, tags: tags, Build.ipv4(Build.tcp()))
        XCTAssertOutcome(decode(frame, as: .ethernet), .segment(defaultSegment(vlan: 1)), "the first tag, 0, is no VLAN")
        XCTAssertSkipped(decode(Array(frame.prefix(14 + 4000)), as: .ethernet), .truncated)
    }

    func testNonIPInsideATagIsNotIP() {
        let frame = Build.ethernet(etherType: 0x0806, tags: [(0x8100, 9)], [UInt8](repeating: 0, count: 28))
        XCTAssertSkipped(decode(frame, as: .ethernet), .notIP)
        assertEveryCut(frame, as: .ethernet, headersEnd: 18, expected: .skipped(.notIP))
    }

    func testTagsAreUnwrappedAfterLinuxCookedHeadersToo() {
        let inner = Build.be16(20) + Build.be16(0x0800) + Build.ipv4(Build.tcp())
        XCTAssertOutcome(decode(Build.sll(protocol: 0x8100, inner), as: .linuxSLL), .segment(defaultSegment(vlan: 20)))
        XCTAssertOutcome(decode(Build.sll2(protocol: 0x8100, inner), as: .linuxSLL2), .segment(defaultSegment(vlan: 20)))
    }
}
