import TestSupport
import Dispatch
import Wire
import XCTest

/// The decoder end to end: every link type around every kind of IP packet, cut at every length.
final class PacketDecoderTests: XCTestCase {
    enum Family { case v4, v6 }

    /// An IP packet, how many of its bytes are headers, and what it decodes to.
    struct Inner {
        let name: String
        let family: Family
        let bytes: [UInt8]
        let headersEnd: Int
        let expected: DecodeOutcome
        /// For a tunnel: where its outer headers end, from which a cut is `.truncatedInTunnel`.
        var tunnelStart: Int? = nil
    }

    /// A link-layer framing around an IP packet.
    struct Link: Sendable {
        let name: String
        let linkType: LinkType
        let vlan: UInt16?
        let wrap: @Sendable (Family, [UInt8]) -> [UInt8]?
    }

    static let inners: [Inner] = [
        Inner(name: "v4 tcp", family: .v4, bytes: Build.ipv4(Build.tcp(payload: 10)),
              headersEnd: 40, expected: .segment(defaultSegment(payloadLength: 10))),
        Inner(name: "v4 options + tcp options", family: .v4,
              bytes: Build.ipv4(options: [1, 1, 1, 0, 0x94, 4, 0, 0],
                                Build.tcp(options: [2, 4, 0x05, 0xb4, 1, 1, 1, 1, 1, 1, 1, 0], payload: 5)),
              headersEnd: 48, expected: .segment(defaultSegment(payloadLength: 5))),
        // Fragments of TCP go to `FragmentTable` (FragmentTableTests) from the IP header on.
        Inner(name: "v4 first fragment", family: .v4, bytes: Build.ipv4(moreFragments: true, Build.tcp(payload: 100)),
              headersEnd: 20, expected: .skipped(.fragment)),
        Inner(name: "v4 later fragment", family: .v4, bytes: Build.ipv4(fragmentOffset: 185, [UInt8](repeating: 1, count: 30)),
              headersEnd: 20, expected: .skipped(.fragment)),
        Inner(name: "v4 udp vxlan", family: .v4,
              bytes: Build.ipv4(protocol: 17, Build.udp(destinationPort: 4789, carrying:
                  Build.vxlan(Build.ethernet(etherType: 0x0800, Build.ipv4(Build.tcp(payload: 4)))))),
              headersEnd: 90, expected: .segment(defaultSegment(payloadLength: 4).in(.vxlan)), tunnelStart: 28),
        Inner(name: "v4 udp dns", family: .v4, bytes: Build.ipv4(protocol: 17, Build.udp(payload: 16)),
              headersEnd: 28, expected: .skipped(.notTCP)),
        Inner(name: "v4 gre", family: .v4, bytes: Build.ipv4(protocol: 47, Build.gre(protocolType: 0x0800, Build.ipv4(Build.tcp()))),
              headersEnd: 64, expected: .segment(defaultSegment().in(.gre)), tunnelStart: 20),
        Inner(name: "v4 icmp", family: .v4, bytes: Build.ipv4(protocol: 1, [8, 0, 0, 0, 0, 1, 0, 1]),
              headersEnd: 20, expected: .skipped(.notTCP)),
        Inner(name: "v6 tcp", family: .v6, bytes: Build.ipv6(Build.tcp(payload: 10)),
              headersEnd: 60, expected: .segment(defaultV6Segment(payloadLength: 10))),
        Inner(name: "v6 hop-by-hop + destination + tcp", family: .v6,
              bytes: Build.ipv6(nextHeader: 0, Build.extensionHeader(0, next: 60)
                  + Build.extensionHeader(60, next: 6, length: 16) + Build.tcp(payload: 3)),
              headersEnd: 84, expected: .segment(defaultV6Segment(payloadLength: 3))),
        Inner(name: "v6 first fragment + tcp", family: .v6,
              bytes: Build.ipv6(nextHeader: 44, Build.fragmentHeader(next: 6, more: true) + Build.tcp(payload: 7)),
              headersEnd: 48, expected: .skipped(.fragment)),
        Inner(name: "v6 later fragment", family: .v6,
              bytes: Build.ipv6(nextHeader: 44, Build.fragmentHeader(next: 6, offset: 100) + [UInt8](repeating: 2, count: 24)),
              headersEnd: 48, expected: .skipped(.fragment)),
        Inner(name: "v6 ah + tcp", family: .v6,
              bytes: Build.ipv6(nextHeader: 51, Build.extensionHeader(51, next: 6, length: 24) + Build.tcp()),
              headersEnd: 84, expected: .segment(defaultV6Segment(payloadLength: 0))),
        Inner(name: "v6 no next header", family: .v6, bytes: Build.ipv6(nextHeader: 59, []),
              headersEnd: 40, expected: .skipped(.notTCP)),
        Inner(name: "v6 ipv6-in-ipv6", family: .v6, bytes: Build.ipv6(nextHeader: 41, Build.ipv6(Build.tcp())),
              headersEnd: 100, expected: .segment(defaultV6Segment().in(.ipInIP)), tunnelStart: 40),
        Inner(name: "v6 udp vxlan on 8472", family: .v6,
              bytes: Build.ipv6(nextHeader: 17, Build.udp(destinationPort: 8472, carrying:
                  Build.vxlan(Build.ethernet(etherType: 0x86DD, Build.ipv6(Build.tcp(payload: 2)))))),
              headersEnd: 130, expected: .segment(defaultV6Segment(payloadLength: 2).in(.vxlan)), tunnelStart: 48),
    ]

