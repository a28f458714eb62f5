import TestSupport
import Wire
import XCTest

/// Every value of every header length field, with the packet cut at every length: the
/// outcome follows from the lengths alone (the rules of `PayloadExtent`): a header that
/// runs past what the IP length fields declare is `.malformed`, one that runs past the
/// captured bytes is `.truncated` (TCP's options excepted), a header length field below its
/// minimum is `.malformed`,
/// and when everything fits the payload is what the IP length fields leave. Never a trap,
/// never a read past the bytes (the buffers are exactly the packet's size).
final class HostileLengthTests: XCTestCase {
    /// NOP options (IPv4 and TCP both use 1 for NOP) filling a header to `words` 32-bit words.
    func padding(toWords words: Int) -> [UInt8] { [UInt8](repeating: 1, count: max(0, words - 5) * 4) }

    func testEveryIPv4HeaderLengthWithEveryTotalLengthAndEveryCut() {
        var checked = 0
        for ihl in 0...15 {
            let headerLength = ihl * 4
            let realHeader = max(20, headerLength)
            let tcp = Build.tcp(payload: 8)
            for totalLength in Set([0, 1, 19, 20, headerLength - 1, headerLength, headerLength + 19, headerLength + 20,
                                    realHeader + tcp.count, 65535].filter { $0 >= 0 }).sorted() {
                let packet = Build.ipv4(ihl: UInt8(ihl), options: padding(toWords: ihl), totalLength: UInt16(totalLength), tcp)
                for cut in 0...packet.count {
                    let outcome = decode(Array(packet.prefix(cut)), as: .ipv4)
                    let expected: DecodeOutcome
                    if cut < 20 {
                        expected = .skipped(.truncated)
                    } else if ihl < 5 || (totalLength != 0 && totalLength < headerLength) {
                        expected = .skipped(.malformed)
                    } else if cut < headerLength {
                        expected = .skipped(.truncated)
                    } else {
                        expected = tcpOutcome(declared: totalLength == 0 ? nil : totalLength - headerLength,
                                              captured: cut - headerLength, dataOffset: 5)
                    }
                    XCTAssertOutcome(outcome, expected, "ihl \(ihl), total length \(totalLength), cut \(cut)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 9_000)
    }

    func testEveryTCPDataOffsetWithEveryDeclaredLengthAndEveryCut() {
        var checked = 0
        for dataOffset in 0...15 {
            let tcp = Build.tcp(dataOffset: UInt8(dataOffset), options: padding(toWords: dataOffset), payload: 8)
            for declared in Set([0, 19, 20, dataOffset * 4 - 1, dataOffset * 4, tcp.count].filter { $0 >= 0 }).sorted() {
                // declared 0 is a TSO capture: the IPv4 total length field is 0.
                let packet = Build.ipv4(totalLength: declared == 0 ? 0 : UInt16(20 + declared), tcp)
                for cut in 20...packet.count {
                    let outcome = decode(Array(packet.prefix(cut)), as: .ipv4)
                    let expected = tcpOutcome(declared: declared == 0 ? nil : declared, captured: cut - 20, dataOffset: dataOffset)
                    XCTAssertOutcome(outcome, expected, "data offset \(dataOffset), declared \(declared), cut \(cut)")
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 3_000)
    }

    /// What a TCP header `dataOffset` words long gives, `captured` bytes of it present and
    /// `declared` bytes said by the IP header (nil: the IP length field was 0). Its options
    /// need not be captured: the fixed 20 bytes hold what a segment keeps.
    func tcpOutcome(declared: Int?, captured: Int, dataOffset: Int) -> DecodeOutcome {
        func overrun(_ length: Int) -> Bool { declared.map { length > $0 } ?? false }
        if overrun(20) { return .skipped(.malformed) }
        if captured < 20 { return .skipped(.truncated) }
        if dataOffset < 5 || overrun(dataOffset * 4) { return .skipped(.malformed) }
        let payload = max(0, (declared ?? captured) - dataOffset * 4)
        return .segment(defaultSegment(payloadLength: UInt32(payload)))
    }

    /// Hop-by-hop, routing, destination options and AH with every value of their length
    /// byte: the header is that long (in 8s, in 4s for AH), and the TCP header follows it.
    func testEveryIPv6ExtensionHeaderLengthIsWalkedExactly() {
        for type: UInt8 in [0, 43, 60, 51] {
            for lengthField in 0...255 {
                let length = type == 51 ? (lengthField + 2) * 4 : (lengthField + 1) * 8
                let header = [6, UInt8(lengthField)] + [UInt8](repeating: 0, count: length - 2)
                let packet = Build.ipv6(nextHeader: type, header + Build.tcp(payload: 4))
                XCTAssertOutcome(decode(packet, as: .ipv6), .segment(defaultV6Segment(payloadLength: 4)),
                                 "type \(type), length field \(lengthField)")
                // The same length field over a header whose own bytes stop after 8, when it
                // points past the packet: past the IPv6 payload length, malformed; with a
                // payload length of 0 (TSO), past the capture, truncated.
                let short = [6, UInt8(lengthField)] + [UInt8](repeating: 0, count: 6) + Build.tcp(payload: 4)
                if length > short.count {
                    XCTAssertSkipped(decode(Build.ipv6(nextHeader: type, short), as: .ipv6), .malformed,
                                     "type \(type), length field \(lengthField)")
                    XCTAssertSkipped(decode(Build.ipv6(nextHeader: type, payloadLength: 0, short), as: .ipv6), .truncated,
                                     "TSO: type \(type), length field \(lengthField)")
                }
            }
        }
    }

    func testStacksOfVLANTagsOfAnyDepthEndOrDecode() {
        let tpids: [UInt16] = [0x8100, 0x88A8, 0x9100]
        let inner = Build.ipv4(Build.tcp(payload: 3))
        for depth in [0, 1, 2, 3, 7, 100, 4000] {
            let tags = (0..<depth).map { (tpids[$0 % 3], UInt16($0 % 4095 + 1)) }
            let frame = Build.ethernet(etherType: 0x0800, tags: tags, inner)
            XCTAssertOutcome(decode(frame, as: .ethernet),
                             .segment(defaultSegment(payloadLength: 3, vlan: depth == 0 ? nil : 1)), "depth \(depth)")
            // Only tags, to the end of the capture: nothing to decode, and the walk ends.
            let onlyTags = Array(frame.prefix(14 + 4 * depth))
            XCTAssertSkipped(decode(onlyTags, as: .ethernet), .truncated, "only \(depth) tags")
        }
    }

    func testZeroLengthAndMaximumSnapshotPacketsOfEveryLinkType() {
        let linkTypes: [LinkType] = [.null, .ethernet, .raw, .rawOpenBSD, .loop, .linuxSLL, .rawLinktype, .ipv4, .ipv6,
                                     .linuxSLL2, .nflog, LinkType(rawValue: 127)]
        var generator = SplitMix64(seed: 0xB16)
        let huge = (0..<262_144).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        for linkType in linkTypes {
            XCTAssertSkipped(decode([], as: linkType), linkType.isSupported ? .truncated : .unsupportedLinkType, linkType.name)
            _ = decode(huge, as: linkType)  // random bytes: any outcome, but no trap and no overread
        }
        // A real TCP packet at the end of a 262,144-byte capture: the IP header decides the payload.
        let padded = Build.ipv4(Build.tcp(payload: 5)) + [UInt8](repeating: 0, count: 262_144 - 45)
        XCTAssertOutcome(decode(padded, as: .raw), .segment(defaultSegment(payloadLength: 5)))
    }
}
