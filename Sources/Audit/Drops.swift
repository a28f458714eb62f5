import Flows

/// Packets a capture lost before dasaudit saw them: a live capture's, as libpcap counts
/// them, or what a pcapng file's interface statistics record (`isb_osdrop` as the kernel's,
/// `isb_ifdrop` as the interface's).
public struct Drops: Codable, Equatable, Sendable {
    /// Dropped by the kernel because the capture buffer was full (`ps_drop`): dasaudit
    /// did not keep up.
    public var kernel: UInt64
    /// Dropped by the interface or its driver before capture (`ps_ifdrop`).
    public var interface: UInt64

    public init(kernel: UInt64, interface: UInt64) {
        self.kernel = kernel
        self.interface = interface
    }

    public var total: UInt64 { kernel.addingSaturated(interface) }
}
