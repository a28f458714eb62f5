import Wire
import XCTest

/// `FragmentTable`: the fragments of a TCP datagram, decoded from built packets, give the
/// one segment the datagram carries, however they are cut, and hostile fragments (floods,
/// overlaps, datagrams never completed) are counted, not kept.
final class FragmentTableTests: XCTestCase {
    /// What a table gave: its segments (with their captured payloads) and its skip counts.
    struct Given {
        var segments: [(segment: TCPSegment, payload: [UInt8], time: Int64, wire: UInt32)] = []
        var skipped: [SkipReason: UInt64] = [:]
    }

    /// The TCP bytes of the datagram: a header with 12 bytes of options, then `payload`
    /// bytes counting up (so that a byte out of place shows).
    static func datagram(payload: Int = 300, sourcePort: UInt16 = 40000) -> [UInt8] {
        let header = Build.tcp(sourcePort: sourcePort, destinationPort: 31337, flags: 0x18,
                               options: [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2])
        return header + (0..<payload).map { UInt8(truncatingIfNeeded: $0) }
    }

    /// `bytes` cut into IPv4 fragments of `size` bytes (a multiple of 8), as packets.
    static func fragments(_ bytes: [UInt8], size: Int, identification: UInt16 = 7) -> [[UInt8]] {
        stride(from: 0, to: bytes.count, by: size).map { start in
            let end = min(start + size, bytes.count)
            return Build.ipv4(moreFragments: end < bytes.count, fragmentOffset: UInt16(start / 8),
                              identification: identification, Array(bytes[start..<end]))
        }
    }

    /// Decodes each packet and hands its fragment to `table`, a millisecond apart.
    static func feed(_ packets: [[UInt8]], to table: inout FragmentTable, into given: inout Given,
                     start: Int64 = 0, snaplen: Int = .max) {
        for (index, packet) in packets.enumerated() {
            let captured = Array(packet.prefix(snaplen))
            captured.withUnsafeBytes { bytes in
                guard case .fragment(let fragment) = PacketDecoder(linkType: .raw).decode(bytes) else {
                    return XCTFail("packet \(index) is no fragment")
                }
                table.add(fragment, packet: bytes, timestamp: start + Int64(index) * 1_000_000,
                          wireLength: UInt32(packet.count)) { segment, payload, time, wire in
                    given.segments.append((segment, Array(payload), time, wire))
                } skip: { reason, count in
                    given.skipped[reason, default: 0] += count
                }
            }
        }
    }

    static func flush(_ table: inout FragmentTable, into given: inout Given) {
        table.flush { segment, payload, time, wire in
            given.segments.append((segment, Array(payload), time, wire))
        } skip: { reason, count in
            given.skipped[reason, default: 0] += count
        }
    }

    /// Every fragment size from RFC 1858's 8 bytes (the first fragment holds the ports, not
    /// the flags) to the whole datagram in one piece but for its last byte, in order and
    /// in reverse: one segment, with the datagram's payload length, its header's fields,
    /// the first 96 payload bytes, on the last fragment's time, and the other fragments
    /// counted `reassembled`.
    func testEveryFragmentSizeInAnyOrderGivesTheDatagramsOneSegment() {
        let bytes = Self.datagram()
        for size in stride(from: 8, to: bytes.count, by: 8) {
            for reversed in [false, true] {
                var table = FragmentTable(), given = Given()
                let packets = Self.fragments(bytes, size: size)
                Self.feed(reversed ? packets.reversed() : packets, to: &table, into: &given)
                let context = "size \(size)\(reversed ? ", reversed" : "")"
                guard given.segments.count == 1, let joined = given.segments.first else {
                    XCTFail("\(context): \(given.segments.count) segments, \(given.skipped)"); continue
                }
                XCTAssertEqual(joined.segment.sourcePort, 40000, context)
                XCTAssertEqual(joined.segment.destinationPort, 31337, context)
                XCTAssertEqual(joined.segment.flags.rawValue, 0x18, context)
                XCTAssertEqual(joined.segment.sequenceNumber, 0x1122_3344, context)
                XCTAssertEqual(joined.segment.payloadLength, 300, context)
                XCTAssertEqual(joined.payload, (0..<(FragmentTable.headLength - 32)).map { UInt8($0) }, context)
                XCTAssertEqual(joined.time, Int64(packets.count - 1) * 1_000_000, context)
                XCTAssertEqual(Int(joined.wire), packets.reduce(0) { $0 + $1.count }, context)
                XCTAssertEqual(given.skipped, packets.count > 1 ? [.reassembled: UInt64(packets.count - 1)] : [:], context)
                XCTAssertTrue(table.isEmpty, context)
            }
        }
    }

    /// Fragments cut by the snapshot length at every length: the segment comes whenever the
    /// captured bytes hold the first 20 bytes of TCP, with the payload length the IP
    /// headers declare and as much payload as was captured; otherwise the fragments are
    /// counted `fragment` when the input ends.
    func testEverySnapshotLengthGivesTheSegmentWhenTheTCPHeaderWasCaptured() {
        let bytes = Self.datagram()
        for size in [8, 16, 24, 64, 160] {
            for snaplen in 20...(20 + size) {
                var table = FragmentTable(), given = Given()
                let packets = Self.fragments(bytes, size: size)
                Self.feed(packets, to: &table, into: &given, snaplen: snaplen)
                Self.flush(&table, into: &given)
                // The head fills in order while each fragment's captured bytes reach its end.
                let perFragment = snaplen - 20
                let headerCaptured = perFragment == size || perFragment >= 20
                let context = "size \(size), snaplen \(snaplen)"
                if headerCaptured {
                    XCTAssertEqual(given.segments.count, 1, context)
                    XCTAssertEqual(given.segments.first?.segment.payloadLength, 300, context)
                    XCTAssertEqual(given.segments.first?.segment.destinationPort, 31337, context)
                } else {
                    XCTAssertEqual(given.segments.count, 0, context)
                    XCTAssertEqual(given.skipped, [.fragment: UInt64(packets.count)], context)
                }
            }
        }
    }

