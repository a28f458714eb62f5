import Wire
import XCTest

final class IPAddressTests: XCTestCase {
    func testIPv4IsStoredMapped() {
        let address = IPAddress(ipv4: 0x7F00_0001)
        XCTAssertTrue(address.isIPv4)
        XCTAssertEqual(address.ipv4Value, 0x7F00_0001)
        XCTAssertEqual(address, IPAddress(high: 0, low: 0x0000_FFFF_7F00_0001))
        XCTAssertEqual(address.description, "127.0.0.1")
        XCTAssertFalse(IPAddress("::1")!.isIPv4)
        XCTAssertNil(IPAddress("::1")!.ipv4Value)
    }

    func testIPv6TextIsRFC5952() {
        let cases: [(UInt64, UInt64, String)] = [
            (0, 1, "::1"),
            (0, 0, "::"),
            (0xFE80_0000_0000_0000, 1, "fe80::1"),
            (0x2001_0DB8_0000_0000, 0x0001_0000_0000_0001, "2001:db8::1:0:0:1"),  // first of equal runs
            (0x2001_0DB8_0000_0001, 0x0001_0001_0001_0001, "2001:db8:0:1:1:1:1:1"),  // one zero group stays
            (0x2001_0DB8_0000_0000, 0x0001_0000_0000_0000, "2001:db8:0:0:1::"),  // the longer run wins
            (0x0001_0000_0000_0000, 0, "1::"),
            (0x0001_0002_0003_0004, 0x0005_0006_0007_0008, "1:2:3:4:5:6:7:8"),
            (0xABCD_EF00_0000_0000, 0x0000_0000_0000_FFFF, "abcd:ef00::ffff"),
            (0xFF02_0000_0000_0000, 0x0000_0001_FF00_0001, "ff02::1:ff00:1"),
            (0, 0x0000_FFFF_C0A8_0101, "192.168.1.1"),  // ::ffff:0:0/96 is shown as IPv4
        ]
        for (high, low, text) in cases {
            XCTAssertEqual(IPAddress(high: high, low: low).description, text)
        }
    }

    func testTextRoundTrips() {
        for text in ["::1", "::", "fe80::1", "2001:db8::1:0:0:1", "2001:db8:0:1:1:1:1:1", "1::", "1:2:3:4:5:6:7:8",
                     "ff02::1:ff00:1", "0.0.0.0", "255.255.255.255", "10.1.2.3", "1:2:3:4:5:6:7:0"] {
            guard let address = IPAddress(text) else { XCTFail("\(text) did not parse"); continue }
            XCTAssertEqual(address.description, text)
            XCTAssertEqual(IPAddress(address.description), address)
        }
    }

    func testParsingNormalizes() {
        let cases: [(String, String)] = [
            ("::ffff:10.0.0.1", "10.0.0.1"),
            ("::FFFF:a00:1", "10.0.0.1"),
            ("2001:DB8::1", "2001:db8::1"),
            ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
            ("0:0:0:0:0:0:0:1", "::1"),
            ("1:0:0:0:0:0:0:0", "1::"),
            ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
            ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
            ("2001:db8::0:1", "2001:db8::1"),
            // RFC 5952 4.2.2: "::" never stands for a single zero group.
            ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
            ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
            ("1:2:3::5:6:7:8", "1:2:3:0:5:6:7:8"),
        ]
        for (input, output) in cases {
            XCTAssertEqual(IPAddress(input)?.description, output, input)
        }
        XCTAssertEqual(IPAddress("10.0.0.1"), IPAddress(ipv4: 0x0A00_0001))
        XCTAssertEqual(IPAddress(Substring("x10.0.0.1").dropFirst()), IPAddress(ipv4: 0x0A00_0001))
    }

    func testGarbageDoesNotParse() {
        for text in ["", " ", ":", ":::", "1::2::3", "1:::2", ":1::", "::1:", "12345::", "g::", "1:2:3:4:5:6:7:8:9",
                     "::1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1..2.3", ".1.2.3",
                     "+1.2.3.4", "1.2.3.-4", "+1::", "-1::", "0x1::", "1.2.3.4::", "1.2.3.4:1::", "::1.2.3",
                     "::1.2.3.4:1", "1:2:3:4:5:6:7:1.2.3.4", "0001.2.3.4", " ::1", "::1 ", "fe80::1%eth0", "1111.1.1.1"] {
            XCTAssertNil(IPAddress(text), "\(text) parsed")
        }
    }

    func testOrderingPutsIPv4First() {
        let sorted = [IPAddress("2001:db8::1")!, IPAddress("10.0.0.2")!, IPAddress("::1")!, IPAddress("10.0.0.1")!].sorted()
        XCTAssertEqual(sorted.map(\.description), ["::1", "10.0.0.1", "10.0.0.2", "2001:db8::1"])
    }
}
