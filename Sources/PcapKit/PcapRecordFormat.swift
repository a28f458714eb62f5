import CPcap

/// What `PcapRecords` needs to know to read a classic pcap file's records itself, and the
/// test of whether it may: only where libpcap 1.10's `pcap_next_packet` (sf-pcap.c) does
/// nothing to a record but check its lengths, scale its time and hand it over.
///
/// That is a pcap file of format 2.4 (older versions swap or may swap the two lengths),
/// with the microsecond or nanosecond magic (not the modified format, whose records have
/// 24-byte headers), not compressed (its first bytes, which say all this, are known only
/// then), with no filter, of a link type dasaudit decodes. From a pipe or standard input,
/// `fread` waits for a whole megabyte or the end, so a slow writer's packets are taken a
/// megabyte at a time; an audit, whose result comes at the end, does not mind. Those link
/// types have libpcap's usual largest record, 262,144 bytes; libpcap rewrites nothing in
/// their packets except, in a file of the other byte order, the CAN frames of Linux SLL and
/// SLL2, which are left to libpcap.
@usableFromInline
struct PcapRecordFormat {
    /// The file was written in the other byte order.
    @usableFromInline let swapped: Bool
    /// Nanoseconds in one unit of a record's fraction field: 1000 for the microsecond
    /// magic, 1 for the nanosecond one (the file is opened at nanosecond precision).
    @usableFromInline let fractionScale: Int64
    /// libpcap's snapshot length for the file (`pcap_snapshot`): longer records are cut
    /// to it.
    @usableFromInline let snapshot: UInt32

    /// libpcap's `MAXIMUM_SNAPLEN`, its largest record for these link types; a longer
    /// one is an error.
    @usableFromInline static let largestRecord: UInt32 = 262_144
    /// The size of a record's header: seconds, fraction, captured length, wire length.
    @usableFromInline static let recordHeaderSize = 16

    /// The link types (libpcap's DLT values, as `pcap_datalink` gives them) dasaudit
    /// decodes: NULL, EN10MB, RAW (12 and OpenBSD's 14), LOOP, LINUX_SLL, IPV4, IPV6,
    /// LINUX_SLL2.
    static let decodedLinkTypes: Set<Int32> = [0, 1, 12, 14, 108, 113, 228, 229, 276]
    /// LINUX_SLL and LINUX_SLL2, whose CAN frames libpcap byte-swaps in a swapped file.
    static let rewrittenWhenSwapped: Set<Int32> = [113, 276]

    /// The format of the file libpcap opened as `handle`, whose first bytes are
    /// `magic`, or nil when libpcap must read its records.
    init?(magic: [UInt8], handle: OpaquePointer) {
        guard magic.count >= 4 else { return nil }
        let fractionScale: Int64
        switch (magic[0], magic[1], magic[2], magic[3]) {
        case (0xD4, 0xC3, 0xB2, 0xA1), (0xA1, 0xB2, 0xC3, 0xD4): fractionScale = 1000
        case (0x4D, 0x3C, 0xB2, 0xA1), (0xA1, 0xB2, 0x3C, 0x4D): fractionScale = 1
        default: return nil
        }
        let linkType = pcap_datalink(handle)
        let swapped = pcap_is_swapped(handle) == 1
        let snapshot = pcap_snapshot(handle)
        guard pcap_major_version(handle) == 2, pcap_minor_version(handle) == 4, snapshot > 0,
              Self.decodedLinkTypes.contains(linkType),
              !(swapped && Self.rewrittenWhenSwapped.contains(linkType)) else { return nil }
        self.swapped = swapped
        self.fractionScale = fractionScale
        self.snapshot = UInt32(snapshot)
    }
}
