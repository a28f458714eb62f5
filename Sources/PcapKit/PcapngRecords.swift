#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the blocks of a pcapng file from `file` into `window` a megabyte at a time (from
/// where libpcap left the file: after the first Interface Description Block at first, after
/// a packet it read since), and hands `body` the packet of each Enhanced or Simple Packet
/// Block in place, with the interface it came from (numbered over the file's sections,
/// `PcapngRecordFormat.firstInterface`), until `body` returns false, the file
/// ends, a block comes that libpcap must read, or the reading is stopped (`RecordWindow`).
///
/// Why: libpcap's `pcap_ng_next_packet` makes two `fread` calls per block and copies the
/// block out of stdio's buffer into its own, as for a pcap file (`readPcapRecords`); and it
/// never says which interface a packet came from, which is what tells a packet captured
/// again on another interface from a retransmission (`InterfaceCopies`).
///
/// What is read here is only what libpcap 1.10 (sf-pcapng.c) would hand over unchanged:
/// - an Enhanced Packet Block of an interface `format` knows whose lengths hold together
///   (the block's 12 to 1 MiB bytes, a multiple of 4, its trailer's length equal; the
///   packet within the block and no longer than the snapshot), its time converted with its
///   interface's clock;
/// - a Simple Packet Block, cut to the snapshot, at the first interface's time 0;
/// - any other block but those below, checked the same way and skipped, as libpcap skips it;
///   an Interface Statistics Block is noted in `statistics`.
///
/// Everything else is handed to libpcap (`.handOver`): a new section or interface (libpcap
/// keeps their state), the obsolete Packet Block, a packet of an interface not described,
/// any length libpcap would refuse, a block larger than the window, a block cut short by the
/// end of the file, a read error. libpcap then reads that block again and does what it does,
/// error messages included, so nothing here has to say what is wrong.
///
/// The walk is written out once for each byte order (`swapped` a constant in each): asking
/// the order at each of the seven fields a packet's block is read by cost 28 instructions a
/// packet (callgrind).
@inlinable @inline(__always)
func readPcapngRecords(from file: UnsafeMutablePointer<FILE>, format: PcapngRecordFormat, window: inout RecordWindow,
                       statistics: inout PcapngStatistics,
                       _ body: (PacketHeader, UnsafeRawBufferPointer) throws -> Bool) rethrows -> InPlaceReadEnd {
    format.swapped
        ? try readPcapngRecords(from: file, format: format, swapped: true, window: &window, statistics: &statistics, body)
        : try readPcapngRecords(from: file, format: format, swapped: false, window: &window, statistics: &statistics, body)
}

/// `readPcapngRecords` for a file of the byte order `swapped`, which must be `format.swapped`.
@inlinable @inline(__always)
func readPcapngRecords(from file: UnsafeMutablePointer<FILE>, format: PcapngRecordFormat, swapped: Bool,
                       window: inout RecordWindow, statistics: inout PcapngStatistics,
                       _ body: (PacketHeader, UnsafeRawBufferPointer) throws -> Bool) rethrows -> InPlaceReadEnd {
    let blockHeaderSize = 8, trailerSize = 4
    @inline(__always) func word(_ block: UnsafeMutableRawPointer, _ offset: Int) -> UInt32 {
        let value = block.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return swapped ? value.byteSwapped : value
    }
    while true {
        if window.count < blockHeaderSize { window.refill(from: file) }
        guard window.count >= blockHeaderSize else {
            if window.stopped { return .stopped }
            guard window.count == 0 && window.readError == nil else { return .handOver(at: window.unreadOffset) }
            statistics.complete = true
            return .endOfFile
        }
        let length = word(window.unread, 4)
        guard length >= 12, length % 4 == 0, length <= RecordWindow.capacity else { return .handOver(at: window.unreadOffset) }
        let blockSize = Int(length)
        if window.count < blockSize { window.refill(from: file) }
        guard window.count >= blockSize else { return window.stopped ? .stopped : .handOver(at: window.unreadOffset) }
        let block = window.unread
        guard word(block, blockSize &- trailerSize) == length else { return .handOver(at: window.unreadOffset) }
        let contentSize = blockSize &- blockHeaderSize &- trailerSize
        let header: PacketHeader
        let packet: UnsafeMutableRawPointer
        switch word(block, 0) {
        case PcapngBlockType.enhancedPacket:
            // Interface, time high and low, captured and original lengths.
            let fixedSize = 20
            let interface = word(block, 8)
            guard contentSize >= fixedSize, interface < format.clocks.count else { return .handOver(at: window.unreadOffset) }
            let capturedLength = word(block, 20)
            guard capturedLength <= format.snapshot, Int(capturedLength) <= contentSize &- fixedSize else {
                return .handOver(at: window.unreadOffset)
            }
            let units = UInt64(word(block, 12)) << 32 | UInt64(word(block, 16))
            header = PacketHeader(timestamp: format.clocks[Int(interface)].nanoseconds(units: units),
                                  capturedLength: capturedLength, wireLength: word(block, 24),
                                  interface: format.firstInterface &+ interface)
            packet = block + blockHeaderSize + fixedSize
        case PcapngBlockType.simplePacket:
            // The original length; the captured length is what the snapshot keeps of it.
            guard contentSize >= 4, let clock = format.clocks.first else { return .handOver(at: window.unreadOffset) }
            let wireLength = word(block, 8)
            let capturedLength = min(wireLength, format.snapshot)
            guard Int(capturedLength) <= contentSize &- 4 else { return .handOver(at: window.unreadOffset) }
            header = PacketHeader(timestamp: clock.nanoseconds(units: 0), capturedLength: capturedLength,
                                  wireLength: wireLength, interface: format.firstInterface)
            packet = block + blockHeaderSize + 4
        case PcapngBlockType.sectionHeader, PcapngBlockType.interfaceDescription, PcapngBlockType.obsoletePacket:
            return .handOver(at: window.unreadOffset)
        case PcapngBlockType.interfaceStatistics:
            statistics.note(statisticsBlock: UnsafeRawBufferPointer(start: block + blockHeaderSize, count: contentSize))
            window.consume(blockSize)
            continue
        default:
            window.consume(blockSize)
            continue
        }
        window.consume(blockSize)
        guard try body(header, UnsafeRawBufferPointer(start: packet, count: Int(header.capturedLength))) else {
            return .stopped
        }
    }
}

/// The pcapng block types `readPcapngRecords` tells apart.
@usableFromInline
enum PcapngBlockType {
    @usableFromInline static let sectionHeader: UInt32 = 0x0A0D_0D0A
    @usableFromInline static let interfaceDescription: UInt32 = 1
    @usableFromInline static let obsoletePacket: UInt32 = 2
    @usableFromInline static let simplePacket: UInt32 = 3
    @usableFromInline static let interfaceStatistics: UInt32 = 5
    @usableFromInline static let enhancedPacket: UInt32 = 6
}
