/// Joins the IP fragments of TCP datagrams into the segments they carry: a small table of
/// datagrams being put together, keyed by addresses and identification (the protocol is
/// always TCP here), each holding its first `headLength` bytes (the TCP header and the start
/// of the payload, which protocol recognition reads) and which byte ranges have come.
///
/// Why: a fragment alone may hold less than the TCP header (RFC 1858's tiny fragments,
/// `nmap -sS -f`, 8 bytes a fragment), and the payload of a fragmented datagram is spread
/// over all its fragments. Decoded one by one, such connections vanished and their payload
/// was undercounted. Joined, a datagram gives one segment, on its last fragment, with the
/// whole datagram's payload length, as tshark counts it per stream; the datagram's other
/// fragments are counted `reassembled`.
///
/// Bounded against hostile input: `capacity` datagrams at once, each with at most
/// `maximumSpans` separate ranges; a datagram that stays incomplete for `maximumAge`, or the
/// oldest when the table is full, is given up. Given up, a datagram whose TCP header came
/// still gives its segment (with the payload that came); one without is counted `fragment`,
/// as are datagrams whose fragments overlap with other bytes (RFC 1858's overlapping
/// fragments, which rewrite a header) or contradict each other's lengths. A fragment that
/// only repeats bytes already there (a copy captured on a second interface) is `duplicate`.
///
/// Memory is allocated once, at the first fragment; nothing is allocated per fragment.
public struct FragmentTable {
    /// Datagrams put together at once.
    public static let capacity = 64
    /// The bytes of a datagram kept: the longest TCP header (60) and the payload sample
    /// protocol recognition reads (96), rounded up to whole 64-bit words of `Slot.filled`.
    public static let headLength = 192
    /// Separate byte ranges a datagram may have before it is given up (fragments that come
    /// in order make one range; far more would be an attack).
    public static let maximumSpans = 8
    /// How long a datagram may wait for its fragments, in nanoseconds: Linux's
    /// `ipfrag_time`, 30 seconds.
    public static let maximumAge: Int64 = 30_000_000_000

    /// One datagram being put together.
    struct Slot {
        var source = IPAddress(high: 0, low: 0)
        var destination = IPAddress(high: 0, low: 0)
        var identification: UInt32 = 0
        var inUse = false
        /// The datagram gave its segment; kept until it ages out or its room is needed, so
        /// that its fragments seen again (a copy captured on a second interface) are told.
        var done = false
        /// Overlapping or contradicting fragments came: whatever else comes is counted
        /// `fragment` until the datagram ages out.
        var poisoned = false
        var firstSeen: Int64 = 0
        var lastSeen: Int64 = 0
        /// The fragments taken in, and their bytes on the wire.
        var fragments: UInt64 = 0
        var wireLength: UInt32 = 0
        /// The datagram's length, once its last fragment came; -1 before.
        var end: Int64 = -1
        var spanCount = 0
        /// Which of the first `headLength` bytes came, one bit a byte.
        var filled: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var copyIdentification: UInt16 = 0
        var vlan: UInt16?
        var tunnel = Tunnel.none

        init() {}

        /// The slot of the datagram `fragment`, the first of it seen, belongs to.
        init(_ fragment: IPFragment, at timestamp: Int64) {
            (source, destination, identification) = (fragment.source, fragment.destination, fragment.identification)
            (inUse, firstSeen, lastSeen) = (true, timestamp, timestamp)
            (copyIdentification, vlan, tunnel) = (fragment.copyIdentification, fragment.vlan, fragment.tunnel)
        }
    }

    private var slots: [Slot] = []
    /// `maximumSpans` (start, end) pairs a slot, sorted and merged.
    private var spans: [(start: UInt32, end: UInt32)] = []
    /// `headLength` bytes a slot.
    private var heads: [UInt8] = []

    public init() {}

    /// Whether any datagram is being put together.
    public var isEmpty: Bool { !slots.contains { $0.inUse && !$0.done } }