    static func etherType(_ family: Family) -> UInt16 { family == .v4 ? 0x0800 : 0x86DD }

    static let links: [Link] = [
        Link(name: "ethernet", linkType: .ethernet, vlan: nil) { Build.ethernet(etherType: etherType($0), $1) },
        Link(name: "ethernet 802.1Q", linkType: .ethernet, vlan: 10) {
            Build.ethernet(etherType: etherType($0), tags: [(0x8100, 10)], $1)
        },
        Link(name: "ethernet 802.1ad QinQ", linkType: .ethernet, vlan: 100) {
            Build.ethernet(etherType: etherType($0), tags: [(0x88A8, 100), (0x8100, 200)], $1)
        },
        Link(name: "ethernet 0x9100 QinQ", linkType: .ethernet, vlan: 4094) {
            Build.ethernet(etherType: etherType($0), tags: [(0x9100, 4094), (0x8100, 7)], $1)
        },
        Link(name: "linux sll", linkType: .linuxSLL, vlan: nil) { Build.sll(protocol: etherType($0), $1) },
        Link(name: "linux sll2", linkType: .linuxSLL2, vlan: nil) { Build.sll2(protocol: etherType($0), $1) },
        Link(name: "null little-endian (Darwin)", linkType: .null, vlan: nil) {
            Build.null(family: $0 == .v4 ? 2 : 30, littleEndian: true, $1)
        },
        Link(name: "null little-endian (FreeBSD)", linkType: .null, vlan: nil) {
            Build.null(family: $0 == .v4 ? 2 : 28, littleEndian: true, $1)
        },
        Link(name: "null big-endian", linkType: .null, vlan: nil) {
            Build.null(family: $0 == .v4 ? 2 : 24, littleEndian: false, $1)
        },
        Link(name: "loop", linkType: .loop, vlan: nil) { Build.null(family: $0 == .v4 ? 2 : 24, littleEndian: false, $1) },
        Link(name: "raw 12", linkType: .raw, vlan: nil) { $1 },
        Link(name: "raw 14", linkType: .rawOpenBSD, vlan: nil) { $1 },
        Link(name: "raw 101", linkType: .rawLinktype, vlan: nil) { $1 },
        Link(name: "ipv4 228", linkType: .ipv4, vlan: nil) { $0 == .v4 ? $1 : nil },
        Link(name: "ipv6 229", linkType: .ipv6, vlan: nil) { $0 == .v6 ? $1 : nil },
        Link(name: "ppp, HDLC-like framing", linkType: .ppp, vlan: nil) { [0xFF, 0x03, 0x00, $0 == .v4 ? 0x21 : 0x57] + $1 },
        Link(name: "ppp serial, compressed protocol", linkType: .pppSerial, vlan: nil) { [$0 == .v4 ? 0x21 : 0x57] + $1 },
        Link(name: "cisco hdlc", linkType: .ciscoHDLC, vlan: nil) { [0x0F, 0x00] + Build.be16(etherType($0)) + $1 },
    ]

    func testEveryLinkTypeAroundEveryPacketDecodesAndEveryCutIsTruncated() {
        var combinations = 0
        for link in Self.links {
            for inner in Self.inners {
                guard let packet = link.wrap(inner.family, inner.bytes) else { continue }
                var expected = inner.expected
                if case .segment(var segment) = expected {
                    segment.vlan = link.vlan
                    expected = .segment(segment)
                }
                let linkHeader = packet.count - inner.bytes.count
                XCTAssertOutcome(decode(packet, as: link.linkType), expected, "\(link.name) / \(inner.name)")
                assertEveryCut(packet, as: link.linkType, headersEnd: linkHeader + inner.headersEnd,
                               expected: expected, tunnelStart: inner.tunnelStart.map { linkHeader + $0 },
                               "\(link.name) / \(inner.name)")
                combinations += 1
            }
        }
        XCTAssertEqual(combinations, 16 * Self.inners.count + 8 + 8)
    }

