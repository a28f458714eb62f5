/// Where an input's `drops` come from, so that a null `drops` says why: the result's
/// `inputs[].drops_source`.
public enum DropsSource: String, Codable, Sendable, CaseIterable {
    /// A live capture: libpcap's counts (`pcap_stats`).
    case live
    /// A pcapng file's Interface Statistics Blocks (each interface's last), read by dasaudit.
    case pcapng
    /// A file that records no drops: a pcap file, or a pcapng without statistics of its
    /// drops. `drops` is null.
    case none
    /// A pcapng whose statistics blocks dasaudit could not all see: it was cut short or
    /// broken before its end, or its reading was stopped (a packet limit, Ctrl-C), so any
    /// drops its recorder counted are not known. `drops` is null. (From a file, a pipe or
    /// compressed alike: a pipe's blocks pass through `PcapngBlockTap`.)
    case unread
    /// A pcapng whose statistics record more drops than a capture could have lost (above
    /// 2^48, `RecordedDrops.credibleLimit`): garbage, not believed, so what its recorder
    /// lost is not known. `drops` is null.
    case implausible
}
