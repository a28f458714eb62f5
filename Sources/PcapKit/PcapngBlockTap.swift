import CPcap
#if canImport(Glibc)
import Glibc
#endif

/// The pcapng blocks of a stream libpcap reads that dasaudit cannot read in place (a pipe,
/// standard input, a decompressed stream), followed as the bytes pass on their way to
/// libpcap: the interface each packet block names, by where the block ends.
///
/// Why: libpcap never says which interface a pcapng packet came from, and that is what tells
/// a packet captured again on another interface from a retransmission (`InterfaceCopies`).
/// A file read in place knows it from its blocks (`readPcapngRecords`); through this tap, the
/// same capture piped or compressed does too, and audits the same.
///
/// The stream libpcap reads is a `fopencookie` stream whose reads come through `read(into:)`;
/// `ftello` on it gives where libpcap stands, the end of the packet block whose packet
/// `pcap_next_ex` just returned (`interface(ofPacketEndingAt:)`). The tap reads blocks as
/// libpcap does: from a Section Header Block's byte order, by each block's length; where a
/// length is one libpcap refuses, libpcap stops there too, and so does the tap. A stream that
/// is not a pcapng leaves it idle.
///
/// Limits: the packet blocks read ahead of libpcap are kept until libpcap passes them, at
/// most `packetsKept` (512 KiB); past
/// `PcapngRecordFormat.interfaceLimit` interfaces in a section, the tap stops, as reading in
/// place does.
final class PcapngBlockTap {
    private let descriptor: Int32
    /// Bytes handed to the stream so far.
    private var position: Int64 = 0
    /// How the bytes read so far are understood.
    private var state = State.firstBlock
    /// The current block's first 12 bytes, as they come (type, length, a first field).
    private var header: (UInt64, UInt32) = (0, 0)
    private var headerCount = 0
    /// Where the current block starts, and how many of its bytes are still to pass.
    private var blockStart: Int64 = 0
    private var remaining: Int64 = 0
    /// The section's byte order is the other one than this machine's.
    private var swapped = false
    /// Packet blocks read and not yet passed by libpcap: where each ends, its interface.
    private var packets: [(end: Int64, interface: UInt32)] = []
    private var passed = 0
    /// Bytes read ahead of the stream (`lookAhead`), handed out before any more are read.
    private var ahead: [UInt8] = []
    private var aheadServed = 0
    /// Interfaces the current section has described.
    private var interfaces = 0
    /// Interfaces described before the first packet block of the stream (`lookAhead`).
    private(set) var interfacesBeforeFirstPacket = 0
    private var sawPacket = false

    private enum State {
        /// Before the first block: a pcapng opens with a Section Header Block.
        case firstBlock
        /// Following the blocks.
        case blocks
        /// Not a pcapng, or a block libpcap refuses: nothing more is followed.
        case idle
    }

