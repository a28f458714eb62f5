import Wire
import XCTest

final class IPv6ExtensionHeaderTests: XCTestCase {
    func testLengthCountsInEightsOrInFoursForAH() {
        withBytes([6, 2, 0, 0, 0, 0, 0, 0]) { bytes in
            XCTAssertEqual(IPv6ExtensionHeader(bytes, type: 0)?.headerLength, 24)
            XCTAssertEqual(IPv6ExtensionHeader(bytes, type: 43)?.headerLength, 24)
            XCTAssertEqual(IPv6ExtensionHeader(bytes, type: 60)?.headerLength, 24)
            XCTAssertEqual(IPv6ExtensionHeader(bytes, type: 51)?.headerLength, 16)
            XCTAssertEqual(IPv6ExtensionHeader(bytes, type: 0)?.nextHeader, 6)
            XCTAssertEqual(IPv6ExtensionHeader(bytes, type: 0)?.lengthField, 2)
        }
        withBytes([6, 255, 0, 0, 0, 0, 0, 0]) { XCTAssertEqual(IPv6ExtensionHeader($0, type: 60)?.headerLength, 2048) }
        for length in 0..<8 { withBytes([UInt8](repeating: 0, count: length)) { XCTAssertNil(IPv6ExtensionHeader($0, type: 0)) } }
        XCTAssertTrue([0, 43, 60, 51].allSatisfy(IPv6ExtensionHeader.hasGenericLayout))
        XCTAssertFalse([44, 6, 17, 59, 50].contains(where: IPv6ExtensionHeader.hasGenericLayout))
    }

    func testFragmentHeaderView() {
        withBytes(Build.fragmentHeader(next: 6, offset: 0x1ABC, more: true)) { bytes in
            guard let fragment = IPv6FragmentHeader(bytes) else { return XCTFail("8 bytes must make a view") }
            XCTAssertEqual(fragment.nextHeader, 6)
            XCTAssertEqual(fragment.fragmentOffset, 0x1ABC)
            XCTAssertTrue(fragment.moreFragments)
            XCTAssertEqual(fragment.identification, 0xCAFE_F00D)
            XCTAssertEqual(fragment.payload.count, 0)
        }
        for length in 0..<8 { withBytes([UInt8](repeating: 0, count: length)) { XCTAssertNil(IPv6FragmentHeader($0)) } }
    }

    /// Builds IPv6 + the given chain of (type, length) extension headers + TCP with `payload` bytes.
    func chain(_ headers: [(UInt8, Int)], payload: Int = 10) -> [UInt8] {
        var bytes = Build.tcp(payload: payload)
        var next: UInt8 = 6
        for (type, length) in headers.reversed() {
            bytes = (type == 44 ? Build.fragmentHeader(next: next) : Build.extensionHeader(type, next: next, length: length)) + bytes
            next = type
        }
        return Build.ipv6(nextHeader: next, bytes)
    }

    func testChainsInAnyOrderAreWalkedAndTheirBytesAreNotPayload() {
        let chains: [[(UInt8, Int)]] = [
            [(0, 8)],
            [(0, 8), (60, 16), (43, 24)],
            [(43, 8), (0, 8), (60, 8)],
            [(60, 8), (44, 8), (51, 12 + 4)],
            [(51, 24), (60, 8)],
            [(44, 8), (60, 40), (43, 8), (0, 16)],
        ]
        for headers in chains {
            let packet = chain(headers)
            let headerBytes = headers.reduce(0) { $0 + $1.1 }
            let expected = DecodeOutcome.segment(defaultV6Segment(payloadLength: 10))
            XCTAssertOutcome(decode(packet, as: .ipv6), expected, "\(headers)")
            assertEveryCut(packet, as: .ipv6, headersEnd: 40 + headerBytes + 20, expected: expected, "\(headers)")
        }
    }

