import CPcap

/// The `pcap_next_ex` loop shared by files (`CaptureFile`) and devices (`LiveCapture`):
/// hands `body` each packet's header and its `caplen` captured bytes (valid only inside the
/// call), absorbs live timeouts (status 0), and returns libpcap's status once the loop ends:
/// `PCAP_ERROR_BREAK` (the end of a file, or `pcap_breakloop`) or an error. The caller says
/// what that means for its kind of input.
///
/// `fractionScale` is the nanoseconds in one unit of `ts.tv_usec`: 1 for a handle opened
/// at nanosecond precision, 1000 at microsecond precision.
@inlinable
func packetLoop(_ handle: OpaquePointer, fractionScale: Int64,
                _ body: (PacketHeader, UnsafeRawBufferPointer) throws -> Void) rethrows -> Int32 {
    var headerPointer: UnsafeMutablePointer<pcap_pkthdr>?
    var dataPointer: UnsafePointer<UInt8>?
    while true {
        let status = pcap_next_ex(handle, &headerPointer, &dataPointer)
        if status == 1 {
            let record = headerPointer.unsafelyUnwrapped.pointee
            // A time past what nanoseconds in 64 bits hold (years before 1677 or after 2262: a
            // pcapng's 64-bit timestamps can say so) is pinned to the nearest end of the range
            // instead of wrapping to an arbitrary time.
            let (scaled, overflow) = Int64(record.ts.tv_sec).multipliedReportingOverflow(by: 1_000_000_000)
            let (time, overflowAgain) = scaled.addingReportingOverflow(Int64(record.ts.tv_usec) &* fractionScale)
            let timestamp = !(overflow || overflowAgain) ? time : record.ts.tv_sec < 0 ? Int64.min : Int64.max
            try body(PacketHeader(timestamp: timestamp, capturedLength: record.caplen, wireLength: record.len),
                     UnsafeRawBufferPointer(start: dataPointer, count: Int(record.caplen)))
        } else if status != 0 {
            return status
        }
    }
}