    /// Takes in one fragment, whose bytes are in `packet` (`IPFragment.capturedBytes`):
    /// `segment` is told each segment a datagram gives (this one's, once complete, or one
    /// given up to make room), with its captured payload (valid only during the call), time
    /// and wire length; `skip` each fragment counted under a reason, with how many.
    public mutating func add(
        _ fragment: IPFragment, packet: UnsafeRawBufferPointer, timestamp: Int64, wireLength: UInt32,
        segment: (TCPSegment, UnsafeRawBufferPointer, Int64, UInt32) -> Void, skip: (SkipReason, UInt64) -> Void
    ) {
        if slots.isEmpty {
            slots = Array(repeating: Slot(), count: Self.capacity)
            spans = Array(repeating: (0, 0), count: Self.capacity * Self.maximumSpans)
            heads = Array(repeating: 0, count: Self.capacity * Self.headLength)
        }
        var found: Int?, free: Int?, oldest = 0
        for index in slots.indices where slots[index].inUse {
            if timestamp &- slots[index].lastSeen > Self.maximumAge {
                giveUp(index, segment: segment, skip: skip)
            } else if slots[index].source == fragment.source && slots[index].destination == fragment.destination
                        && slots[index].identification == fragment.identification {
                found = index
            } else if isEvictedBefore(index, oldest) {
                oldest = index
            }
        }
        let index: Int
        if let found {
            index = found
        } else {
            free = slots.firstIndex { !$0.inUse }
            if free == nil { giveUp(oldest, segment: segment, skip: skip) }
            index = free ?? oldest
            slots[index] = Slot(fragment, at: timestamp)
        }
        slots[index].lastSeen = timestamp
        if slots[index].done {
            // The same bytes again are a copy; others a new datagram with the same number.
            if isComplete(index) && take(fragment, bytes: fragment.capturedBytes(in: packet), into: index) == .repeated {
                return skip(.duplicate, 1)
            }
            slots[index] = Slot(fragment, at: timestamp)
        }
        guard !slots[index].poisoned else { return skip(.fragment, 1) }
        switch take(fragment, bytes: fragment.capturedBytes(in: packet), into: index) {
        case .taken:
            slots[index].fragments &+= 1
            let (sum, overflow) = slots[index].wireLength.addingReportingOverflow(wireLength)
            slots[index].wireLength = overflow ? .max : sum
            if isComplete(index) { finish(index, segment: segment, skip: skip) }
        case .repeated:
            skip(.duplicate, 1)
        case .contradicts:
            slots[index].poisoned = true
            skip(.fragment, slots[index].fragments &+ 1)
            slots[index].fragments = 0
        }
    }

    /// Gives up every datagram still being put together (at the end of an input), as
    /// `add` gives up one that ages out.
    public mutating func flush(segment: (TCPSegment, UnsafeRawBufferPointer, Int64, UInt32) -> Void,
                               skip: (SkipReason, UInt64) -> Void) {
        for index in slots.indices where slots[index].inUse { giveUp(index, segment: segment, skip: skip) }
    }

    private enum Taken { case taken, repeated, contradicts }

    /// Whether the datagram in slot `a` makes room before the one in `b` (or `b` is free):
    /// a datagram done first, then the one seen first.
    private func isEvictedBefore(_ a: Int, _ b: Int) -> Bool {
        guard slots[b].inUse else { return true }
        if slots[a].done != slots[b].done { return slots[a].done }
        return slots[a].firstSeen < slots[b].firstSeen
    }

    /// Records the fragment's range and copies its bytes that fall in the head.
    private mutating func take(_ fragment: IPFragment, bytes: UnsafeRawBufferPointer, into index: Int) -> Taken {
        let start = fragment.offset
        let (end, overflow) = start.addingReportingOverflow(fragment.length)
        guard !overflow, end <= 65_535 + 8 else { return .contradicts }
        // A fragment with no bytes, or a datagram's last one that disagrees with what came.
        if fragment.length == 0 { return .contradicts }
        let known = slots[index].end
        if !fragment.moreFragments {
            if known >= 0 && known != Int64(end) { return .contradicts }
            if spanCount(index) > 0 && spans[index * Self.maximumSpans + spanCount(index) - 1].end > end {
                return .contradicts
            }
        } else if known >= 0 && Int64(end) > known {
            return .contradicts
        }
        // Bytes already there: a copy when they are the same (checked where the head keeps
        // them), an overlap trick otherwise.
        let base = index * Self.maximumSpans
        let count = spanCount(index)
        var overlaps = false, contained = false
        for i in 0..<count where spans[base + i].start < end && start < spans[base + i].end {
            overlaps = true
            contained = spans[base + i].start <= start && end <= spans[base + i].end
        }
        if overlaps {
            guard contained, sameHeadBytes(bytes, at: Int(start), slot: index) else { return .contradicts }
            return .repeated
        }
        guard insertSpan(start, end, slot: index) else { return .contradicts }
        if !fragment.moreFragments { slots[index].end = Int64(end) }
        copyHead(bytes, at: Int(start), slot: index)
        return .taken
    }

    private func spanCount(_ index: Int) -> Int { slots[index].spanCount }

    /// Inserts [start, end) among the slot's sorted, disjoint spans, merging neighbours;
    /// false when that would make more than `maximumSpans`.
    private mutating func insertSpan(_ start: UInt32, _ end: UInt32, slot index: Int) -> Bool {
        let base = index * Self.maximumSpans
        var count = slots[index].spanCount
        var position = 0
        while position < count && spans[base + position].end < start { position += 1 }
        // Merges with the span before (ending at start) and the one after (starting at end).
        if position < count && spans[base + position].end == start {
            spans[base + position].end = end
            if position + 1 < count && spans[base + position + 1].start == end {
                spans[base + position].end = spans[base + position + 1].end
                for i in (position + 1)..<(count - 1) { spans[base + i] = spans[base + i + 1] }
                count -= 1
            }
        } else if position < count && spans[base + position].start == end {
            spans[base + position].start = start
        } else {
            guard count < Self.maximumSpans else { return false }
            var i = count
            while i > position { spans[base + i] = spans[base + i - 1]; i -= 1 }
            spans[base + position] = (start, end)
            count += 1
        }
        slots[index].spanCount = count
        return true
    }

