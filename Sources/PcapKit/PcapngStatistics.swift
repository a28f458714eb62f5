#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the Interface Statistics Blocks of a pcapng file record as dropped: the last block
/// of each interface of each section, as the file's blocks go by, and whether every block
/// of the file went by. The in-place reading (`readPcapngRecords`) notes the blocks it
/// skips; after a hand-over to libpcap, which never shows them, `walk` reads the rest of
/// the file's blocks for them.
@usableFromInline
struct PcapngStatistics {
    /// The section the blocks now come from, counted from 0, its byte order, and the
    /// interfaces it has described so far (libpcap has read the first one's block).
    private var section = 0
    private var swapped: Bool
    private var interfaces: UInt32 = 1
    /// Each interface's last report, by section and interface number.
    private var last: [Interface: RecordedDrops] = [:]
    /// Every block of the file, to its end, went by: only then are the drops known.
    @usableFromInline var complete = false

    private struct Interface: Hashable {
        var section: Int
        var number: UInt32
    }

    init(swapped: Bool) { self.swapped = swapped }

    /// The drops summed over every interface that reported any; nil when none did.
    var total: RecordedDrops? {
        last.values.reduce(nil as RecordedDrops?) { sum, drops in sum.map { $0.adding(drops) } ?? drops }
    }

    /// Notes an Interface Statistics Block of the current section (`content`: between its
    /// header and its trailer). A block whose options do not hold together, or about an
    /// interface the section has not described, is not believed.
    @usableFromInline
    mutating func note(statisticsBlock content: UnsafeRawBufferPointer) {
        guard let (number, drops) = RecordedDrops.reported(statisticsBlock: content, swapped: swapped),
              number < interfaces else { return }
        last[Interface(section: section, number: number)] = drops
    }

    /// Notes `block` (a whole block of the current section's byte order, or one that opens
    /// a new section), which libpcap read: a new section, interface or statistics.
    @usableFromInline
    mutating func note(block: UnsafeRawBufferPointer) {
        guard let (_, newSection) = self.block(block, at: 0) else { return }
        enter(newSection)
        noteContent(of: block)
    }

    /// Counts an interface, or notes the statistics, that the whole `block` of the current
    /// section describes.
    private mutating func noteContent(of block: UnsafeRawBufferPointer) {
        switch block.pcapngField(at: 0, as: UInt32.self, swapped: swapped) {
        case PcapngBlockType.interfaceDescription: interfaces &+= 1
        case PcapngBlockType.interfaceStatistics:
            note(statisticsBlock: UnsafeRawBufferPointer(rebasing: block[8..<(block.count - 4)]))
        default: break
        }
    }

    /// Reads the blocks of the file open as `descriptor` from `offset` (a block's first
    /// byte, in the current section) to its end, a megabyte at a time, noting their
    /// statistics and following new sections; `complete` when it ends exactly at the end
    /// of the file, every block's lengths whole.
    @usableFromInline
    mutating func walk(descriptor: Int32, from offset: Int64) {
        let capacity = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var position = offset
        while true {
            guard let got = POSIXFile.read(descriptor, into: buffer, at: Int(position)) else { return }
            if got == 0 {
                complete = true
                return
            }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[..<got])
            var start = 0
            while got - start >= 12 {
                guard let (length, newSection) = block(bytes, at: start) else { return }
                if length > got - start {
                    // Past what is left of the buffer: read again from the block, or, when
                    // it is larger than the buffer itself, step over it (an Interface
                    // Statistics Block is never that large).
                    if start == 0 {
                        enter(newSection)
                        start = length
                    }
                    break
                }
                enter(newSection)
                noteContent(of: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)]))
                start += length
            }
            if start == 0 { return }  // fewer than 12 bytes left: a block cut short
            position += Int64(start)
        }
    }

    /// The length of the block at `start`, when it holds together (at least 12 bytes, a
    /// multiple of 4, its trailer the same where it lies in `bytes`), and, for a Section
    /// Header Block, the byte order of the section it opens (its own length is in it).
    private func block(_ bytes: UnsafeRawBufferPointer, at start: Int) -> (length: Int, newSection: Bool?)? {
        var order = swapped
        var newSection: Bool?
        if bytes.loadUnaligned(fromByteOffset: start, as: UInt32.self) == PcapngBlockType.sectionHeader {
            let magic = bytes.loadUnaligned(fromByteOffset: start + 8, as: UInt32.self)
            guard magic == 0x1A2B_3C4D || magic == 0x4D3C_2B1A else { return nil }
            order = magic == 0x4D3C_2B1A
            newSection = order
        }
        func word(_ offset: Int) -> Int { Int(bytes.pcapngField(at: offset, as: UInt32.self, swapped: order)) }
        let length = word(start + 4)
        guard length >= 12, length % 4 == 0 else { return nil }
        if length <= bytes.count - start, word(start + length - 4) != length { return nil }
        return (length, newSection)
    }

    /// Goes on in a new section, in its byte order, when a Section Header Block opens one.
    private mutating func enter(_ newSection: Bool?) {
        guard let newSection else { return }
        swapped = newSection
        section += 1
        interfaces = 0
    }

}
