import Wire
import XCTest

final class LinuxSLL2Tests: XCTestCase {
    func testViewReadsTheHeaderFields() {
        withBytes(Build.sll2(protocol: 0x0800, arphrd: 1, [7, 8])) { bytes in
            guard let header = LinuxSLL2Header(bytes) else { return XCTFail("20+ bytes must make a view") }
            XCTAssertEqual(header.protocolType, 0x0800)
            XCTAssertEqual(header.interfaceIndex, 2)
            XCTAssertEqual(header.arphrdType, 1)
            XCTAssertEqual(header.packetType, 0)
            XCTAssertEqual(header.addressLength, 6)
            XCTAssertEqual(Array(header.payload), [7, 8])
        }
        for length in 0..<20 {
            withBytes(Array(Build.sll2(protocol: 0x0800, []).prefix(length))) { XCTAssertNil(LinuxSLL2Header($0)) }
        }
    }

    func testIPv4AndIPv6Decode() {
        let v4 = Build.sll2(protocol: 0x0800, Build.ipv4(Build.tcp(payload: 4)))
        XCTAssertOutcome(decode(v4, as: .linuxSLL2), .segment(defaultSegment(payloadLength: 4)))
        assertEveryCut(v4, as: .linuxSLL2, headersEnd: 60, expected: .segment(defaultSegment(payloadLength: 4)))

        let v6 = Build.sll2(protocol: 0x86DD, arphrd: 65534, Build.ipv6(Build.tcp(payload: 4)))
        XCTAssertOutcome(decode(v6, as: .linuxSLL2), .segment(defaultV6Segment(payloadLength: 4)))
        assertEveryCut(v6, as: .linuxSLL2, headersEnd: 80, expected: .segment(defaultV6Segment(payloadLength: 4)))
    }

    func testARPAndLinuxProtocolCodesAreNotIP() {
        for proto: UInt16 in [0x0806, 0x0001, 0x0004, 0x000C] {
            let packet = Build.sll2(protocol: proto, [0x45] + [UInt8](repeating: 0, count: 40))
            XCTAssertSkipped(decode(packet, as: .linuxSLL2), .notIP, String(proto, radix: 16))
            assertEveryCut(packet, as: .linuxSLL2, headersEnd: 20, expected: .skipped(.notIP))
        }
        XCTAssertSkipped(decode(Build.sll2(protocol: 0x0800, arphrd: 824, Build.ipv4(Build.tcp())), as: .linuxSLL2), .notIP)
    }

    func testTheProtocolIsReadAtOffsetZeroNotFourteen() {
        // An SLL2 packet decoded as SLL reads its protocol in the wrong place.
        let packet = Build.sll2(protocol: 0x0800, Build.ipv4(Build.tcp()))
        XCTAssertOutcome(decode(packet, as: .linuxSLL2), .segment(defaultSegment()))
        XCTAssertFalse(decode(packet, as: .linuxSLL).matches(.segment(defaultSegment())))
    }
}
