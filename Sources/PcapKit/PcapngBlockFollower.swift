/// The blocks of a pcapng byte stream, followed as its bytes come in chunks of any size: the
/// interface each packet block names, by where the block ends. What `PcapngBlockTap` knows of
/// the stream libpcap reads.
///
/// It reads blocks as libpcap does: from a Section Header Block's byte order, by each
/// block's length. Where a length is one libpcap refuses, libpcap stops there too, and so
/// does the follower. A stream that does not open with a Section Header Block is not a
/// pcapng, and is not followed.
///
/// A value type, so that following a chunk touches no shared state: each packet block costs
/// a few instructions, in the reading of every packet of a piped or compressed pcapng.
///
/// It also notes what the Interface Statistics Blocks record as dropped (`statistics`), as
/// reading a file in place does: a piped `dumpcap -w -` says what it lost.
///
/// Limits: the packet blocks not yet passed are kept, at most `packetsKept` (512 KiB); past
/// `PcapngRecordFormat.interfaceLimit` interfaces in a section it names no more packets, as
/// reading in place does; an Interface Statistics Block is gathered whole, up to 1 MiB (a larger
/// one is not noted, as in place).
package struct PcapngBlockFollower {
    /// Bytes followed so far.
    package private(set) var position: Int64 = 0
    /// Whether the stream is a pcapng (its first block a Section Header Block), whose blocks
    /// are followed up to any libpcap refuses.
    package private(set) var isPcapng = false
    /// Interfaces described before the first packet block.
    package private(set) var interfacesBeforeFirstPacket = 0
    package private(set) var sawPacket = false

    package init() {}

    /// What the Interface Statistics Blocks followed record; `complete` once the stream ended
    /// between two blocks while they were followed (`finish`).
    private(set) var statistics: PcapngStatistics?
    /// The Interface Statistics Block coming in, while it does.
    private var statisticsBlock: [UInt8] = []
    private var gathering = false

    private var state = State.firstBlock
    /// The current block's first 12 bytes, as they come (type, length, a first field).
    private var header: (UInt64, UInt32) = (0, 0)
    private var headerCount = 0
    /// Where the current block starts, and how many of its bytes are still to come.
    private var blockStart: Int64 = 0
    private var remaining: Int64 = 0
    /// The section's byte order is the other one than this machine's.
    private var swapped = false
    /// Interfaces the current section has described.
    private var interfaces = 0
    /// The number of the current section's first interface: packets name their interface
    /// over the whole stream, as reading a file in place does (`PcapngRecordFormat.firstInterface`).
    private var firstInterface: UInt32 = 0
    /// Packet blocks followed and not yet passed, oldest first: where each ends, its
    /// interface. A ring of `packetsKept`, allocated with the first packet block.
    private var packets: [PacketBlock] = []
    private var passed = 0
    private var followed = 0
    /// Packets are named by their interface: false past `PcapngRecordFormat.interfaceLimit`.
    private var naming = true

    private struct PacketBlock {
        var end: Int64
        var interface: UInt32?
    }

    private enum State {
        /// Before the first block: a pcapng opens with a Section Header Block.
        case firstBlock
        /// Following the blocks.
        case blocks
        /// Not a pcapng, or a block libpcap refuses: nothing more is followed.
        case stopped
    }

    /// The most packet blocks kept: more than libpcap's stream buffer and the bytes read
    /// ahead of it (320 KiB) can hold, at 16 bytes or more each. Older ones libpcap has
    /// passed, its filter refusing them. A power of two.
    package static let packetsKept = 32_768

    /// Whether more blocks can be followed.
    package var isFollowing: Bool { state != .stopped }

    /// Notes the blocks that `bytes`, the stream's next, hold.
    package mutating func follow(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        while index < bytes.count, state != .stopped {
            if remaining > 0 {
                let skipped = Int(min(remaining, Int64(bytes.count - index)))
                if gathering { statisticsBlock += UnsafeRawBufferPointer(rebasing: bytes[index..<(index + skipped)]) }
                remaining -= Int64(skipped)
                index += skipped
                if remaining == 0 && gathering { noteStatistics() }
                continue
            }
            // A block's first 12 bytes, then what they say: read where they lie, unless a
            // chunk's end cuts them.
            let taken = min(12 - headerCount, bytes.count - index)
            if taken == 12 {
                header = (bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self),
                          bytes.loadUnaligned(fromByteOffset: index + 8, as: UInt32.self))
            } else {
                withUnsafeMutableBytes(of: &header) { field in
                    field.baseAddress!.advanced(by: headerCount)
                        .copyMemory(from: bytes.baseAddress!.advanced(by: index), byteCount: taken)
                }
            }
            headerCount += taken
            index += taken
            if headerCount == 12 { startBlock() }
        }
        position += Int64(bytes.count)
    }

    /// The stream ended: the statistics are complete when it ended between two blocks that
    /// were all followed.
    package mutating func finish() {
        if state == .blocks && remaining == 0 && headerCount == 0 { statistics?.complete = true }
    }

    /// The interface of the next packet block not yet passed: that of the packet libpcap
    /// just returned, when it has no filter (each packet block gives a packet, in order).
    package mutating func interfaceOfNextPacket() -> UInt32? {
        guard passed < followed else { return nil }
        passed += 1
        return packets[(passed - 1) & (Self.packetsKept - 1)].interface
    }

    /// The interface of the packet block that ends `end` bytes into the stream, passing
    /// the packet blocks before it (libpcap's filter refused them); nil when no followed
    /// block ends there.
    package mutating func interface(ofPacketEndingAt end: Int64) -> UInt32? {
        let mask = Self.packetsKept - 1
        while passed < followed, packets[passed & mask].end < end { passed += 1 }
        guard passed < followed, packets[passed & mask].end == end else { return nil }
        passed += 1
        return packets[(passed - 1) & mask].interface
    }

    /// Reads the header of a block whose first 12 bytes have come.
    private mutating func startBlock() {
        headerCount = 0
        let type = UInt32(truncatingIfNeeded: header.0)
        if state == .firstBlock && type != PcapngBlockType.sectionHeader { return state = .stopped }
        if type == PcapngBlockType.sectionHeader {
            switch header.1 {
            case 0x1A2B_3C4D: swapped = false
            case 0x4D3C_2B1A: swapped = true
            default: return state = .stopped
            }
            firstInterface &+= UInt32(truncatingIfNeeded: interfaces)
            interfaces = 0
            if statistics == nil { statistics = PcapngStatistics(swapped: swapped) }
        }
        let swapped = self.swapped
        func field(_ value: UInt32) -> UInt32 { swapped ? value.byteSwapped : value }
        let length = Int64(field(UInt32(truncatingIfNeeded: header.0 >> 32)))
        guard length >= 12, length % 4 == 0 else { return state = .stopped }
        state = .blocks
        isPcapng = true
        let interface: UInt32
        switch field(type) {
        case PcapngBlockType.sectionHeader:
            withUnsafeBytes(of: header) { statistics?.note(block: UnsafeRawBufferPointer(rebasing: $0[..<12])) }
            return skip(length)
        case PcapngBlockType.interfaceDescription:
            // Past the interfaces a file read in place follows, no packet is named any more, as
            // there; the blocks are still followed, for their statistics.
            if interfaces == PcapngRecordFormat.interfaceLimit { naming = false }
            interfaces += 1
            if !sawPacket { interfacesBeforeFirstPacket += 1 }
            withUnsafeBytes(of: header) { statistics?.note(block: UnsafeRawBufferPointer(rebasing: $0[..<12])) }
            return skip(length)
        case PcapngBlockType.interfaceStatistics where length <= Int64(RecordWindow.capacity):
            gathering = true
            withUnsafeBytes(of: header) { statisticsBlock = Array($0[..<12]) }
            statisticsBlock.reserveCapacity(Int(length))
            skip(length)
            if remaining == 0 { noteStatistics() }
            return
        case PcapngBlockType.enhancedPacket: interface = field(header.1)
        case PcapngBlockType.simplePacket: interface = 0
        case PcapngBlockType.obsoletePacket:  // a 16-bit interface
            let raw = UInt16(truncatingIfNeeded: header.1)
            interface = UInt32(swapped ? raw.byteSwapped : raw)
        default: return skip(length)
        }
        if !sawPacket {
            sawPacket = true
            packets = Array(repeating: PacketBlock(end: 0, interface: 0), count: Self.packetsKept)
        }
        if followed - passed == Self.packetsKept { passed += 1 }
        packets[followed & (Self.packetsKept - 1)] = PacketBlock(end: blockStart + length, interface: naming ? firstInterface &+ interface : nil)
        followed += 1
        skip(length)
    }

    /// Notes the Interface Statistics Block gathered whole.
    private mutating func noteStatistics() {
        statisticsBlock.withUnsafeBytes { statistics?.note(block: $0) }
        (statisticsBlock, gathering) = ([], false)
    }

    /// Goes on past the block of `length` bytes whose first 12 have come.
    private mutating func skip(_ length: Int64) {
        remaining = length - 12
        blockStart += length
    }
}
