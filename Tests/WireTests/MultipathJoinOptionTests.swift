import Wire
import XCTest

/// `TCPHeader.joinsMultipathConnection` on option lists built byte by byte (the real
/// subflows are in MultipathJoinCaptureTests): MP_JOIN is found wherever it sits, other
/// MPTCP options are not it, and a malformed or cut list ends the walk without reading past it.
final class MultipathJoinOptionTests: XCTestCase {
    /// Linux's MP_JOIN SYN option (kind 30, length 12, subtype 1 in the high nibble), as in
    /// captures/mptcp-join-tls-any-s192.pcap frame 12, after MSS, SACK permitted and timestamps.
    let join: [UInt8] = [30, 12, 0x10, 0x01, 0x5e, 0x8b, 0x44, 0x20, 0x6d, 0x3f, 0x2b, 0x11]
    let capable: [UInt8] = [30, 12, 0x01, 0x81, 0x0c, 0x2a, 0x1e, 0x9b, 0x4d, 0x71, 0x0f, 0x3a]

    func joins(_ options: [UInt8]) -> Bool {
        let padded = options + Array(repeating: 0, count: (4 - options.count % 4) % 4)
        return withBytes(Build.tcp(flags: 0x02, options: padded)) { TCPHeader($0)!.joinsMultipathConnection }
    }

    func testMPJoinIsFoundAfterOtherOptions() {
        XCTAssertTrue(joins(join))
        XCTAssertTrue(joins([2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 1] + join))
    }

    func testOtherMultipathOptionsAndNoOptionsAreNoJoin() {
        XCTAssertFalse(joins([]))
        XCTAssertFalse(joins(capable), "MP_CAPABLE opens a connection of its own")
        XCTAssertFalse(joins([2, 4, 0x05, 0xb4, 1, 3, 3, 10]))
    }

    func testAMalformedOrCutListEndsTheWalk() {
        XCTAssertFalse(joins([0] + join), "End of option list")
        XCTAssertFalse(joins([8, 0] + join), "a length under 2")
        XCTAssertFalse(joins([8, 40] + join), "a length past the options")
        XCTAssertFalse(joins([30, 2]), "MPTCP without a subtype byte")
        // Cut by the capture inside the option: the header says 32 bytes, 30 are there.
        let cut = Array(Build.tcp(flags: 0x02, options: join).prefix(30))
        XCTAssertFalse(withBytes(cut) { TCPHeader($0)!.joinsMultipathConnection })
    }
}
