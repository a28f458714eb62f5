import CPcap
import Foundation

/// A network device opened for capture with libpcap (`pcap_create` ... `pcap_activate`),
/// read packet by packet with `pcap_next_ex`, as `CaptureFile` reads a file.
///
/// Timestamps are taken at nanosecond precision where the device allows it (Linux does),
/// so live packets and the files written from them carry the same times. `breakLoop()` may
/// be called from any thread or a signal handler: it is how timers and Ctrl-C get the
/// capture thread's attention without a check per packet.
public final class LiveCapture {
    /// How to open the device. The defaults suit auditing a host's own traffic.
    public struct Settings: Sendable {
        /// The interface name (`eth0`, `lo`, `any`).
        public var device: String
        /// Bytes kept of each packet. The audit needs only the headers, but the written
        /// evidence is more useful whole: 262144 is tcpdump's default.
        public var snapshotLength: Int32 = 262_144
        /// Capture frames not addressed to this host too (a SPAN port, a hub).
        public var promiscuous = false
        /// The kernel buffer in bytes; nil for libpcap's default (2 MiB on Linux). A larger
        /// buffer rides out bursts and the pauses while the status is computed.
        public var bufferSize: Int32?
        /// Deliver each packet as it arrives instead of in batches: lower latency, more
        /// wake-ups.
        public var immediate = false
        /// How long libpcap may hold a batch before delivering it, in milliseconds.
        public var timeoutMilliseconds: Int32 = 100
        /// A BPF filter in tcpdump's syntax; nil captures everything.
        public var filter: String?

        public init(device: String) { self.device = device }
    }

    public let settings: Settings
    /// libpcap's DLT value for the device.
    public let linkType: Int32
    public let snapshotLength: Int32
    /// libpcap's warning on activation (promiscuous mode not supported, ...), if any.
    public let warning: String?

    @usableFromInline let handle: OpaquePointer
    /// Nanoseconds per unit of `ts.tv_usec`: 1 at nanosecond precision, 1000 at micro.
    @usableFromInline let fractionScale: Int64
    /// libpcap's 32-bit counters as last read, and the 64-bit totals built from them.
    private var lastRaw = pcap_stat()
    private var totals = Statistics(received: 0, dropped: 0, interfaceDropped: 0)

