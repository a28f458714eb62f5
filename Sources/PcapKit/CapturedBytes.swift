import CPcap
import Foundation

/// The packets of a capture held in memory, read by libpcap: the first bytes of a capture
/// read once (`CaptureFile.takeLookAhead`), sampled before the capture is read. The bytes
/// may end in the middle of a packet; the reading then ends before it.
public enum CapturedBytes {
    /// Calls `body` with each packet of the pcap or pcapng capture `bytes` that `filter`
    /// (tcpdump's syntax) takes, until they end or `body` returns false. False when libpcap
    /// cannot read them as a capture or the filter does not apply to their link type.
    public static func forEachPacket(in bytes: [UInt8], filter: String?,
                                     _ body: (PacketHeader, UnsafeRawBufferPointer) -> Bool) -> Bool {
        var copy = bytes  // fmemopen wants writable memory, even to read
        return copy.withUnsafeMutableBytes { memory in
            guard memory.count > 0, let file = fmemopen(memory.baseAddress, memory.count, "rb") else { return false }
            var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
            guard let handle = pcap_fopen_offline_with_tstamp_precision(file, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer) else {
                fclose(file)
                return false
            }
            defer { pcap_close(handle) }  // closes `file`
            if let filter, CaptureFilter.apply(filter, to: handle) != nil { return false }
            _ = packetLoop(handle, fractionScale: 1) { header, packet in  // opened at nanosecond precision
                if !body(header, packet) { pcap_breakloop(handle) }
            }
            return true
        }
    }
}
