import CPcap
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the records of a classic pcap file from `file` (positioned after the file header,
/// as libpcap leaves it) a megabyte at a time, and hands `body` each one in place, until
/// `body` returns false, the file ends, a record is wrong, or the reading is stopped
/// (`cutsOnStop`: `RecordWindow`). The bytes are only valid inside the call.
///
/// Why: libpcap's `pcap_next_ex` makes two `fread` calls per packet and copies the packet
/// out of stdio's buffer into its own, which costs about 40 ns a packet, two thirds of the
/// floor's time (docs/performance-log.md, "Reading a pcap file's records in place"). This does
/// what libpcap 1.10's `pcap_next_packet` does for `format`, check for check and message
/// for message:
/// - a header cut short: "truncated dump file; tried to read 16 header bytes, only got N";
/// - a captured length over 262,144: "invalid packet capture length ..., bigger than
///   snaplen of S" (over the snapshot too) or "... bigger than maximum of 262144";
/// - a captured length over the snapshot (but not 262,144): the record is read whole and
///   handed over cut to the snapshot;
/// - packet bytes cut short: "truncated dump file; tried to read N captured bytes, only got M";
/// - a read error: "error reading dump file: " and the system's reason.
/// Times are the header's seconds and fraction as libpcap reads them: signed 32-bit numbers,
/// unsigned in a file of the other byte order.
///
/// Always inlined, like libpcap's loop before it (`packetLoop`): called through a function
/// boundary, the caller's closure context was retained and released around every packet.
@inlinable @inline(__always)
func readPcapRecords(from file: UnsafeMutablePointer<FILE>, format: PcapRecordFormat,
                     observer: (any ReadWindowObserver)? = nil, cutsOnStop: Bool = false,
                     _ body: (PacketHeader, UnsafeRawBufferPointer) throws -> Bool) rethrows -> InPlaceReadEnd {
    let headerSize = PcapRecordFormat.recordHeaderSize
    var window = RecordWindow(observer: observer, cutsOnStop: cutsOnStop)
    defer { window.deallocate() }
    while true {
        if window.count < headerSize { window.refill(from: file) }
        guard window.count >= headerSize else {
            if window.stopped { return .stopped }
            if let error = window.readError { return .failed(error) }
            return window.count == 0 ? .endOfFile
                : .failed("truncated dump file; tried to read \(headerSize) header bytes, only got \(window.count)")
        }
        let record = window.unread
        var seconds = record.loadUnaligned(fromByteOffset: 0, as: UInt32.self)
        var fraction = record.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        var capturedLength = record.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        var wireLength = record.loadUnaligned(fromByteOffset: 12, as: UInt32.self)
        if format.swapped {
            seconds = seconds.byteSwapped
            fraction = fraction.byteSwapped
            capturedLength = capturedLength.byteSwapped
            wireLength = wireLength.byteSwapped
        }
        if capturedLength > PcapRecordFormat.largestRecord {
            return .failed(capturedLength > format.snapshot
                ? "invalid packet capture length \(capturedLength), bigger than snaplen of \(format.snapshot)"
                : "invalid packet capture length \(capturedLength), bigger than maximum of \(PcapRecordFormat.largestRecord)")
        }
        let recordSize = headerSize &+ Int(capturedLength)
        if window.count < recordSize { window.refill(from: file) }
        guard window.count >= recordSize else {
            if window.stopped { return .stopped }
            if let error = window.readError { return .failed(error) }
            let got = window.count - headerSize
            // libpcap reads the snapshot's bytes first, then discards the rest.
            let wanted = capturedLength > format.snapshot && got < Int(format.snapshot) ? format.snapshot : capturedLength
            return .failed("truncated dump file; tried to read \(wanted) captured bytes, only got \(got)")
        }
        let packet = window.unread + headerSize
        // libpcap reads the two time fields as signed 32-bit numbers, but its byte swap
        // gives them back unsigned: a swapped file cannot say a time before 1970.
        let (wholeSeconds, fractions) = format.swapped
            ? (Int64(seconds), Int64(fraction))
            : (Int64(Int32(bitPattern: seconds)), Int64(Int32(bitPattern: fraction)))
        let timestamp = wholeSeconds &* 1_000_000_000 &+ fractions &* format.fractionScale
        let header = PacketHeader(timestamp: timestamp, capturedLength: min(capturedLength, format.snapshot),
                                  wireLength: wireLength)
        window.consume(recordSize)
        guard try body(header, UnsafeRawBufferPointer(start: packet, count: Int(header.capturedLength))) else {
            return .stopped
        }
    }
}