    func testEightExtensionHeadersAreAllowedANinthIsMalformed() {
        let eight = chain(Array(repeating: (60, 8), count: 7) + [(44, 8)])
        XCTAssertOutcome(decode(eight, as: .ipv6), .segment(defaultV6Segment(payloadLength: 10)))
        for count in [9, 10, 50, 500] {
            XCTAssertSkipped(decode(chain(Array(repeating: (0, 8), count: count)), as: .ipv6), .malformed, "\(count)")
        }
        // A chain that would go on forever: each header names another destination-options header.
        let loop = Build.ipv6(nextHeader: 60, (0..<20).flatMap { _ in Build.extensionHeader(60, next: 60) })
        XCTAssertSkipped(decode(loop, as: .ipv6), .malformed)
    }

    func testExtensionHeaderPastThePayloadLengthIsMalformed() {
        // A 24-byte destination-options header in a packet whose payload length is 16.
        let packet = Build.ipv6(nextHeader: 60, payloadLength: 16, Build.extensionHeader(60, next: 6, length: 24) + Build.tcp())
        XCTAssertSkipped(decode(packet, as: .ipv6), .malformed)
        // Extension headers fit, but leave no room for the TCP header.
        let tight = Build.ipv6(nextHeader: 0, payloadLength: 24, Build.extensionHeader(0, next: 6) + Build.tcp())
        XCTAssertSkipped(decode(tight, as: .ipv6), .malformed)
    }

    func testFragmentsAfterTheFirstCarryNoPorts() {
        let later = Build.ipv6(nextHeader: 44, Build.fragmentHeader(next: 6, offset: 181, more: true) + Build.tcp())
        XCTAssertSkipped(decode(later, as: .ipv6), .fragment)
        let last = Build.ipv6(nextHeader: 0, Build.extensionHeader(0, next: 44) + Build.fragmentHeader(next: 6, offset: 1) + Build.tcp())
        XCTAssertSkipped(decode(last, as: .ipv6), .fragment)
    }

    func testFirstAndAtomicFragmentsDecode() {
        // A first fragment goes to `FragmentTable`, with the Fragment header's identification.
        let first = Build.ipv6(nextHeader: 44, Build.fragmentHeader(next: 6, more: true) + Build.tcp(payload: 1200))
        XCTAssertOutcome(decode(first, as: .ipv6), .fragment(IPFragment(
            source: Build.v6Source, destination: Build.v6Destination, identification: 0xCAFE_F00D,
            offset: 0, length: 1220, capturedTail: 1220, moreFragments: true, copyIdentification: 0)))
        let atomic = Build.ipv6(nextHeader: 44, Build.fragmentHeader(next: 6) + Build.tcp(payload: 1))
        XCTAssertOutcome(decode(atomic, as: .ipv6), .segment(defaultV6Segment(payloadLength: 1)))
        // A first fragment whose TCP header continues in the next fragment.
        let tiny = Build.ipv6(nextHeader: 44, payloadLength: 16, Build.fragmentHeader(next: 6, more: true) + Build.tcp())
        XCTAssertSkipped(decode(tiny, as: .ipv6), .fragment)
    }

    func testChainEndingInNoNextHeaderOrATunnel() {
        XCTAssertSkipped(decode(Build.ipv6(nextHeader: 0, Build.extensionHeader(0, next: 59)), as: .ipv6), .notTCP)
        XCTAssertOutcome(decode(Build.ipv6(nextHeader: 60, Build.extensionHeader(60, next: 41) + Build.ipv6(Build.tcp())), as: .ipv6),
                         .segment(defaultV6Segment().in(.ipInIP)))
        let vxlan = Build.udp(destinationPort: 4789, carrying: Build.vxlan(Build.ethernet(etherType: 0x0800, Build.ipv4(Build.tcp()))))
        XCTAssertOutcome(decode(Build.ipv6(nextHeader: 43, Build.extensionHeader(43, next: 17) + vxlan), as: .ipv6),
                         .segment(defaultSegment().in(.vxlan)))
    }
}
