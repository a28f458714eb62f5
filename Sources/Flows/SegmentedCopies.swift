import Wire

/// The large segments a capture on every interface received moments ago, by what their
/// pieces would repeat: what tells the pieces of a segment the host cut up on its way out
/// (GSO, for an interface without TCP segmentation offload) from segments of their own.
///
/// Why: a container or VM hands its host segments of up to 64 KiB (TSO), which the host
/// receives whole and, when the interface it forwards them to cannot cut them itself, cuts
/// into MTU-sized segments before they are captured there. `tcpdump -i any` then holds the
/// large segment and its pieces; they differ in sequence number, length and checksum, so
/// `InterfaceCopies` cannot tell them for copies, and the connection's packets, bytes and
/// payload would count twice (docs/design.md, "Segmented copies").
///
/// How: a segment the host *sent* whose payload lies within the payload of one it
/// *received* at most `InterfaceCopies.window` before, with the same addresses, ports and
/// acknowledgment number, is a piece of it. Only a segment of more than `largest` bytes of
/// payload is remembered. A retransmission is never taken for a piece: a host that sends
/// both did not receive the original, and one that receives both sent neither.
///
/// The host may receive the next large segment before it has sent all the pieces of the
/// last, and then sends the pieces of both in turn: a sender that is not acknowledged in
/// between sends them with the same acknowledgment number (real captures put up to 45
/// pieces of a segment of 64 KiB between those of the next; with one segment remembered per
/// hash, they were counted on top of their whole: 561 packets for 515). So a bucket
/// holds the newest `ways` large segments of its hashes, and a piece is looked for in each.
///
/// Limits: 1,024 buckets of 4 entries of 16 bytes (64 KiB, one cache line a bucket,
/// allocated only for captures on every interface), a bucket per hash of a direction's
/// addresses, ports and acknowledgment number, its newest four segments kept: pieces are
/// missed (and counted as before) when four other large segments whose hashes share the
/// bucket came between the whole and its piece. Pieces of a segment whose capture was cut
/// short are still found: the payload length comes from the IP header.
public struct SegmentedCopies: Sendable {
    static let bucketCount = 1 << 10
    static let ways = 4
    /// Payload bytes above which a received segment is remembered: more than an Ethernet
    /// MTU carries, so on most links only a segmentation offload made it, and the segments
    /// a host forwards are rarely this large.
    static let largest: UInt32 = 1500

    /// A large segment received: its mark, time in units, and its payload's sequence range.
    struct Received: Sendable {
        var mark: UInt32 = 0
        var units: UInt16 = 0
        var start: UInt32 = 0
        var length: UInt32 = 0
    }

    /// Whether this capture's packets are looked at: only a capture on every interface's.
    public let isActive: Bool
    private var received: [Received]

    /// A memory that is never consulted.
    public init() {
        isActive = false
        received = []
    }

    /// A memory for a capture of `decoder`'s link type: consulted only for a capture on
    /// every interface (the Linux cooked captures, which say whether a packet was sent).
    public init(for decoder: PacketDecoder) {
        isActive = decoder.capturesEveryInterface
        received = isActive ? [Received](repeating: Received(), count: Self.bucketCount * Self.ways) : []
    }

    /// Whether `segment`, captured at `time`, sent out of the host (`outgoing`) or received,
    /// is a piece of a larger segment received moments before. A large segment received is
    /// remembered.
    public mutating func isPiece(_ segment: TCPSegment, outgoing: @autoclosure () -> Bool, at time: Int64) -> Bool {
        guard segment.payloadLength != 0 else { return false }
        // Only a large segment received is remembered, and only a smaller one sent can be
        // a piece: the others are told apart before any hashing (half of a forwarding
        // host's segments are received ones of an MTU or less).
        let isLarge = segment.payloadLength > Self.largest
        guard isLarge != outgoing() else { return false }
        let hash = Self.signature(segment)
        let first = (Int(truncatingIfNeeded: hash) & (Self.bucketCount - 1)) &* Self.ways
        let mark = UInt32(truncatingIfNeeded: PacketMemoryClock.mark(hash))
        let units = UInt16(truncatingIfNeeded: PacketMemoryClock.units(time))
        if isLarge {
            // The same segment again (captured on the bridge it came through too): one entry.
            if received[first].mark == mark && received[first].start == segment.sequenceNumber
                && received[first].length == segment.payloadLength {
                received[first].units = units
                return false
            }
            // The newest first: the oldest of the bucket makes room.
            for slot in stride(from: first &+ Self.ways &- 1, to: first, by: -1) { received[slot] = received[slot &- 1] }
            received[first] = Received(mark: mark, units: units, start: segment.sequenceNumber, length: segment.payloadLength)
            return false
        }
        for slot in first..<(first &+ Self.ways) where received[slot].mark == mark {
            let whole = received[slot]
            guard PacketMemoryClock.isRecent(age: Int16(bitPattern: units &- whole.units), within: InterfaceCopies.window)
            else { continue }
            // Within the whole's range, in sequence space (which wraps).
            let offset = segment.sequenceNumber &- whole.start
            if offset < whole.length && segment.payloadLength <= whole.length &- offset { return true }
        }
        return false
    }

    /// The seeded hash of what a piece shares with the segment it was cut from.
    static func signature(_ segment: TCPSegment) -> UInt64 {
        let hash = SeededHash.process
        let outward = hash(segment.source, tag: UInt64(segment.sourcePort) << 16 | UInt64(segment.destinationPort))
        return hash(segment.destination, tag: outward ^ UInt64(segment.acknowledgmentNumber) << 32)
    }
}
