import CPcap
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `readPcapngRecords` needs to read a pcapng file's packet blocks itself: the byte
/// order, the snapshot, and the clock of each interface the current section has described,
/// taken first from the Interface Description Block libpcap 1.10's `pcap_ng_check_header`
/// (sf-pcapng.c) stopped after when it opened the file, then from the blocks libpcap reads
/// whenever it is handed the file (`advanced(over:statistics:)`).
///
/// Only for a regular file, not decompressed, whose link type libpcap does not rewrite
/// (`PcapRecordFormat.readsInPlace`): reading in place gives the file to libpcap at any
/// block it should judge (`InPlaceReadEnd.handOver`), which needs a stream that can be
/// repositioned.
@usableFromInline
struct PcapngRecordFormat {
    /// The section was written in the other byte order (libpcap refuses a file whose
    /// sections disagree).
    @usableFromInline let swapped: Bool
    /// libpcap's snapshot length for the file (`pcap_snapshot`; libpcap refuses an
    /// interface with another): an Enhanced Packet Block with more bytes is an error, a
    /// Simple Packet Block is cut to it.
    @usableFromInline let snapshot: UInt32
    /// The clocks of the current section's interfaces, by interface number.
    @usableFromInline private(set) var clocks: [PcapngInterfaceClock]
    /// The number the current section's first interface is named by: the interfaces the
    /// sections before it described (0 in the first). A packet names its interface by its
    /// number in the section after these (`PacketHeader.interface`), so that in a
    /// concatenated file (`cat a.pcapng b.pcapng`) a later section's interfaces are told
    /// from the earlier ones', and one whose first section had one interface is seen to
    /// name several (`InterfaceCopies`).
    @usableFromInline private(set) var firstInterface: UInt32 = 0

    /// The most bytes `init` reads before the first packet block: libpcap reads any
    /// number of blocks before the first interface's, and a file with more than this is
    /// left to it.
    static let largestHeader = 1 << 20
    /// The most interfaces of a section read in place (128 KiB of clocks); past them,
    /// libpcap reads on.
    static let interfaceLimit = 4_096

    /// The format of the pcapng file libpcap opened as `handle`, whose bytes from
    /// `start` (the Section Header Block) to `end` (just after the first Interface
    /// Description Block, where libpcap stopped) are read again from `descriptor`; nil when
    /// libpcap must read its records.
    init?(handle: OpaquePointer, descriptor: Int32, start: Int64, end: Int64) {
        let linkType = pcap_datalink(handle)
        let swapped = pcap_is_swapped(handle) == 1
        let snapshot = pcap_snapshot(handle)
        guard snapshot > 0, PcapRecordFormat.readsInPlace(linkType: linkType, swapped: swapped),
              end > start, end - start <= Int64(Self.largestHeader) else { return nil }
        var header = [UInt8](repeating: 0, count: Int(end - start))
        let got = header.withUnsafeMutableBytes { POSIXFile.read(descriptor, into: $0, at: Int(start)) }
        guard got == header.count,
              let clock = header.withUnsafeBytes({ Self.firstInterfaceClock(header: $0, swapped: swapped) }) else {
            return nil
        }
        self.swapped = swapped
        self.snapshot = UInt32(snapshot)
        clocks = [clock]
    }

    /// The clock of the last block of `header` (a Section Header Block, then whole blocks of
    /// sane lengths, the last an Interface Description Block), as libpcap read them.
    static func firstInterfaceClock(header: UnsafeRawBufferPointer, swapped: Bool) -> PcapngInterfaceClock? {
        guard header.count >= 12, header.pcapngField(at: 0, as: UInt32.self, swapped: swapped) == PcapngBlockType.sectionHeader
        else { return nil }
        var block = 0, blockEnd = 0
        while blockEnd < header.count {
            guard let length = header.pcapngBlockLength(at: blockEnd, swapped: swapped) else { return nil }
            (block, blockEnd) = (blockEnd, blockEnd + length)
        }
        guard header.pcapngField(at: block, as: UInt32.self, swapped: swapped) == PcapngBlockType.interfaceDescription
        else { return nil }
        return PcapngInterfaceClock(interfaceBlock: UnsafeRawBufferPointer(rebasing: header[block..<blockEnd]), swapped: swapped)
    }

