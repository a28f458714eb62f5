import Wire

/// The packets a Linux cooked capture gave moments ago, by a hash of what names each one:
/// what tells a copy of a packet, captured again on another interface it crossed, from a
/// packet of its own.
///
/// Why: `tcpdump -i any` on a host that bridges or routes (Docker, Kubernetes, a
/// hypervisor) records a forwarded packet once on every interface it crosses: into a bridge
/// port, up the bridge, out of another port or interface. The connections and their states
/// come out right from any one copy, but each copy would add the packet and its bytes to
/// the service's traffic again: two or three times the truth (docs/design.md, "Copies of
/// one packet").
///
/// A segment is a copy when one with the same signature came at most `window` before it
/// (`namedWindow` where packets name their interface; or a unit after: copies reach the
/// capture from several CPUs, a little out of time order) on another interface. The signature hashes the addresses, ports, sequence and
/// acknowledgment numbers, control bits and `TCPSegment.copyIdentity` (the IPv4
/// identification or IPv6 flow label, the TCP checksum xor window), and a digest of the
/// TCP options (`optionsDigest(of:in:)`). Bridging and routing change none of these (routing changes the TTL, which is
/// left out). A retransmission repeats the numbers but takes a new IPv4 identification,
/// and with TCP timestamps a new timestamp (a duplicate ACK new SACK blocks); it also
/// comes on the interface the original came on, which SLL2 names
/// (`PacketDecoder.interfaceIndex`), and so does a pcapng of several interfaces
/// (`dumpcap -i a -i b`: its packet blocks' interface number, `PacketHeader.interface`).
/// SLL (v1) names none, and its packet type does not tell the interfaces apart (a packet
/// received on a bridge port is received again on the bridge), so there the signature and
/// the time decide alone: only a retransmission without an identification of its own (an
/// IPv6 flow label kept; some stacks send IPv4 identification 0 with DF set) whose TCP
/// timestamp did not change (sent within the millisecond) can be taken for a copy there.
///
/// Limits: 4,096 buckets of 4 entries of 8 bytes (128 KiB, allocated only where copies are
/// looked for), a bucket per signature hash, its newest four packets kept: a copy is missed
/// (and counted as before) only when four later packets whose signatures share its bucket
/// came between it and its original. dumpcap writes each interface's packets in batches, so
/// there a copy can come hundreds of packets after its original; with one entry per hash,
/// 2 of 9 reads of `captures/copies-dumpcap.pcapng` missed some. An entry names its
/// signature by 44 bits of a seeded hash (12 place the bucket, 32 are the mark), so two
/// different packets are taken for copies with a chance of 2^-42 each (four entries). The
/// time is kept in units of 2^20 ns (about a millisecond), 16 bits of it compared as signed
/// (times 34 s apart are told apart), the interface by its low 16 bits.
public struct InterfaceCopies: Sendable {
    static let bucketCount = 1 << 12
    static let ways = 4
    /// How long after a packet its copies may come where the interfaces are not named (SLL
    /// v1, `--deduplicate`): 64 units, 67 ms. Forwarding takes microseconds; the margin is
    /// for a queue on the way out. A retransmission on another interface that soon, with the
    /// same identification, is a copy by any measure.
    static let window: Int16 = 64
    /// How long after a packet its copies may come where each packet names its interface
    /// (SLL2, a pcapng of several interfaces): 1,024 units, 1.07 s. A packet is captured on
    /// its way out after the interface's queue, and a shaped or congested link's queue holds
    /// it for hundreds of milliseconds (tbf at 4 Mbit/s with a 400 ms queue: 150 of 347
    /// packets came more than 67 ms after their first copy, and counted twice,
    /// `captures/shaped-router-any-sll2.pcap`). A retransmission comes on the interface its
    /// original came on, which is no copy however soon, so the longer wait takes none for one.
    static let namedWindow: Int16 = 1024

    /// Per entry: the mark (the hash's upper 32 bits, never 0), the time in units, the
    /// interface; 0 while empty.
    private var entries: [UInt64]
    /// Whether this capture's packets are to be looked at here (`isCopy`): only a capture on
    /// every interface's are. A stored flag, so the reader's test of it costs one load.
    public let isActive: Bool

    /// A memory that is never consulted (`isActive` false).
    public init() {
        entries = []
        isActive = false
    }

