import CPcap
import Foundation

/// A recorded capture (pcap or pcapng, either byte order, micro- or nanosecond), or `-`
/// for standard input, read packet by packet with `pcap_next_ex`.
///
/// The file is opened at nanosecond precision so timestamps never lose digits. One
/// instance reads one input once; it is not shared between threads.
public final class CaptureFile {
    public let path: String
    /// libpcap's DLT value for the file (for pcapng, that of the first interface).
    public let linkType: Int32
    public let snapshotLength: Int32

    @usableFromInline let handle: OpaquePointer
    /// Packets handed to the body so far.
    public var packetsRead: Int { delivered }
    @usableFromInline var delivered = 0
    @usableFromInline var breakRequested = false

    public init(path: String) throws {
        self.path = path
        if path != "-" {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CaptureError.cannotOpen(path: path, reason: "no such file")
            }
            guard !isDirectory.boolValue else {
                throw CaptureError.cannotOpen(path: path, reason: "is a directory, not a capture file")
            }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw CaptureError.cannotOpen(path: path, reason: "permission denied")
            }
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_open_offline_with_tstamp_precision(
            path, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer
        ) else {
            let reason = String(cString: errorBuffer)
            throw CaptureError.cannotOpen(path: path, reason: CaptureFile.explain(reason))
        }
        self.handle = handle
        self.linkType = pcap_datalink(handle)
        self.snapshotLength = pcap_snapshot(handle)
    }

    deinit { pcap_close(handle) }

    /// The name libpcap gives the link type (`EN10MB`, `LINUX_SLL2`, ...).
    public var linkTypeName: String {
        guard let name = pcap_datalink_val_to_name(linkType) else { return "DLT \(linkType)" }
        return String(cString: name)
    }

    /// Calls `body` with each packet's header and its captured bytes, until the input
    /// ends, `breakLoop()` is called, or libpcap fails. The bytes are only valid inside
    /// the call.
    @inlinable
    public func forEachPacket(_ body: (PacketHeader, UnsafeRawBufferPointer) throws -> Void) rethrows -> ReadEnd {
        var headerPointer: UnsafeMutablePointer<pcap_pkthdr>?
        var dataPointer: UnsafePointer<UInt8>?
        while true {
            let status = pcap_next_ex(handle, &headerPointer, &dataPointer)
            switch status {
            case 1:
                let header = headerPointer.unsafelyUnwrapped.pointee
                let packet = PacketHeader(
                    timestamp: Int64(header.ts.tv_sec) &* 1_000_000_000 &+ Int64(header.ts.tv_usec),
                    capturedLength: header.caplen,
                    wireLength: header.len
                )
                try body(packet, UnsafeRawBufferPointer(start: dataPointer, count: Int(header.caplen)))
                delivered &+= 1
            case 0:
                continue  // live timeout; never happens for files
            case PCAP_ERROR_BREAK:
                // For a file libpcap says "break" both at the end and after pcap_breakloop.
                return breakRequested ? .interrupted : .endOfInput
            default:
                return .failed(reason: CaptureFile.explain(String(cString: pcap_geterr(handle))))
            }
        }
    }

    /// Makes the current `forEachPacket` return `.interrupted` after the packet in hand.
    public func breakLoop() {
        breakRequested = true
        pcap_breakloop(handle)
    }

    /// Rewrites libpcap's terse messages into ones a user can act on.
    @usableFromInline
    static func explain(_ reason: String) -> String {
        if reason.contains("unknown file format") {
            return "not a pcap or pcapng capture (unknown file format)"
        }
        if reason.contains("truncated dump file") || reason.contains("truncated pcapng") {
            return "capture is cut short in the middle of a packet (\(reason))"
        }
        if reason.isEmpty { return "unknown libpcap error" }
        return reason
    }
}
