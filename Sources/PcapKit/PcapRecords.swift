import CPcap
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How `readPcapRecords` ended.
@usableFromInline
enum PcapRecordsEnd {
    /// The file ended between two records.
    case endOfFile
    /// The body asked to stop.
    case stopped
    /// What libpcap would have said: a record cut short, an impossible length, a read error.
    case failed(String)
}

/// Reads the records of a classic pcap file from `file` (positioned after the file header,
/// as libpcap leaves it) a megabyte at a time, and hands `body` each one in place, until
/// `body` returns false, the file ends, or a record is wrong. The bytes are only valid
/// inside the call.
///
/// Why: libpcap's `pcap_next_ex` makes two `fread` calls per packet and copies the packet
/// out of stdio's buffer into its own, which costs about 40 ns a packet, two thirds of the
/// floor's time (docs/performance.md, "Reading a pcap file's records in place"). This does
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
                     observer: (any ReadWindowObserver)? = nil,
                     _ body: (PacketHeader, UnsafeRawBufferPointer) throws -> Bool) rethrows -> PcapRecordsEnd {
    let headerSize = PcapRecordFormat.recordHeaderSize
    var window = RecordWindow(observer: observer)
    defer { window.deallocate() }
    while true {
        if window.count < headerSize { window.refill(from: file) }
        guard window.count >= headerSize else {
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

/// The megabyte of the file `readPcapRecords` works in: the bytes read and not yet handed
/// over are `unread ..< unread + count`. A megabyte holds the largest record (16 +
/// 262,144 bytes) several times over, so a record is never larger than what a refill
/// brings. An `observer` sees the whole window after each refill.
@usableFromInline
struct RecordWindow {
    @usableFromInline static let capacity = 1 << 20
    @usableFromInline let base = UnsafeMutableRawPointer.allocate(byteCount: RecordWindow.capacity, alignment: 16)
    @usableFromInline var start = 0
    @usableFromInline var end = 0
    /// The file has no more bytes to give (its end, or a read error).
    @usableFromInline var exhausted = false
    /// libpcap's words for the read error that exhausted the file, if one did.
    @usableFromInline var readError: String?
    /// Told of each refill; nil too when the stream cannot say where it is (a pipe).
    @usableFromInline var observer: (any ReadWindowObserver)?
    /// The file offset of `base`'s first byte; -1 before the first refill.
    @usableFromInline var baseOffset: Int64 = -1

    @usableFromInline init(observer: (any ReadWindowObserver)?) {
        self.observer = observer
    }

    @inlinable var count: Int { end &- start }
    @inlinable var unread: UnsafeMutableRawPointer { base + start }

    @inlinable mutating func consume(_ bytes: Int) { start &+= bytes }

    /// Moves the unread bytes to the front and fills the rest from `file`, unless the file
    /// is exhausted.
    @usableFromInline
    mutating func refill(from file: UnsafeMutablePointer<FILE>) {
        guard !exhausted else { return }
        if let observer {
            if baseOffset < 0 {
                baseOffset = Int64(ftello(file))
                if baseOffset < 0 {
                    observer.readingEnded()
                    self.observer = nil
                }
            } else {
                observer.windowWillChange()
                baseOffset &+= Int64(start)
            }
        }
        if start > 0 {
            base.copyMemory(from: base + start, byteCount: count)
            end = count
            start = 0
        }
        let wanted = RecordWindow.capacity - end
        let got = fread(base + end, 1, wanted, file)
        end += got
        if got < wanted {
            exhausted = true
            if ferror(file) != 0 { readError = "error reading dump file: " + String(cString: strerror(errno)) }
        }
        observer?.windowFilled(UnsafeRawBufferPointer(start: base, count: end), at: baseOffset)
    }

    @usableFromInline func deallocate() {
        if let observer {
            if baseOffset >= 0 { observer.windowWillChange() }
            observer.readingEnded()
        }
        base.deallocate()
    }
}
