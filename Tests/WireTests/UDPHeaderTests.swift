import Wire
import XCTest

final class UDPHeaderTests: XCTestCase {
    func testViewReadsTheHeaderFields() {
        let header = Build.udp(sourcePort: 12345, destinationPort: 4789, payload: 3)
        withBytes(header) { bytes in
            guard let udp = UDPHeader(bytes) else { return XCTFail("8+ bytes must make a view") }
            XCTAssertEqual(udp.sourcePort, 12345)
            XCTAssertEqual(udp.destinationPort, 4789)
            XCTAssertEqual(udp.length, 11)
            XCTAssertEqual(udp.checksum, 0)
            XCTAssertEqual(Array(udp.payload), [0xBB, 0xBB, 0xBB])
        }
        for length in 0..<8 { withBytes(Array(header.prefix(length))) { XCTAssertNil(UDPHeader($0)) } }
    }

    func testOtherUDPIsNotTCP() {
        let dns = Build.ipv6(nextHeader: 17, Build.udp(destinationPort: 53, payload: 30))
        XCTAssertSkipped(decode(dns, as: .ipv6), .notTCP)
        assertEveryCut(dns, as: .ipv6, headersEnd: 48, expected: .skipped(.notTCP))
    }
}
