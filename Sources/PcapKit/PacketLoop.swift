import CPcap
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `pcap_next_ex` loop shared by files (`CaptureFile`) and devices (`LiveCapture`):
/// hands `body` each packet's header and its `caplen` captured bytes (valid only inside the
/// call), absorbs live timeouts (status 0), and returns libpcap's status once the loop ends:
/// `PCAP_ERROR_BREAK` (the end of a file, or `pcap_breakloop`) or an error. The caller says
/// what that means for its kind of input.
///
/// `fractionScale` is the nanoseconds in one unit of `ts.tv_usec`: 1 for a handle opened
/// at nanosecond precision, 1000 at microsecond precision. With `onePacket`, the loop ends
/// after the first packet, returning 1.
@inlinable
func packetLoop(_ handle: OpaquePointer, fractionScale: Int64, onePacket: Bool = false,
                _ body: (PacketHeader, UnsafeRawBufferPointer) throws -> Void) rethrows -> Int32 {
    var headerPointer: UnsafeMutablePointer<pcap_pkthdr>?
    var dataPointer: UnsafePointer<UInt8>?
    while true {
        let status = pcap_next_ex(handle, &headerPointer, &dataPointer)
        if status == 1 {
            let record = headerPointer.unsafelyUnwrapped.pointee
            let timestamp = PacketHeader.nanoseconds(seconds: Int64(record.ts.tv_sec), fraction: Int64(record.ts.tv_usec),
                                                     fractionScale: fractionScale)
            try body(PacketHeader(timestamp: timestamp, capturedLength: record.caplen, wireLength: record.len),
                     UnsafeRawBufferPointer(start: dataPointer, count: Int(record.caplen)))
            if onePacket { return status }
        } else if status != 0 {
            return status
        }
    }
}
