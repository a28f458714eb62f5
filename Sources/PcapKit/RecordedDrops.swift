/// The packets a pcapng file says its recorder lost, from the last Interface Statistics
/// Block of its first interface: pcapng counts statistics from the start of the capture,
/// so the last block holds the totals. dumpcap (and so tshark and Wireshark) writes one
/// when it stops, with `isb_ifdrop` the packets its kernel buffer and itself dropped.
/// A pcap file has no such record.
public struct RecordedDrops: Equatable, Sendable {
    /// `isb_ifdrop`: "dropped by the interface due to lack of resources"; nil when absent.
    public var interface: UInt64?
    /// `isb_osdrop`: dropped by the operating system; nil when absent.
    public var system: UInt64?

    public init(interface: UInt64?, system: UInt64?) {
        self.interface = interface
        self.system = system
    }

    static let endOfOptions: UInt16 = 0
    static let interfaceDropOption: UInt16 = 5
    static let systemDropOption: UInt16 = 7

    /// The drops an Interface Statistics Block of interface 0 reports: `content` is the
    /// block between its header and its trailer (interface, time high and low, options), in
    /// the section's byte order. nil for another interface, or when a length in it does not
    /// hold together (the block is then not believed at all).
    @usableFromInline
    init?(statisticsBlock content: UnsafeRawBufferPointer, swapped: Bool) {
        func halfWord(_ offset: Int) -> UInt16 {
            let value = content.loadUnaligned(fromByteOffset: offset, as: UInt16.self)
            return swapped ? value.byteSwapped : value
        }
        func doubleWord(_ offset: Int) -> UInt64 {
            let value = content.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            return swapped ? value.byteSwapped : value
        }
        let fixedSize = 12
        guard content.count >= fixedSize, content.loadUnaligned(fromByteOffset: 0, as: UInt32.self) == 0 else { return nil }
        var position = fixedSize
        while content.count - position >= 4 {
            let code = halfWord(position), length = Int(halfWord(position + 2))
            let value = position + 4
            let padded = (length + 3) / 4 * 4
            guard content.count - value >= padded else { return nil }
            position = value + padded
            switch (code, length) {
            case (Self.endOfOptions, _): return
            case (Self.interfaceDropOption, 8): interface = doubleWord(value)
            case (Self.systemDropOption, 8): system = doubleWord(value)
            default: break
            }
        }
        guard position == content.count else { return nil }
    }
}