    /// How many interfaces the section describes before its first packet block: the first
    /// one and those whose blocks follow it from `offset` in the file open as `descriptor`
    /// (at most 64 KiB are looked at). A capture on several interfaces
    /// (`dumpcap -i a -i b`) describes them all there.
    func interfacesBeforeFirstPacket(descriptor: Int32, from offset: Int64) -> Int {
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        let got = bytes.withUnsafeMutableBytes { POSIXFile.read(descriptor, into: $0, at: Int(offset)) } ?? 0
        return bytes.withUnsafeBytes { all in
            let blocks = UnsafeRawBufferPointer(rebasing: all[..<got])
            var (count, start) = (1, 0)
            while let length = blocks.pcapngBlockLength(at: start, swapped: swapped) {
                switch blocks.pcapngField(at: start, as: UInt32.self, swapped: swapped) {
                case PcapngBlockType.interfaceDescription: count += 1
                case PcapngBlockType.enhancedPacket, PcapngBlockType.simplePacket, PcapngBlockType.obsoletePacket,
                     PcapngBlockType.sectionHeader: return count
                default: break
                }
                start += length
            }
            return count
        }
    }

    /// After libpcap read `blocks` (whole blocks, from the one the reading in place handed
    /// it to the packet block whose packet it returned, past any its filter refused), the format to read on in place with,
    /// and the interface that packet came from (numbered over the file, `firstInterface`);
    /// nil when libpcap is to read on instead (an
    /// interface past `interfaceLimit`, or blocks that do not read as libpcap read them).
    /// `statistics` notes the blocks.
    func advanced(over blocks: UnsafeRawBufferPointer, statistics: inout PcapngStatistics)
        -> (format: PcapngRecordFormat, interface: UInt32)? {
        var format = self
        var start = 0
        while start < blocks.count {
            guard let length = blocks.pcapngBlockLength(at: start, swapped: swapped) else { return nil }
            let block = UnsafeRawBufferPointer(rebasing: blocks[start..<(start + length)])
            statistics.note(block: block)
            start += length
            let interface: UInt32
            switch block.pcapngField(at: 0, as: UInt32.self, swapped: swapped) {
            case PcapngBlockType.sectionHeader:
                guard length >= 16, block.pcapngField(at: 8, as: UInt32.self, swapped: swapped) == 0x1A2B_3C4D else {
                    return nil
                }
                format.firstInterface &+= UInt32(format.clocks.count)
                format.clocks.removeAll(keepingCapacity: true)
                continue
            case PcapngBlockType.interfaceDescription:
                guard format.clocks.count < Self.interfaceLimit,
                      let clock = PcapngInterfaceClock(interfaceBlock: block, swapped: swapped) else { return nil }
                format.clocks.append(clock)
                continue
            case PcapngBlockType.enhancedPacket where length >= 12 + 4:
                interface = block.pcapngField(at: 8, as: UInt32.self, swapped: swapped)
            case PcapngBlockType.obsoletePacket where length >= 12 + 2:
                interface = UInt32(block.pcapngField(at: 8, as: UInt16.self, swapped: swapped))
            case PcapngBlockType.simplePacket:
                interface = 0
            default:
                continue
            }
            // The packet libpcap returned ends the blocks it read; those before it, its filter
            // refused.
            guard interface < format.clocks.count else { return nil }
            if start == blocks.count { return (format, format.firstInterface &+ interface) }
        }
        return nil
    }
}

extension UnsafeRawBufferPointer {
    /// The length of the pcapng block at `start` when it holds together as libpcap reads
    /// blocks: at least 12 bytes, a multiple of 4, all within these bytes, its trailer the same.
    func pcapngBlockLength(at start: Int, swapped: Bool) -> Int? {
        guard count - start >= 12 else { return nil }
        let length = Int(pcapngField(at: start + 4, as: UInt32.self, swapped: swapped))
        guard length >= 12, length % 4 == 0, length <= count - start,
              Int(pcapngField(at: start + length - 4, as: UInt32.self, swapped: swapped)) == length else { return nil }
        return length
    }
}