    func testUnsupportedLinkTypesAreSkippedWhateverTheBytes() {
        // 8 SLIP, 105 802.11, 107 Frame Relay, 127 radiotap, 147 user 0, 192 PPI, 242 IPoIB.
        for raw: Int32 in [6, 8, 105, 107, 127, 147, 192, 242, 9999, -1] {
            let decoder = PacketDecoder(linkType: LinkType(rawValue: raw))
            XCTAssertEqual(decoder.linkType.rawValue, raw)
            XCTAssertSkipped(decode([], as: LinkType(rawValue: raw)), .unsupportedLinkType)
            XCTAssertSkipped(decode(Build.ethernet(etherType: 0x0800, Build.ipv4(Build.tcp())), as: LinkType(rawValue: raw)),
                             .unsupportedLinkType)
        }
    }

    func testEverySupportedLinkTypeSaysTruncatedForAnEmptyPacket() {
        for linkType: LinkType in [.null, .ethernet, .raw, .rawOpenBSD, .loop, .linuxSLL, .rawLinktype, .ipv4, .ipv6, .linuxSLL2, .nflog,
                                   .ppp, .pppSerial, .ciscoHDLC] {
            XCTAssertTrue(linkType.isSupported)
            XCTAssertSkipped(decode([], as: linkType), .truncated, linkType.name)
        }
    }

    func testRawLinkTypeReadsTheVersionNibble() {
        XCTAssertOutcome(decode(Build.ipv4(Build.tcp()), as: .raw), .segment(defaultSegment()))
        XCTAssertOutcome(decode(Build.ipv6(Build.tcp()), as: .raw), .segment(defaultV6Segment()))
        for version: UInt8 in [0, 1, 5, 7, 15] {
            XCTAssertSkipped(decode(Build.ipv4(version: version, Build.tcp()), as: .raw), .malformed, "version \(version)")
        }
    }

    func testIPLinkTypesRequireTheirOwnVersion() {
        XCTAssertSkipped(decode(Build.ipv6(Build.tcp()), as: .ipv4), .malformed)
        XCTAssertSkipped(decode(Build.ipv4(Build.tcp()) + [UInt8](repeating: 0, count: 20), as: .ipv6), .malformed)
    }

    func testLargestPacketsDecode() {
        // 65535-byte IPv4 packet: the largest total length.
        let v4 = Build.ipv4(Build.tcp(payload: 65535 - 40))
        XCTAssertEqual(v4.count, 65535)
        XCTAssertOutcome(decode(Build.ethernet(etherType: 0x0800, v4), as: .ethernet),
                         .segment(defaultSegment(payloadLength: 65495)))
        // IPv6 payload length 65535: the largest without a jumbogram.
        let v6 = Build.ipv6(Build.tcp(payload: 65535 - 20))
        XCTAssertOutcome(decode(v6, as: .ipv6), .segment(defaultV6Segment(payloadLength: 65515)))
        // A 65535-byte capture of a packet whose headers say less: the headers win.
        let padded = Build.ethernet(etherType: 0x0800, Build.ipv4(Build.tcp(payload: 1)))
        XCTAssertOutcome(decode(padded + [UInt8](repeating: 0, count: 65535 - padded.count), as: .ethernet),
                         .segment(defaultSegment(payloadLength: 1)))
    }

    func testRandomBytesNeverTrapForAnyLinkType() {
        var generator = SplitMix64(seed: 0x5EED)
        let linkTypes: [LinkType] = [.null, .ethernet, .raw, .loop, .linuxSLL, .ipv4, .ipv6, .linuxSLL2]
        for _ in 0..<3000 {
            let length = Int(generator.next() % 160)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            for linkType in linkTypes { _ = decode(bytes, as: linkType) }
        }
    }

    func testMutatedPacketsNeverTrap() {
        // Flip bytes of valid packets (so the damage lands in headers that are otherwise
        // well-formed), at every length.
        var generator = SplitMix64(seed: 42)
        for link in Self.links {
            for inner in Self.inners {
                guard var packet = link.wrap(inner.family, inner.bytes) else { continue }
                for _ in 0..<40 {
                    let index = Int(generator.next() % UInt64(packet.count))
                    packet[index] = UInt8(truncatingIfNeeded: generator.next())
                    let length = Int(generator.next() % UInt64(packet.count + 1))
                    _ = decode(Array(packet.prefix(length)), as: link.linkType)
                    _ = decode(packet, as: link.linkType)
                }
            }
        }
    }

    func testDecoderIsAValueThatCanCrossThreads() {
        let decoder = PacketDecoder(linkType: .ethernet)
        let packet = Build.ethernet(etherType: 0x0800, Build.ipv4(Build.tcp()))
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 4)
        defer { results.deallocate() }
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            results[index] = withBytes(packet) { decoder.decode($0).matches(.segment(defaultSegment())) }
        }
        XCTAssertEqual(Array(results), [true, true, true, true])
    }
}
