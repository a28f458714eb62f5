/// The packets a pcapng file says its recorder lost, as its Interface Statistics Blocks
/// record them: pcapng counts statistics from the start of the capture, so each
/// interface's last block holds its totals (`PcapngStatistics` sums them over the
/// interfaces). dumpcap (and so tshark and Wireshark) writes one per interface when it
/// stops, with `isb_ifdrop` the packets its kernel buffer and itself dropped. A pcap file
/// has no such record.
public struct RecordedDrops: Equatable, Sendable {
    /// `isb_ifdrop`: "dropped by the interface due to lack of resources"; nil when absent.
    public var interface: UInt64?
    /// `isb_osdrop`: dropped by the operating system; nil when absent.
    public var system: UInt64?

    public init(interface: UInt64?, system: UInt64?) {
        self.interface = interface
        self.system = system
    }

    /// The most packets a count may credibly say were dropped: 2^48, 281 trillion, a
    /// 100 Gbit/s link's smallest frames for three weeks, every one lost. A block that
    /// claims more (2^63 + 5, or 2^64 - 1 where a recorder's counter saturated) holds
    /// garbage; and under it, the drops of thousands of inputs still sum within the 2^63
    /// that a result's counts are checked against when it is read back.
    public static let credibleLimit: UInt64 = 1 << 48

    /// Whether both counts are at most `credibleLimit`, so that they can be believed.
    public var isCredible: Bool {
        (interface ?? 0) <= Self.credibleLimit && (system ?? 0) <= Self.credibleLimit
    }

    /// Both counts summed, saturating (a sum past `credibleLimit` is not credible either); a
    /// count stays nil only when neither gives it.
    func adding(_ other: RecordedDrops) -> RecordedDrops {
        func sum(_ a: UInt64?, _ b: UInt64?) -> UInt64? {
            guard a != nil || b != nil else { return nil }
            let (total, overflow) = (a ?? 0).addingReportingOverflow(b ?? 0)
            return overflow ? UInt64.max : total
        }
        return RecordedDrops(interface: sum(interface, other.interface), system: sum(system, other.system))
    }

    static let interfaceDropOption: UInt16 = 5
    static let systemDropOption: UInt16 = 7

    /// The interface an Interface Statistics Block is about and the drops it reports:
    /// `content` is the block between its header and its trailer (interface, time high and
    /// low, options), in the section's byte order. nil when a length in it does not hold
    /// together (the block is then not believed at all).
    static func reported(statisticsBlock content: UnsafeRawBufferPointer, swapped: Bool) -> (interface: UInt32, drops: RecordedDrops)? {
        let fixedSize = 12
        guard content.count >= fixedSize else { return nil }
        var drops = RecordedDrops(interface: nil, system: nil)
        let whole = content.forEachPcapngOption(from: fixedSize, to: content.count, swapped: swapped) { code, length, value in
            switch (code, length) {
            case (interfaceDropOption, 8): drops.interface = content.pcapngField(at: value, as: UInt64.self, swapped: swapped)
            case (systemDropOption, 8): drops.system = content.pcapngField(at: value, as: UInt64.self, swapped: swapped)
            default: break
            }
            return true
        }
        guard whole else { return nil }
        return (content.pcapngField(at: 0, as: UInt32.self, swapped: swapped), drops)
    }
}
