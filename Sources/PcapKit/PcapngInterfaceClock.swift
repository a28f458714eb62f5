/// How one pcapng interface writes its packets' times (`if_tsresol`, `if_tsoffset`), and how
/// they become nanoseconds, as libpcap 1.10 (sf-pcapng.c) reads them: its `add_interface`
/// and `process_idb_options` for the options, `pcap_ng_next_packet` for the conversion
/// (seconds and fraction as `ts.tv_sec` and an `int` `ts.tv_usec`, at nanosecond precision).
@usableFromInline
struct PcapngInterfaceClock {
    /// Time units per second (10^-n or 2^-n seconds; a microsecond when the option is absent).
    @usableFromInline let unitsPerSecond: UInt64
    /// Seconds added to every time (`if_tsoffset`), wrapping as libpcap's unsigned 64-bit
    /// sum does.
    @usableFromInline let offsetSeconds: UInt64
    /// How a fraction of a second in the interface's units becomes nanoseconds: libpcap's
    /// `tstamp_scale_type_t`.
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

    static let resolutionOption: UInt16 = 9
    static let offsetOption: UInt16 = 14

    /// The clock of the Interface Description Block `block` (the whole block, header and
    /// trailer included, its lengths already checked), in a section of byte order
    /// `swapped`; nil where libpcap would have refused the block's options.
    init?(interfaceBlock block: UnsafeRawBufferPointer, swapped: Bool) {
        // Type, length; link type, reserved, snapshot length; then the options, up to the trailer.
        guard block.count >= 20 else { return nil }
        var unitsPerSecond: UInt64 = 1_000_000, binary = false, offsetSeconds: UInt64 = 0
        var sawResolution = false, sawOffset = false
        let whole = block.forEachPcapngOption(from: 16, to: block.count - 4, swapped: swapped) { code, length, value in
            switch code {
            case Self.resolutionOption:
                guard length == 1, !sawResolution else { return false }
                sawResolution = true
                let resolution = block[value]
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
            case Self.offsetOption:
                guard length == 8, !sawOffset else { return false }
                sawOffset = true
                offsetSeconds = block.pcapngField(at: value, as: UInt64.self, swapped: swapped)
            default:
                break
            }
            return true
        }
        guard whole else { return nil }
        self.unitsPerSecond = unitsPerSecond
        self.offsetSeconds = offsetSeconds
        if binary {
            scaling = .binary
        } else if unitsPerSecond == 1_000_000_000 {
            scaling = .none
        } else if unitsPerSecond < 1_000_000_000 {
            scaling = .multiply(1_000_000_000 / unitsPerSecond)
        } else {
            scaling = .divide(unitsPerSecond / 1_000_000_000)
        }
    }

    /// A packet's time in nanoseconds since 1970, from its 64-bit count of the interface's
    /// units, as libpcap converts it, then `PacketHeader.nanoseconds`.
    @inlinable
    func nanoseconds(units: UInt64) -> Int64 {
        // The usual resolutions divide by a constant, as a multiplication by its reciprocal
        // (Granlund and Montgomery; exact for every 64-bit count, `PcapngInterfaceClockTests`)
        // instead of a 64-bit division, tens of cycles a packet. Written as `units /
        // 1_000_000`, the optimizer saw each case divide by the value it matched and folded
        // them all back into the division by `unitsPerSecond`.
        let quotient: UInt64
        switch unitsPerSecond {
        case 1_000_000: quotient = units.multipliedFullWidth(by: 0x431B_DE82_D7B6_34DB).high >> 18
        case 1_000_000_000: quotient = (units >> 9).multipliedFullWidth(by: 0x44_B82F_A09B_5A53).high >> 11
        default: quotient = units / unitsPerSecond
        }
        let remainder = units &- quotient &* unitsPerSecond
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
