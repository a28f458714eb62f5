import Wire
import XCTest

/// A cooked capture's packet whose header names IPv4 or IPv6 but whose bytes begin with the
/// last 4 bytes of an inner 802.1Q tag (its TCI and EtherType), as Linux hands frames of an
/// 802.1ad S-tag over an 802.1Q C-tag to `tcpdump -i any` (captures/qinq-bridge-any-sll2.pcap,
/// QinQBridgeCaptureTests): decoded behind those bytes, the tag's VLAN kept. Before, such a
/// packet was `malformed`, as tshark reads it ("Bogus IPv4 version").
final class LeftoverTagTests: XCTestCase {
    /// TCI 400 and EtherType `type`, as the kernel left them.
    func leftover(_ type: UInt16, vlan: UInt16 = 400) -> [UInt8] { Build.be16(vlan) + Build.be16(type) }

    func testSLL2IPv4AndIPv6BehindTheLeftoverTag() {
        let v4 = Build.sll2(protocol: 0x0800, leftover(0x0800) + Build.ipv4(Build.tcp(payload: 3)))
        XCTAssertOutcome(decode(v4, as: .linuxSLL2), .segment(defaultSegment(payloadLength: 3, vlan: 400)))
        let v6 = Build.sll2(protocol: 0x86DD, leftover(0x86DD, vlan: 100) + Build.ipv6(Build.tcp(payload: 3)))
        XCTAssertOutcome(decode(v6, as: .linuxSLL2), .segment(defaultV6Segment(payloadLength: 3, vlan: 100)))
    }

    /// SLL v1: libpcap re-inserts the offloaded S-tag (300) before the protocol; the frame's
    /// VLAN is that outermost one.
    func testSLLWithTheReinsertedSTagKeepsTheOutermostVLAN() {
        let packet = Build.sll(protocol: 0x88A8, Build.be16(300) + Build.be16(0x0800) + leftover(0x0800)
                               + Build.ipv4(Build.tcp(payload: 1)))
        XCTAssertOutcome(decode(packet, as: .linuxSLL), .segment(defaultSegment(payloadLength: 1, vlan: 300)))
    }

    /// A priority code point of 2 makes the TCI's first nibble 4, an IPv4 version with a
    /// header length the packet cannot have: still the leftover tag.
    func testATagWhosePriorityLooksLikeIPv4IsStillTheTag() {
        let packet = Build.sll2(protocol: 0x0800, leftover(0x0800, vlan: 0x4000 | 100) + Build.ipv4(Build.tcp()))
        XCTAssertOutcome(decode(packet, as: .linuxSLL2), .segment(defaultSegment(vlan: 100)))
    }

    /// Only those exact 4 bytes: another EtherType in them, another IP version behind them,
    /// or an Ethernet capture stays what it was.
    func testAnythingElseStaysMalformed() {
        XCTAssertSkipped(decode(Build.sll2(protocol: 0x0800, leftover(0x86DD) + Build.ipv4(Build.tcp())), as: .linuxSLL2),
                         .malformed)
        XCTAssertSkipped(decode(Build.sll2(protocol: 0x0800, leftover(0x0800) + Build.ipv6(Build.tcp())), as: .linuxSLL2),
                         .malformed)
        XCTAssertSkipped(decode(Build.ethernet(etherType: 0x0800, leftover(0x0800) + Build.ipv4(Build.tcp())), as: .ethernet),
                         .malformed, "Ethernet frames keep their tags whole")
    }

    /// Cut anywhere before the end of the TCP header behind the tag, the packet is cut
    /// (`truncated`: the reader counts it `malformed` when captured whole); from there on, the
    /// segment.
    func testEveryCut() {
        let packet = Build.sll2(protocol: 0x0800, leftover(0x0800) + Build.ipv4(Build.tcp(payload: 2)))
        for length in 0...packet.count {
            let outcome = decode(Array(packet.prefix(length)), as: .linuxSLL2)
            let expected: DecodeOutcome = length < 20 + 4 + 40 ? .skipped(.truncated)
                : .segment(defaultSegment(payloadLength: 2, vlan: 400))
            XCTAssertOutcome(outcome, expected, "cut at \(length)")
        }
    }
}
