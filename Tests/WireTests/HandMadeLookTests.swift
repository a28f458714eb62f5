import Wire
import XCTest

/// `TCPSegment.looksHandMade`: no TCP option and, over IPv4, no Don't Fragment flag, as a
/// raw-socket scanner's probes (hping3's, nmap's, scapy's) are and a TCP stack's keep-alives
/// (with their connection's timestamps, or DF) are not. What tells a scan sent from a
/// service's port from the service's keep-alives (ScanLookalikeCaptureTests, on recordings).
final class HandMadeLookTests: XCTestCase {
    /// The 10-byte timestamp option a Linux connection carries on every segment, padded.
    private let timestamps: [UInt8] = [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2]

    private func segment(_ packet: [UInt8]) throws -> TCPSegment {
        let outcome = decode(Build.ethernet(etherType: packet[0] >> 4 == 6 ? 0x86DD : 0x0800, packet), as: .ethernet)
        guard case .segment(let segment) = outcome else { return try XCTUnwrap(nil, "decoded as \(outcome), not a segment") }
        return segment
    }

    func testAnIPv4ACKWithoutOptionsOrDFLooksHandMade() throws {
        XCTAssertTrue(try segment(Build.ipv4(dontFragment: false, Build.tcp(flags: 0x10))).looksHandMade)
    }

    func testDFOrAnOptionMakesAStacksSegment() throws {
        XCTAssertFalse(try segment(Build.ipv4(dontFragment: true, Build.tcp(flags: 0x10))).looksHandMade, "DF")
        XCTAssertFalse(try segment(Build.ipv4(dontFragment: false, Build.tcp(flags: 0x10, options: timestamps))).looksHandMade,
                       "timestamps")
        XCTAssertFalse(try segment(Build.ipv4(dontFragment: true, Build.tcp(flags: 0x10, options: timestamps))).looksHandMade,
                       "a Linux keep-alive: both")
    }

    /// IPv6 has no DF: only the options tell.
    func testInIPv6OnlyTheOptionsTell() throws {
        XCTAssertTrue(try segment(Build.ipv6(Build.tcp(flags: 0x10))).looksHandMade)
        XCTAssertFalse(try segment(Build.ipv6(Build.tcp(flags: 0x10, options: timestamps))).looksHandMade)
    }
}