    /// A datagram whose last fragment never came still gives its segment when the input
    /// ends, with the payload that came; one whose TCP header never came is counted
    /// `fragment`, each of its fragments.
    func testADatagramGivenUpGivesWhatCame() {
        let packets = Self.fragments(Self.datagram(), size: 64)
        var table = FragmentTable(), given = Given()
        Self.feed(Array(packets.dropLast()), to: &table, into: &given)
        XCTAssertEqual(given.segments.count, 0)
        Self.flush(&table, into: &given)
        XCTAssertEqual(given.segments.first?.segment.payloadLength, UInt32(64 * (packets.count - 1) - 32))
        XCTAssertEqual(given.skipped, [.reassembled: UInt64(packets.count - 2)])

        var headless = FragmentTable(), lost = Given()
        Self.feed(Array(packets.dropFirst()), to: &headless, into: &lost)
        Self.flush(&headless, into: &lost)
        XCTAssertEqual(lost.segments.count, 0)
        XCTAssertEqual(lost.skipped, [.fragment: UInt64(packets.count - 1)])
    }

    /// A datagram waiting longer than `maximumAge` is given up at the next fragment.
    func testADatagramWaitingTooLongIsGivenUp() {
        let packets = Self.fragments(Self.datagram(), size: 8)
        var table = FragmentTable(), given = Given()
        Self.feed([packets[1]], to: &table, into: &given)
        let other = Self.fragments(Self.datagram(), size: 8, identification: 8)
        Self.feed([other[1]], to: &table, into: &given, start: FragmentTable.maximumAge + 1)
        XCTAssertEqual(given.skipped, [.fragment: 1])
    }

    /// RFC 1858's overlapping fragments: a second first fragment with other ports, or a
    /// fragment that rewrites bytes already there, poisons the datagram: no segment, every
    /// fragment counted `fragment`. The same bytes again (a copy captured on a second
    /// interface) are a `duplicate`, and the datagram still gives its segment.
    func testOverlapsArePoisonAndRepeatsAreDuplicates() {
        let packets = Self.fragments(Self.datagram(), size: 8)
        let forged = Self.fragments(Self.datagram(sourcePort: 22), size: 8)
        var table = FragmentTable(), given = Given()
        Self.feed([packets[0], forged[0]] + packets.dropFirst(), to: &table, into: &given)
        Self.flush(&table, into: &given)
        XCTAssertEqual(given.segments.count, 0)
        XCTAssertEqual(given.skipped, [.fragment: UInt64(packets.count + 1)])

        // Bytes 4..<20 again, one fragment over two: an overlap with another span's bytes.
        let wide = Build.ipv4(moreFragments: true, fragmentOffset: 1, identification: 7, Array(Self.datagram()[8..<24]))
        var overlapped = FragmentTable(), poisoned = Given()
        Self.feed([packets[0], packets[1], wide] + packets.dropFirst(2), to: &overlapped, into: &poisoned)
        XCTAssertEqual(poisoned.segments.count, 0)

        var copied = FragmentTable(), twice = Given()
        Self.feed(packets.flatMap { [$0, $0] }, to: &copied, into: &twice)
        XCTAssertEqual(twice.segments.count, 1)
        XCTAssertEqual(twice.skipped, [.reassembled: UInt64(packets.count - 1), .duplicate: UInt64(packets.count)])
    }

    /// Fragments far apart, more ranges than `maximumSpans`: given up, not kept.
    func testTooManySeparateRangesAreGivenUp() {
        let packets = Self.fragments(Self.datagram(), size: 8)
        var table = FragmentTable(), given = Given()
        let scattered = stride(from: 1, to: packets.count - 1, by: 2).map { packets[$0] }
        Self.feed(scattered, to: &table, into: &given)
        Self.flush(&table, into: &given)
        XCTAssertEqual(given.segments.count, 0)
        XCTAssertEqual(given.skipped, [.fragment: UInt64(scattered.count)])
    }

    /// A flood of first fragments never completed, each of its own datagram: the table
    /// keeps `capacity` of them at most, gives up the oldest to make room, and counts every
    /// one `fragment`, in time linear in the flood.
    func testAFloodOfDatagramsNeverCompletedStaysBounded() {
        var table = FragmentTable(), given = Given()
        let flood = 20_000
        let start = Date()
        for index in 0..<flood {
            let packet = Build.ipv4(moreFragments: true, identification: UInt16(truncatingIfNeeded: index),
                                    Array(Self.datagram()[0..<8]))
            Self.feed([packet], to: &table, into: &given, start: Int64(index))
        }
        XCTAssertEqual(given.skipped, [.fragment: UInt64(flood - FragmentTable.capacity)], "all but the last capacity given up")
        Self.flush(&table, into: &given)
        XCTAssertEqual(given.skipped, [.fragment: UInt64(flood)])
        XCTAssertEqual(given.segments.count, 0)
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
    }
}