    /// A memory for a capture of `decoder`'s link type: empty (and never consulted) unless
    /// it is a capture on every interface, or `everyLinkType`: a pcapng of several
    /// interfaces read in place, whose packets name their interface (`PacketHeader.interface`),
    /// or `--deduplicate` (a switch's mirror port that sends a frame twice, a pcapng of
    /// several interfaces read by libpcap, whose packets do not name their interface), or a
    /// file whose first segments held copies (`InputSample` in CaptureEngine).
    public init(for decoder: PacketDecoder, everyLinkType: Bool = false) {
        isActive = decoder.capturesEveryInterface || everyLinkType
        entries = isActive ? [UInt64](repeating: 0, count: Self.bucketCount * Self.ways) : []
    }

    /// Whether `segment`, decoded from `packet` and captured at `time` (nanoseconds) on the
    /// interface of index `interface` (nil: not known), is a copy of one that came moments
    /// before on another interface. A segment that is not is remembered. Without its packet
    /// (tests), its TCP options are not compared.
    public mutating func isCopy(_ segment: TCPSegment, in packet: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0),
                                interface: UInt32?, at time: Int64) -> Bool {
        let hash = Self.signature(segment, optionsDigest: Self.optionsDigest(of: segment, in: packet))
        let first = (Int(truncatingIfNeeded: hash) & (Self.bucketCount - 1)) &* Self.ways
        let mark = PacketMemoryClock.mark(hash)
        let units = UInt16(truncatingIfNeeded: PacketMemoryClock.units(time))
        let port = UInt16(truncatingIfNeeded: interface ?? 0)
        let stamped = mark << 32 | UInt64(units) << 16 | UInt64(port)
        for slot in first..<(first &+ Self.ways) where entries[slot] >> 32 == mark {
            let entry = entries[slot]
            if interface == nil || UInt16(truncatingIfNeeded: entry) != port {
                let age = Int16(bitPattern: units &- UInt16(truncatingIfNeeded: entry >> 16))
                if PacketMemoryClock.isRecent(age: age, within: interface == nil ? Self.window : Self.namedWindow) {
                    return true
                }
            }
            // The same packet again on its own interface (a retransmission), or long after.
            entries[slot] = stamped
            return false
        }
        // The newest first: the oldest of the bucket makes room.
        for slot in stride(from: first &+ Self.ways &- 1, to: first, by: -1) { entries[slot] = entries[slot &- 1] }
        entries[first] = stamped
        return false
    }

    /// Whether a capture's packets from `first` (nanoseconds) on can be copies of those it
    /// held up to `last`, as when one file of a rotated set follows another: `first` at
    /// most a unit before `last` (copies come a little out of time order) and at most
    /// `window` after it. Two captures made at the same time overlap by more, and packets
    /// further apart are no copies of each other (`RecordingPiece`).
    public static func mayHoldCopies(from first: Int64, of last: Int64) -> Bool {
        PacketMemoryClock.isRecent(age: PacketMemoryClock.units(first) &- PacketMemoryClock.units(last),
                                   within: Int64(window))
    }

    /// The bucket `segment`'s signature falls in (for tests).
    static func bucket(of segment: TCPSegment) -> Int {
        Int(truncatingIfNeeded: signature(segment, optionsDigest: 0)) & (bucketCount - 1)
    }

    /// The digest of `segment`'s TCP options as `packet` holds them (`TCPHeader.optionsDigest`),
    /// 0 for a SYN or without the packet. A retransmission's new timestamp and a duplicate
    /// ACK's SACK blocks are in it where nothing else tells them from copies (IPv6, whose
    /// flow label stays, with a checksum offloaded). A SYN's are left out: a router that
    /// clamps the MSS changes them between its interfaces, and a SYN is resent a second or
    /// more later. Read here, not by the decoder, so that only captures whose copies are
    /// looked for pay for it (some 17 instructions a packet with timestamps).
    static func optionsDigest(of segment: TCPSegment, in packet: UnsafeRawBufferPointer) -> UInt16 {
        guard !segment.flags.contains(.syn), let header = segment.header(in: packet) else { return 0 }
        return header.optionsDigest
    }

    /// The seeded hash of what a copy shares with its original. The payload length is in the
    /// TCP checksum (even a checksum left for the network card to finish holds the length).
    static func signature(_ segment: TCPSegment, optionsDigest: UInt16) -> UInt64 {
        let hash = SeededHash.process
        let outward = hash(segment.source, tag: UInt64(segment.sourcePort) << 32 | UInt64(segment.sequenceNumber))
        let back = hash(segment.destination,
                        tag: UInt64(segment.destinationPort) << 32 | UInt64(segment.acknowledgmentNumber))
        return hash(IPAddress(high: outward, low: back),
                    tag: UInt64(optionsDigest) << 40 | UInt64(segment.copyIdentity) << 8 | UInt64(segment.flags.rawValue))
    }
}
