import Wire
import XCTest

final class NullLoopbackTests: XCTestCase {
    func testFamilyIsReadInEitherByteOrder() {
        for family: UInt32 in [2, 24, 28, 30, 7, 0xFFFF] {
            for littleEndian in [true, false] {
                withBytes(Build.null(family: family, littleEndian: littleEndian, [])) { bytes in
                    XCTAssertEqual(NullLoopbackHeader(bytes)?.family, family, "\(family) little-endian: \(littleEndian)")
                }
            }
        }
        withBytes(Build.null(family: 2, littleEndian: true, [])) {
            XCTAssertEqual(NullLoopbackHeader($0)?.familyInNetworkOrder, 0x0200_0000)
        }
        for length in 0..<4 { withBytes([UInt8](repeating: 2, count: length)) { XCTAssertNil(NullLoopbackHeader($0)) } }
    }

    func testIPv4InBothByteOrders() {
        for littleEndian in [true, false] {
            let packet = Build.null(family: 2, littleEndian: littleEndian, Build.ipv4(Build.tcp(payload: 2)))
            XCTAssertOutcome(decode(packet, as: .null), .segment(defaultSegment(payloadLength: 2)))
            assertEveryCut(packet, as: .null, headersEnd: 44, expected: .segment(defaultSegment(payloadLength: 2)))
        }
    }

    func testIPv6UnderEveryBSDFamilyNumberInBothByteOrders() {
        for family: UInt32 in [24, 28, 30] {
            for littleEndian in [true, false] {
                let packet = Build.null(family: family, littleEndian: littleEndian, Build.ipv6(Build.tcp(payload: 2)))
                XCTAssertOutcome(decode(packet, as: .null), .segment(defaultV6Segment(payloadLength: 2)), "\(family)")
                assertEveryCut(packet, as: .null, headersEnd: 64, expected: .segment(defaultV6Segment(payloadLength: 2)))
            }
        }
    }

    func testOtherFamiliesAreNotIP() {
        // AF_UNSPEC, AF_UNIX, AF_APPLETALK, Linux's AF_INET6 (10), AF_ISO.
        for family: UInt32 in [0, 1, 16, 10, 7] {
            XCTAssertSkipped(decode(Build.null(family: family, Build.ipv4(Build.tcp())), as: .null), .notIP, "\(family)")
        }
    }

    func testLoopReadsTheFamilyInNetworkOrderOnly() {
        let v4 = Build.null(family: 2, littleEndian: false, Build.ipv4(Build.tcp()))
        XCTAssertOutcome(decode(v4, as: .loop), .segment(defaultSegment()))
        assertEveryCut(v4, as: .loop, headersEnd: 44, expected: .segment(defaultSegment()))
        let v6 = Build.null(family: 24, littleEndian: false, Build.ipv6(Build.tcp()))
        XCTAssertOutcome(decode(v6, as: .loop), .segment(defaultV6Segment()))
        // A host-order family is not what LOOP defines.
        XCTAssertSkipped(decode(Build.null(family: 2, littleEndian: true, Build.ipv4(Build.tcp())), as: .loop), .notIP)
    }
}
