import CPcap

/// What `PcapRecords` needs to know to read a classic pcap file's records itself, and the
/// test of whether it may: only where libpcap 1.10's `pcap_next_packet` (sf-pcap.c) does
/// nothing to a record but check its lengths, scale its time and hand it over.
///
/// That is a pcap file of format 2.4 (older versions swap or may swap the two lengths),
/// with the microsecond or nanosecond magic (not the modified format, whose records have
/// 24-byte headers), not compressed (its first bytes, which say all this, are known only
/// then), with no filter. From a pipe or standard input, `fread` waits for a whole
/// megabyte or the end, so a slow writer's packets are taken a megabyte at a time; an
/// audit, whose result comes at the end, does not mind.
///
/// The link types left to libpcap are named in libpcap's terms, not dasaudit's (which
/// link types Wire decodes is Wire's business): those whose largest record is not 262,144
/// bytes, and those whose records libpcap rewrites (`pcap_post_process`).
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

    /// libpcap's `MAXIMUM_SNAPLEN`, its largest record for every link type read in place; a
    /// longer one is an error.
    @usableFromInline static let largestRecord: UInt32 = 262_144
    /// The size of a record's header: seconds, fraction, captured length, wire length.
    @usableFromInline static let recordHeaderSize = 16

    /// Link types (DLT values, as `pcap_datalink` gives them) libpcap 1.10 treats apart in
    /// every file: a largest record other than 262,144 bytes (`max_snaplen_for_dlt`: DBUS
    /// 231, USBPCAP 249, EBHSCR 279), or lengths it corrects (`fixup_pcap_pkthdr`:
    /// USB_LINUX_MMAPPED 220).
    static let alwaysLibpcaps: Set<Int32> = [220, 231, 249, 279]
    /// Link types whose pseudo-headers libpcap byte-swaps in a file of the other byte order
    /// (`swap_pseudo_headers`): LINUX_SLL 113, PFLOG 117, USB_LINUX 189, USB_LINUX_MMAPPED
    /// 220, NFLOG 239, LINUX_SLL2 276.
    static let libpcapsWhenSwapped: Set<Int32> = [113, 117, 189, 220, 239, 276]

    /// Whether libpcap hands over this link type's records as they are in the file (pcap
    /// or pcapng): neither a largest record of its own nor lengths or pseudo-headers it
    /// rewrites (`pcap_post_process`).
    static func readsInPlace(linkType: Int32, swapped: Bool) -> Bool {
        !alwaysLibpcaps.contains(linkType) && !(swapped && libpcapsWhenSwapped.contains(linkType))
    }

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
              Self.readsInPlace(linkType: linkType, swapped: swapped) else { return nil }
        self.swapped = swapped
        self.fractionScale = fractionScale
        self.snapshot = UInt32(snapshot)
    }
}