    private mutating func copyHead(_ bytes: UnsafeRawBufferPointer, at start: Int, slot index: Int) {
        guard start < Self.headLength else { return }
        let stop = Swift.min(Self.headLength, start + bytes.count)
        guard stop > start else { return }
        let base = index * Self.headLength
        for position in start..<stop {
            heads[base + position] = bytes[position - start]
            setFilled(position, slot: index)
        }
    }

    private func sameHeadBytes(_ bytes: UnsafeRawBufferPointer, at start: Int, slot index: Int) -> Bool {
        guard start < Self.headLength else { return true }
        let base = index * Self.headLength
        for position in start..<Swift.min(Self.headLength, start + bytes.count)
            where isFilled(position, slot: index) && heads[base + position] != bytes[position - start] {
            return false
        }
        return true
    }

    private mutating func setFilled(_ position: Int, slot index: Int) {
        let bit = UInt64(1) << UInt64(position & 63)
        switch position >> 6 {
        case 0: slots[index].filled.0 |= bit
        case 1: slots[index].filled.1 |= bit
        default: slots[index].filled.2 |= bit
        }
    }

    private func isFilled(_ position: Int, slot index: Int) -> Bool {
        let filled = slots[index].filled
        let word = position >> 6 == 0 ? filled.0 : position >> 6 == 1 ? filled.1 : filled.2
        return word & (UInt64(1) << UInt64(position & 63)) != 0
    }

    /// How many of the head's bytes came without a gap from the first.
    private func filledPrefix(_ index: Int) -> Int {
        let filled = slots[index].filled
        if filled.0 != .max { return (~filled.0).trailingZeroBitCount }
        if filled.1 != .max { return 64 + (~filled.1).trailingZeroBitCount }
        return 128 + (~filled.2).trailingZeroBitCount
    }

    private func isComplete(_ index: Int) -> Bool {
        let end = slots[index].end
        let base = index * Self.maximumSpans
        return end >= 0 && slots[index].spanCount == 1 && spans[base].start == 0 && Int64(spans[base].end) == end
    }

    /// The datagram aged out or makes room: its segment if its TCP header came (with the
    /// payload that came), its fragments counted `fragment` otherwise.
    private mutating func giveUp(_ index: Int, segment: (TCPSegment, UnsafeRawBufferPointer, Int64, UInt32) -> Void,
                                 skip: (SkipReason, UInt64) -> Void) {
        if slots[index].done || slots[index].poisoned || filledPrefix(index) < TCPHeader.minimumHeaderLength {
            if !slots[index].done && slots[index].fragments > 0 { skip(.fragment, slots[index].fragments) }
            slots[index].inUse = false
            return
        }
        finish(index, segment: segment, skip: skip)
    }

    /// Gives the datagram's segment, decoded from the head, and frees the slot.
    private mutating func finish(_ index: Int, segment: (TCPSegment, UnsafeRawBufferPointer, Int64, UInt32) -> Void,
                                 skip: (SkipReason, UInt64) -> Void) {
        let slot = slots[index]
        slots[index].done = true
        let prefix = filledPrefix(index)
        // The datagram's bytes that came: all of them when complete.
        var length = 0
        for i in 0..<slot.spanCount {
            length += Int(spans[index * Self.maximumSpans + i].end - spans[index * Self.maximumSpans + i].start)
        }
        heads.withUnsafeBytes { all in
            let head = UnsafeRawBufferPointer(rebasing: all[(index * Self.headLength)..<(index * Self.headLength + prefix)])
            guard let tcp = TCPHeader(head), tcp.dataOffset >= 5, tcp.headerLength <= length else {
                return skip(.fragment, slot.fragments)
            }
            let payloadLength = length - tcp.headerLength
            let captured = UnsafeRawBufferPointer(rebasing: head[Swift.min(tcp.headerLength, prefix)...])
            segment(TCPSegment(
                source: slot.source, destination: slot.destination,
                sourcePort: tcp.sourcePort, destinationPort: tcp.destinationPort, flags: tcp.flags,
                sequenceNumber: tcp.sequenceNumber, acknowledgmentNumber: tcp.acknowledgmentNumber,
                payloadLength: UInt32(payloadLength), vlan: slot.vlan,
                capturedTail: UInt32(captured.count),
                copyIdentity: UInt32(slot.copyIdentification) << 16 | UInt32(tcp.checksum ^ tcp.window),
                tunnel: slot.tunnel
            ), UnsafeRawBufferPointer(rebasing: captured.prefix(payloadLength)), slot.lastSeen, slot.wireLength)
            if slot.fragments > 1 { skip(.reassembled, slot.fragments - 1) }
        }
    }
}