    /// Opens and activates the device, and sets the filter. Throws a `LiveCaptureError`
    /// that says what to do: no permission, no such device, a bad filter.
    public init(_ settings: Settings) throws {
        self.settings = settings
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create(settings.device, &errorBuffer) else {
            throw LiveCaptureError.cannotOpen(device: settings.device, reason: String(cString: errorBuffer))
        }
        pcap_set_snaplen(handle, settings.snapshotLength)
        pcap_set_promisc(handle, settings.promiscuous ? 1 : 0)
        pcap_set_timeout(handle, settings.timeoutMilliseconds)
        pcap_set_immediate_mode(handle, settings.immediate ? 1 : 0)
        if let bufferSize = settings.bufferSize { pcap_set_buffer_size(handle, bufferSize) }
        let nano = pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO)) == 0
        let status = pcap_activate(handle)
        if status < 0 {
            let error = LiveCapture.activationError(status, device: settings.device, handle: handle)
            pcap_close(handle)
            throw error
        }
        warning = status > 0 ? String(cString: pcap_geterr(handle)).nonEmpty ?? String(cString: pcap_statustostr(status))
            : nil
        self.handle = handle
        self.fractionScale = nano && pcap_get_tstamp_precision(handle) == Int32(PCAP_TSTAMP_PRECISION_NANO) ? 1 : 1000
        // `any` gives Linux cooked SLL frames unless SLL2 is asked for (libpcap 1.10 and later):
        // SLL2 names each packet's interface, which tells a retransmission from a copy seen on
        // another interface (docs/design.md, "Copies of one packet"). Where it cannot, SLL stays.
        if pcap_datalink(handle) == DLT_LINUX_SLL { _ = pcap_set_datalink(handle, DLT_LINUX_SLL2) }
        self.linkType = pcap_datalink(handle)
        self.snapshotLength = pcap_snapshot(handle)
        if let filter = settings.filter { try apply(filter: filter) }
        if LiveCapture.isLoopback(settings.device) { LiveCapture.ignoreOutgoingCopies(handle) }
    }

    /// Whether `device` is a loopback interface (`lo`), as libpcap lists it.
    private static func isLoopback(_ device: String) -> Bool {
        ((try? CaptureDevice.all()) ?? []).contains { $0.name == device && $0.isLoopback }
    }

    /// Keeps the outgoing copy of each packet out of the kernel's capture ring. On a
    /// loopback interface every packet passes the capture socket twice, as sent and as
    /// received; libpcap hands over only the received copy, but the kernel queues both, so
    /// the ring fills twice as fast and, once full, counts both copies as dropped: `live -i
    /// lo` under load said it lost 2,348 packets where tcpdump, capturing beside it, showed
    /// 1,194 missing. Linux 4.20 and later take `PACKET_IGNORE_OUTGOING`; on an older kernel
    /// the option is refused and the capture goes on as before (other systems: nothing done).
    private static func ignoreOutgoingCopies(_ handle: OpaquePointer) {
        #if os(Linux)
        var on: Int32 = 1
        _ = setsockopt(pcap_fileno(handle), socketLevelPacket, packetIgnoreOutgoing, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    /// `SOL_PACKET` and `PACKET_IGNORE_OUTGOING` (<linux/if_packet.h>), which Glibc does not export.
    private static let socketLevelPacket: Int32 = 263
    private static let packetIgnoreOutgoing: Int32 = 23

    deinit { pcap_close(handle) }

    /// The name libpcap gives the link type (`EN10MB`, `LINUX_SLL2`, ...).
    public var linkTypeName: String {
        guard let name = pcap_datalink_val_to_name(linkType) else { return "DLT \(linkType)" }
        return String(cString: name)
    }

    /// Calls `body` with each packet's header and its captured bytes until `breakLoop()`
    /// is called (`.interrupted`) or the capture fails (`.failed`: the interface went away).
    /// The bytes are only valid inside the call. Quiet periods do not return: libpcap's
    /// timeouts are absorbed here.
    @inlinable
    public func forEachPacket(_ body: (PacketHeader, UnsafeRawBufferPointer) throws -> Void) rethrows -> ReadEnd {
        let status = try packetLoop(handle, fractionScale: fractionScale, body)
        return status == PCAP_ERROR_BREAK ? .interrupted : .failed(reason: String(cString: pcap_geterr(handle)))
    }

    /// Makes the current (or the next) `forEachPacket` return `.interrupted`. Safe from any
    /// thread: libpcap wakes a capture thread blocked waiting for packets.
    public func breakLoop() {
        pcap_breakloop(handle)
    }

    /// A handle that can only break the loop, for timers and signal handlers on other threads.
    public var loopBreaker: LoopBreaker { LoopBreaker(handle: handle) }

    /// What libpcap has counted so far, as 64-bit totals. libpcap's counters are 32 bits
    /// and wrap after 4 Gi packets; reading them at least that often (every status
    /// interval does) keeps the totals exact. Call from the capture thread.
    public func statistics() -> Statistics {
        var raw = pcap_stat()
        guard pcap_stats(handle, &raw) == 0 else { return totals }
        totals.received &+= UInt64(raw.ps_recv &- lastRaw.ps_recv)
        totals.dropped &+= UInt64(raw.ps_drop &- lastRaw.ps_drop)
        totals.interfaceDropped &+= UInt64(raw.ps_ifdrop &- lastRaw.ps_ifdrop)
        lastRaw = raw
        return totals
    }

    /// libpcap's counts for a live capture (`pcap_stats`).
    public struct Statistics: Equatable, Sendable {
        /// Packets the kernel passed through the filter (`ps_recv`).
        public var received: UInt64
        /// Packets the kernel dropped because the capture buffer was full (`ps_drop`):
        /// dasaudit did not keep up.
        public var dropped: UInt64
        /// Packets the interface or its driver dropped before capture (`ps_ifdrop`).
        public var interfaceDropped: UInt64
    }

    /// Compiles and sets a BPF filter.
    private func apply(filter: String) throws {
        if let reason = CaptureFilter.apply(filter, to: handle) {
            throw LiveCaptureError.badFilter(filter: filter, reason: reason)
        }
    }

    /// The error for a failed `pcap_activate`, in terms a user can act on.
    private static func activationError(_ status: Int32, device: String, handle: OpaquePointer) -> LiveCaptureError {
        let detail = String(cString: pcap_geterr(handle)).nonEmpty ?? String(cString: pcap_statustostr(status))
        switch status {
        case PCAP_ERROR_PERM_DENIED, PCAP_ERROR_PROMISC_PERM_DENIED:
            return .permissionDenied(device: device, reason: detail)
        case PCAP_ERROR_NO_SUCH_DEVICE:
            return .noSuchDevice(device: device, available: ((try? CaptureDevice.all()) ?? []).map(\.name))
        case PCAP_ERROR_IFACE_NOT_UP:
            return .interfaceDown(device: device)
        default:
            // libpcap reports some missing permissions as a generic error.
            if detail.contains("Operation not permitted") || detail.contains("Permission denied") {
                return .permissionDenied(device: device, reason: detail)
            }
            return .cannotOpen(device: device, reason: detail)
        }
    }
}

extension String {
    /// Nil for the empty string, so a fallback can follow with `??`.
    var nonEmpty: String? { isEmpty ? nil : self }
}

/// The one libpcap call that is safe from any thread, `pcap_breakloop`, as a value that
/// can cross threads: unchecked Sendable because it holds the pcap handle, but it only ever
/// calls that function on it. Valid while its `LiveCapture` lives.
public struct LoopBreaker: @unchecked Sendable {
    let handle: OpaquePointer

    public func breakLoop() {
        pcap_breakloop(handle)
    }
}
