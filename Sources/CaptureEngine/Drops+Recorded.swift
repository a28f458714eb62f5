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
}
