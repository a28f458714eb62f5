import Wire
import XCTest

final class LinuxSLLTests: XCTestCase {
    func testViewReadsTheHeaderFields() {
        withBytes(Build.sll(protocol: 0x86DD, arphrd: 772, [9])) { bytes in
            guard let header = LinuxSLLHeader(bytes) else { return XCTFail("16+ bytes must make a view") }
            XCTAssertEqual(header.packetType, 0)
            XCTAssertEqual(header.arphrdType, 772)
            XCTAssertEqual(header.addressLength, 6)
            XCTAssertEqual(header.protocolType, 0x86DD)
            XCTAssertEqual(Array(header.payload), [9])
        }
        for length in 0..<16 {
            withBytes(Array(Build.sll(protocol: 0x0800, []).prefix(length))) { XCTAssertNil(LinuxSLLHeader($0)) }
        }
    }

    func testIPv4AndIPv6Decode() {
        let v4 = Build.sll(protocol: 0x0800, arphrd: 772, Build.ipv4(Build.tcp(payload: 4)))
        XCTAssertOutcome(decode(v4, as: .linuxSLL), .segment(defaultSegment(payloadLength: 4)))
        assertEveryCut(v4, as: .linuxSLL, headersEnd: 56, expected: .segment(defaultSegment(payloadLength: 4)))

        let v6 = Build.sll(protocol: 0x86DD, Build.ipv6(Build.tcp(payload: 4)))
        XCTAssertOutcome(decode(v6, as: .linuxSLL), .segment(defaultV6Segment(payloadLength: 4)))
        assertEveryCut(v6, as: .linuxSLL, headersEnd: 76, expected: .segment(defaultV6Segment(payloadLength: 4)))
    }

    func testARPAndLinuxProtocolCodesAreNotIP() {
        // ARP; and the Linux codes below 0x0600 that are not EtherTypes: 0x0001 802.3,
        // 0x0004 802.2 LLC, 0x000C CAN, 0x0010 LocalTalk.
        for proto: UInt16 in [0x0806, 0x0001, 0x0004, 0x000C, 0x0010] {
            let packet = Build.sll(protocol: proto, [0x45] + [UInt8](repeating: 0, count: 40))
            XCTAssertSkipped(decode(packet, as: .linuxSLL), .notIP, String(proto, radix: 16))
            assertEveryCut(packet, as: .linuxSLL, headersEnd: 16, expected: .skipped(.notIP))
        }
    }

    func testNetlinkCapturesAreNotIP() {
        // On a netlink device (ARPHRD_NETLINK 824) the protocol field is a netlink family.
        XCTAssertSkipped(decode(Build.sll(protocol: 0x0800, arphrd: 824, Build.ipv4(Build.tcp())), as: .linuxSLL), .notIP)
    }
}
