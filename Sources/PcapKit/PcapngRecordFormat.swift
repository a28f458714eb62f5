import CPcap
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `readPcapngRecords` needs to read a pcapng file's packet blocks itself: the byte
/// order, the snapshot, and how the first interface's times are written, taken from the
/// Interface Description Block libpcap 1.10's `pcap_ng_check_header` (sf-pcapng.c) stopped
/// after when it opened the file, and read the way its `add_interface` and
/// `process_idb_options` read it.
///
/// Only for a regular file, not decompressed and with no filter, whose interface's link
/// type libpcap does not rewrite (`PcapRecordFormat.readsInPlace`): reading in place
/// may have to give the rest of the file back to libpcap at any block
/// (`InPlaceReadEnd.handOver`), which needs a stream that can be repositioned.
@usableFromInline
struct PcapngRecordFormat {
    /// The section was written in the other byte order.
    @usableFromInline let swapped: Bool
    /// libpcap's snapshot length for the file (`pcap_snapshot`): an Enhanced Packet Block
    /// with more bytes is an error, a Simple Packet Block is cut to it.
    @usableFromInline let snapshot: UInt32
    /// The first interface's time units per second (`if_tsresol`: 10^-n or 2^-n seconds;
    /// a microsecond when the option is absent).
    @usableFromInline let unitsPerSecond: UInt64
    /// Seconds added to every time of the interface (`if_tsoffset`), wrapping as libpcap's
    /// unsigned 64-bit sum does.
    @usableFromInline let offsetSeconds: UInt64
    /// How a fraction of a second in the interface's units becomes nanoseconds (the
    /// precision the file is opened at): libpcap's `tstamp_scale_type_t`.
    @usableFromInline let scaling: Scaling

    @usableFromInline
    enum Scaling {
        /// The interface counts nanoseconds.
        case none
        /// 10^-n with n < 9: times 10^(9-n).
        case multiply(UInt64)
        /// 10^-n with n > 9: divided by 10^(n-9).
        case divide(UInt64)
        /// 2^-n: times 10^9, then divided by 2^n (in 64 bits, wrapping as libpcap's does).
        case binary
    }

    /// The most bytes `init` reads before the first packet block: libpcap reads any
    /// number of blocks before the first interface's, and a file with more than this is
    /// left to it.
    static let largestHeader = 1 << 20

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
        guard got == header.count else { return nil }
        let blocks = PcapngBlocks(bytes: header, swapped: swapped)
        guard let interface = blocks.lastBlock(), interface.type == PcapngBlockType.interfaceDescription,
              blocks.word(at: 0) == PcapngBlockType.sectionHeader,
              let times = InterfaceTimes(options: blocks, from: interface.offset + 16, to: interface.end - 4) else { return nil }
        self.swapped = swapped
        self.snapshot = UInt32(snapshot)
        self.unitsPerSecond = times.unitsPerSecond
        self.offsetSeconds = times.offsetSeconds
        if times.binary {
            scaling = .binary
        } else if times.unitsPerSecond == 1_000_000_000 {
            scaling = .none
        } else if times.unitsPerSecond < 1_000_000_000 {
            scaling = .multiply(1_000_000_000 / times.unitsPerSecond)
        } else {
            scaling = .divide(times.unitsPerSecond / 1_000_000_000)
        }
    }

    /// A packet's time in nanoseconds since 1970, from its 64-bit count of the interface's
    /// units, as libpcap's `pcap_ng_next_packet` converts it (seconds and fraction as
    /// `ts.tv_sec` and an `int` `ts.tv_usec`), then `PacketHeader.nanoseconds`.
    @inlinable
    func nanoseconds(units: UInt64) -> Int64 {
        // The usual resolutions divide by a constant, a multiplication instead of a division.
        let (quotient, remainder): (UInt64, UInt64)
        switch unitsPerSecond {
        case 1_000_000: (quotient, remainder) = units.quotientAndRemainder(dividingBy: 1_000_000)
        case 1_000_000_000: (quotient, remainder) = units.quotientAndRemainder(dividingBy: 1_000_000_000)
        default: (quotient, remainder) = units.quotientAndRemainder(dividingBy: unitsPerSecond)
        }
        var fraction = remainder
        switch scaling {
        case .none: break
        case .multiply(let factor): fraction &*= factor
        case .divide(let divisor): fraction /= divisor
        case .binary: fraction = (fraction &* 1_000_000_000) / unitsPerSecond
        }
        return PacketHeader.nanoseconds(seconds: Int64(bitPattern: quotient &+ offsetSeconds),
                                        fraction: Int64(Int32(truncatingIfNeeded: fraction)), fractionScale: 1)
    }
}

/// The bytes of a run of pcapng blocks, in a section's byte order.
struct PcapngBlocks {
    let bytes: [UInt8]
    let swapped: Bool

    func word(at offset: Int) -> UInt32? {
        guard offset >= 0, offset <= bytes.count - 4 else { return nil }
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
        return swapped ? value.byteSwapped : value
    }

    func halfWord(at offset: Int) -> UInt16? {
        guard offset >= 0, offset <= bytes.count - 2 else { return nil }
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt16.self) }
        return swapped ? value.byteSwapped : value
    }

    /// The last block, when the bytes are whole blocks, each of a sane length.
    func lastBlock() -> (type: UInt32, offset: Int, end: Int)? {
        var offset = 0
        var last: (type: UInt32, offset: Int, end: Int)?
        while offset < bytes.count {
            guard let type = word(at: offset), let length = word(at: offset + 4), length >= 12, length % 4 == 0,
                  Int(length) <= bytes.count - offset else { return nil }
            last = (type, offset, offset + Int(length))
            offset += Int(length)
        }
        return last
    }
}

/// An Interface Description Block's `if_tsresol` and `if_tsoffset`, read as libpcap 1.10's
/// `process_idb_options` reads them; nil where it would have failed.
struct InterfaceTimes {
    var unitsPerSecond: UInt64 = 1_000_000
    var binary = false
    var offsetSeconds: UInt64 = 0

    static let endOfOptions: UInt16 = 0
    static let resolution: UInt16 = 9
    static let offset: UInt16 = 14

    init?(options blocks: PcapngBlocks, from start: Int, to end: Int) {
        var position = start
        var sawResolution = false, sawOffset = false
        while position < end {
            guard end - position >= 4, let code = blocks.halfWord(at: position),
                  let length = blocks.halfWord(at: position + 2) else { return nil }
            let value = position + 4
            let padded = (Int(length) + 3) / 4 * 4
            guard end - value >= padded else { return nil }
            position = value + padded
            switch code {
            case Self.endOfOptions:
                guard length == 0 else { return nil }
                return
            case Self.resolution:
                guard length == 1, !sawResolution else { return nil }
                sawResolution = true
                let resolution = blocks.bytes[value]
                if resolution & 0x80 != 0 {
                    let shift = resolution & 0x7F
                    guard shift <= 63 else { return nil }
                    unitsPerSecond = 1 << UInt64(shift)
                    binary = true
                } else {
                    guard resolution <= 19 else { return nil }
                    unitsPerSecond = 1
                    for _ in 0..<resolution { unitsPerSecond &*= 10 }
                    binary = false
                }
            case Self.offset:
                guard length == 8, !sawOffset else { return nil }
                sawOffset = true
                let raw = blocks.bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: value, as: UInt64.self) }
                offsetSeconds = blocks.swapped ? raw.byteSwapped : raw
            default:
                break
            }
        }
    }
}
