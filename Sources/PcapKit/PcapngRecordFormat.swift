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
        guard got == header.count, let times = header.withUnsafeBytes({ InterfaceTimes(header: $0, swapped: swapped) }) else {
            return nil
        }
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

/// An Interface Description Block's `if_tsresol` and `if_tsoffset`, read as libpcap 1.10's
/// `process_idb_options` reads them; nil where it would have failed.
struct InterfaceTimes {
    var unitsPerSecond: UInt64 = 1_000_000
    var binary = false
    var offsetSeconds: UInt64 = 0

    static let resolution: UInt16 = 9
    static let offset: UInt16 = 14

    /// From a file's header as libpcap read it: a Section Header Block, then whole blocks of
    /// sane lengths, the last the first Interface Description Block.
    init?(header: UnsafeRawBufferPointer, swapped: Bool) {
        func word(_ offset: Int) -> UInt32 { header.pcapngField(at: offset, as: UInt32.self, swapped: swapped) }
        guard header.count >= 12, word(0) == PcapngBlockType.sectionHeader else { return nil }
        var block = 0, blockEnd = 0
        while blockEnd < header.count {
            guard header.count - blockEnd >= 12 else { return nil }
            let length = Int(word(blockEnd + 4))
            guard length >= 12, length % 4 == 0, length <= header.count - blockEnd else { return nil }
            (block, blockEnd) = (blockEnd, blockEnd + length)
        }
        // Link type, reserved, snapshot length; then the options, up to the trailer.
        guard word(block) == PcapngBlockType.interfaceDescription, blockEnd - block >= 20 else { return nil }
        var sawResolution = false, sawOffset = false
        let whole = header.forEachPcapngOption(from: block + 16, to: blockEnd - 4, swapped: swapped) { code, length, value in
            switch code {
            case Self.resolution:
                guard length == 1, !sawResolution else { return false }
                sawResolution = true
                let resolution = header[value]
                if resolution & 0x80 != 0 {
                    let shift = resolution & 0x7F
                    guard shift <= 63 else { return false }
                    unitsPerSecond = 1 << UInt64(shift)
                    binary = true
                } else {
                    guard resolution <= 19 else { return false }
                    unitsPerSecond = 1
                    for _ in 0..<resolution { unitsPerSecond &*= 10 }
                    binary = false
                }
            case Self.offset:
                guard length == 8, !sawOffset else { return false }
                sawOffset = true
                offsetSeconds = header.pcapngField(at: value, as: UInt64.self, swapped: swapped)
            default:
                break
            }
            return true
        }
        guard whole else { return nil }
    }
}
