import Wire
import XCTest

/// Loopback addresses never leave their host: 127.0.0.0/8 and ::1 (the audit's host-local
/// servers); not the IPv4-mapped ::ffff:127.0.0.1's neighbours or 0.0.0.0.
final class LoopbackAddressTests: XCTestCase {
    func testTheWholeBlockOf127AndIPv6OneAreLoopback() {
        for text in ["127.0.0.1", "127.0.0.4", "127.255.255.255", "::1"] {
            XCTAssertTrue(IPAddress(text)!.isLoopback, text)
        }
    }

    func testOtherAddressesAreNot() {
        for text in ["10.30.0.1", "128.0.0.1", "126.255.255.255", "0.0.0.0", "::", "::2", "fe80::1", "::ffff:10.0.0.1"] {
            XCTAssertFalse(IPAddress(text)!.isLoopback, text)
        }
    }
}