    static let sectionHeader: UInt32 = 0x0A0D_0D0A

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// A stream of `descriptor`'s bytes through a new tap, which closes the descriptor when
    /// the stream is closed; nil (the descriptor still the caller's) when none can be made.
    static func stream(reading descriptor: Int32) -> (stream: UnsafeMutablePointer<FILE>, tap: PcapngBlockTap)? {
        let tap = PcapngBlockTap(descriptor: descriptor)
        let cookie = Unmanaged.passRetained(tap).toOpaque()
        var functions = cpcap_cookie_functions()
        functions.read = { cookie, buffer, size in
            Unmanaged<PcapngBlockTap>.fromOpaque(cookie!).takeUnretainedValue()
                .read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size))
        }
        // Only where a pcapng stream stands (`ftello`): it cannot move, and any other stream
        // says it has no position, as a pipe does.
        functions.seek = { cookie, offset, whence in
            let tap = Unmanaged<PcapngBlockTap>.fromOpaque(cookie!).takeUnretainedValue()
            guard whence == SEEK_CUR, let offset, offset.pointee == 0, tap.isPcapng else {
                errno = ESPIPE
                return -1
            }
            offset.pointee = tap.streamPosition
            return 0
        }
        functions.close = { cookie in
            close(Unmanaged<PcapngBlockTap>.fromOpaque(cookie!).takeRetainedValue().descriptor)
        }
        guard let stream = cpcap_fopencookie(cookie, "rb", functions) else {
            Unmanaged<PcapngBlockTap>.fromOpaque(cookie).release()
            return nil
        }
        return (stream, tap)
    }

    /// Whether the stream is a pcapng (its first block a Section Header Block), whose blocks
    /// are followed up to any libpcap refuses.
    private(set) var isPcapng = false

    /// Fills `buffer` with the stream's next bytes, noting the blocks they hold: what was read
    /// ahead first, then the descriptor's. The count, 0 at the end, -1 on an error (errno).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        if aheadServed < ahead.count {
            let count = min(buffer.count, ahead.count - aheadServed)
            ahead.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[aheadServed..<(aheadServed + count)])) }
            aheadServed += count
            if aheadServed == ahead.count { (ahead, aheadServed) = ([], 0) }
            return count
        }
        let got = readDescriptor(into: buffer)
        if got > 0 { follow(UnsafeRawBufferPointer(rebasing: buffer[..<got])) }
        return got
    }

    /// Reads ahead of the stream, up to 64 KiB, until the first packet block's header has
    /// passed (or the stream ended): how many interfaces a capture describes before its
    /// packets is then known (`interfacesBeforeFirstPacket`).
    func lookAhead() {
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while state == .blocks, !sawPacket, ahead.count < 1 << 16 {
            let got = chunk.withUnsafeMutableBytes { readDescriptor(into: $0) }
            guard got > 0 else { return }
            ahead += chunk[..<got]
            chunk.withUnsafeBytes { follow(UnsafeRawBufferPointer(rebasing: $0[..<got])) }
        }
    }

    /// The interface of the packet block that ends `end` bytes into the stream, forgetting the
    /// packet blocks before it (libpcap's filter passed them by); nil when no followed block
    /// ends there.
    func interface(ofPacketEndingAt end: Int64) -> UInt32? {
        while passed < packets.count, packets[passed].end < end { passed += 1 }
        defer { forgetPassed() }
        guard passed < packets.count, packets[passed].end == end else { return nil }
        passed += 1
        return packets[passed - 1].interface
    }

    /// The most packet blocks kept: more than libpcap's stream buffer and the bytes read
    /// ahead (320 KiB) can hold, at 16 bytes or more each. Older ones libpcap has passed,
    /// its filter refusing them.
    static let packetsKept = 32_768

    /// Lets go of the packet blocks libpcap has passed, once they are many.
    private func forgetPassed() {
        if passed > 1_024, passed * 2 > packets.count {
            packets.removeFirst(passed)
            passed = 0
        }
    }

    /// The stream's position, for `ftello`: bytes handed to it so far.
    var streamPosition: Int64 { position - Int64(ahead.count - aheadServed) }

    private func readDescriptor(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        while true {
            let got = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if got >= 0 || errno != EINTR { return got }
        }
    }

    /// Notes the blocks `bytes`, the stream's next, hold.
    private func follow(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        while index < bytes.count, state != .idle {
            if remaining > 0 {
                let skipped = Int(min(remaining, Int64(bytes.count - index)))
                remaining -= Int64(skipped)
                index += skipped
                continue
            }
            // A block's first 12 bytes, then what they say.
            let taken = min(12 - headerCount, bytes.count - index)
            withUnsafeMutableBytes(of: &header) { field in
                field.baseAddress!.advanced(by: headerCount)
                    .copyMemory(from: bytes.baseAddress!.advanced(by: index), byteCount: taken)
            }
            headerCount += taken
            index += taken
            if headerCount == 12 { startBlock() }
        }
        position += Int64(bytes.count)
    }

    /// Reads the header of a block whose 12 first bytes have come, at `position` plus what
    /// of the current bytes has been looked at.
    private func startBlock() {
        headerCount = 0
        let type = UInt32(truncatingIfNeeded: header.0)
        if state == .firstBlock && type != Self.sectionHeader { return state = .idle }
        if type == Self.sectionHeader {
            switch header.1 {
            case 0x1A2B_3C4D: swapped = false
            case 0x4D3C_2B1A: swapped = true
            default: return state = .idle
            }
            interfaces = 0
        }
        func field(_ value: UInt32) -> UInt32 { swapped ? value.byteSwapped : value }
        let length = Int64(field(UInt32(truncatingIfNeeded: header.0 >> 32)))
        guard length >= 12, length % 4 == 0 else { return state = .idle }
        state = .blocks
        isPcapng = true
        let interface: UInt32
        switch field(type) {
        case 1:  // Interface Description
            // Past the interfaces a file read in place follows, none is named, as there.
            guard interfaces < PcapngRecordFormat.interfaceLimit else { return state = .idle }
            interfaces += 1
            if !sawPacket { interfacesBeforeFirstPacket += 1 }
            return skip(length)
        case 6: interface = field(header.1)  // Enhanced Packet
        case 3: interface = 0  // Simple Packet
        case 2: interface = UInt32(swapped ? UInt16(truncatingIfNeeded: header.1).byteSwapped
                                           : UInt16(truncatingIfNeeded: header.1))  // the obsolete Packet Block
        default: return skip(length)
        }
        sawPacket = true
        if packets.count - passed >= Self.packetsKept {
            passed += 1
            forgetPassed()
        }
        packets.append((blockStart + length, interface))
        skip(length)
    }

    /// Goes on past the block of `length` bytes whose first 12 have been read.
    private func skip(_ length: Int64) {
        remaining = length - 12
        blockStart += length
    }
}
