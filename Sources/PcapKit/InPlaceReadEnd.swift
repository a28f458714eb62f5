/// How `readPcapRecords` or `readPcapngRecords` ended.
@usableFromInline
enum InPlaceReadEnd {
    /// The file ended between two records or blocks.
    case endOfFile
    /// The body asked to stop, or the reading was stopped (`InputStop`).
    case stopped
    /// A pcap file: what libpcap would have said (a record cut short, an impossible
    /// length, a read error).
    case failed(String)
    /// A pcapng file: a block that is not a packet of the first interface, or not as
    /// libpcap expects it. libpcap is to read on from the block at this file offset, and
    /// judge it itself.
    case handOver(at: Int64)
    /// A pcapng file: libpcap has read on past a block it was handed, and reads the rest
    /// from where it is (`CaptureFile.readPcapngInPlace`).
    case libpcapReadsOn
}
