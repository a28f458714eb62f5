import Wire
import XCTest

/// `TCPSegment.looksHandMade`: no TCP option and no Don't Fragment flag (IPv4) or flow label
/// (IPv6), or a timestamp option alone that echoes nothing, as a raw-socket scanner's probes
/// (hping3's, nmap's, scapy's) are and a TCP stack's keep-alives (with their connection's
/// timestamps, DF or flow label) are not. What tells a scan sent from a
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

    /// IPv6 has no DF; the flow label a stack gives each connection stands in for it (a
    /// Linux keep-alive without timestamps: no option, a flow label; nmap's probe: neither).
    func testInIPv6TheFlowLabelTellsAsDFDoes() throws {
        XCTAssertTrue(try segment(Build.ipv6(Build.tcp(flags: 0x10))).looksHandMade)
        XCTAssertFalse(try segment(Build.ipv6(flowLabel: 0x8_6C03, Build.tcp(flags: 0x10))).looksHandMade, "flow label")
        XCTAssertFalse(try segment(Build.ipv6(Build.tcp(flags: 0x10, options: timestamps))).looksHandMade, "timestamps")
    }

    /// A timestamp option alone whose echo reply is 0 (`hping3 --tcp-timestamp`'s ACKs):
    /// after the handshake a stack echoes its peer's TSval, so only a tool sends that.
    func testATimestampThatEchoesNothingLooksHandMade() throws {
        let echoingNothing: [UInt8] = [1, 1, 8, 10, 0xA6, 0x41, 0x7B, 0x8B, 0, 0, 0, 0]
        XCTAssertTrue(try segment(Build.ipv4(dontFragment: false, Build.tcp(flags: 0x10, options: echoingNothing))).looksHandMade)
        XCTAssertTrue(try segment(Build.ipv4(dontFragment: true, Build.tcp(flags: 0x10, options: echoingNothing))).looksHandMade,
                      "DF besides (hping3 -y --tcp-timestamp)")
        XCTAssertTrue(try segment(Build.ipv6(flowLabel: 1, Build.tcp(flags: 0x10, options: echoingNothing))).looksHandMade)
        XCTAssertFalse(try segment(Build.ipv4(dontFragment: false, Build.tcp(flags: 0x02, options: echoingNothing))).looksHandMade,
                       "a SYN echoes 0")
        XCTAssertFalse(try segment(Build.ipv4(dontFragment: false, Build.tcp(flags: 0x10, options: echoingNothing + [1, 1, 1, 1])))
                           .looksHandMade, "other options besides")
        XCTAssertFalse(try segment(Build.ipv4(dontFragment: false, Build.tcp(flags: 0x18, options: echoingNothing, payload: 10)))
                           .looksHandMade, "data: no probe, and not read so that data segments cost nothing more")
    }
}
