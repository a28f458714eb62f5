import Audit
import PcapKit

extension Drops {
    /// What a pcapng file says its recorder lost, in the terms of a live capture's counts:
    /// `isb_osdrop` (the operating system) as the kernel's, `isb_ifdrop` as the
    /// interface's. nil when the file gives neither.
    init?(recorded: RecordedDrops) {
        guard recorded.interface != nil || recorded.system != nil else { return nil }
        self.init(kernel: recorded.system ?? 0, interface: recorded.interface ?? 0)
    }

    /// What `file` says its recorder lost, once it has been read, and where that comes
    /// from: counts past belief are not taken (`RecordedDrops.isCredible`), so no result
    /// carries a count its readers refuse.
    static func recorded(in file: CaptureFile) -> (drops: Drops?, source: DropsSource) {
        let recorded = file.recordedDrops
        if let recorded, !recorded.isCredible { return (nil, .implausible) }
        let drops = recorded.flatMap(Drops.init(recorded:))
        return (drops, drops != nil ? .pcapng : file.isPcapng && !file.statisticsRead ? .unread : .none)
    }
}
