#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The megabyte of the file `readPcapRecords` and `readPcapngRecords` work in: the bytes
/// read and not yet handed over are `unread ..< unread + count`. A megabyte holds the
/// largest pcap record (16 + 262,144 bytes) several times over, so such a record is never
/// larger than what a refill brings. An `observer` sees the whole window after each refill.
///
/// The window has room for a stdio buffer more than `capacity`, so that a refill can ask
/// `fread` for whole buffers (`readSize`) and still bring at least what `capacity` would.
@usableFromInline
struct RecordWindow {
    @usableFromInline static let capacity = 1 << 20
    @usableFromInline static let room = capacity + CaptureStream.bufferSize
    @usableFromInline let base = UnsafeMutableRawPointer.allocate(byteCount: RecordWindow.room, alignment: 16)
    @usableFromInline var start = 0
    @usableFromInline var end = 0
    /// The file has no more bytes to give (its end, or a read error).
    @usableFromInline var exhausted = false
    /// libpcap's words for the read error that exhausted the file, if one did.
    @usableFromInline var readError: String?
    /// Whether a stop of the reading (`InputStop`) cuts the file at the next refill: a file;
    /// a pipe's tap stops it itself (`PcapngBlockTap`).
    @usableFromInline let cutsOnStop: Bool
    /// Set when a stop of the reading exhausted the file: what is left unread is not an end.
    @usableFromInline var stopped = false
    /// Told of each refill; nil too when the stream cannot say where it is (a pipe).
    @usableFromInline var observer: (any ReadWindowObserver)?
    /// The file offset of `base`'s first byte: nil before the first refill, -1 when the
    /// stream cannot say where it is (a pipe).
    @usableFromInline var baseOffset: Int64?

    @usableFromInline init(observer: (any ReadWindowObserver)?, cutsOnStop: Bool = false) {
        self.observer = observer
        self.cutsOnStop = cutsOnStop
    }

    @inlinable var count: Int { end &- start }
    @inlinable var unread: UnsafeMutableRawPointer { base + start }
    /// The file offset of the first unread byte, -1 when the stream cannot say (a pipe).
    @inlinable var unreadOffset: Int64 {
        guard let baseOffset, baseOffset >= 0 else { return -1 }
        return baseOffset &+ Int64(start)
    }

    @inlinable mutating func consume(_ bytes: Int) { start &+= bytes }

    /// Moves the unread bytes to the front and fills the rest from `file`, unless the file
    /// is exhausted, or the reading stopped (`cutsOnStop`).
    @usableFromInline
    mutating func refill(from file: UnsafeMutablePointer<FILE>) {
        guard !exhausted else { return }
        if cutsOnStop && InputStop.isRequested {
            (exhausted, stopped) = (true, true)
            return
        }
        if let known = baseOffset {
            if known >= 0 {
                observer?.windowWillChange()
                baseOffset = known &+ Int64(start)
            }
        } else {
            let here = Int64(ftello(file))
            baseOffset = max(here, -1)
            if here < 0, let observer {
                observer.readingEnded()
                self.observer = nil
            }
        }
        if start > 0 {
            base.copyMemory(from: base + start, byteCount: count)
            end = count
            start = 0
        }
        let wanted = Self.readSize(after: end, from: file)
        let got = fread(base + end, 1, wanted, file)
        end += got
        if got < wanted {
            exhausted = true
            if ferror(file) != 0 { readError = "error reading dump file: " + String(cString: strerror(errno)) }
        }
        if let observer, let baseOffset { observer.windowFilled(UnsafeRawBufferPointer(start: base, count: end), at: baseOffset) }
    }

    /// How many bytes to ask `fread` for, into a window that holds `end`: for a file, the
    /// bytes its stdio buffer still holds, then as many whole buffers as the window has room
    /// for (more than `capacity - end`); for a stream that cannot say where it is (a pipe),
    /// `capacity - end`. glibc copies the bytes it holds, and reads whole buffers straight
    /// into the window; asked for any other length, it also read the last part of it into
    /// its buffer and copied it out: a quarter of the file copied twice, the reading
    /// thread's `memcpy` (32 instructions a packet at snaplen 96, callgrind). Once that
    /// buffer is emptied, every refill asks for whole ones.
    @usableFromInline
    static func readSize(after end: Int, from file: UnsafeMutablePointer<FILE>) -> Int {
        let room = RecordWindow.room &- end
        let descriptorAt = lseek(fileno(file), 0, SEEK_CUR), streamAt = ftello(file)
        guard descriptorAt >= 0, streamAt >= 0, descriptorAt >= streamAt, descriptorAt &- streamAt <= room else {
            return RecordWindow.capacity &- end
        }
        let buffered = Int(descriptorAt &- streamAt), buffer = CaptureStream.bufferSize
        return buffered &+ (room &- buffered) / buffer &* buffer
    }

    /// Goes on from `offset` after libpcap read the file from `unreadOffset` up to there
    /// (`CaptureFile`'s step through libpcap): in this window when it holds that offset,
    /// refilled from it otherwise; `file` is put back where the next refill reads. false when
    /// the file cannot be repositioned.
    @usableFromInline
    mutating func resume(at offset: Int64, in file: UnsafeMutablePointer<FILE>) -> Bool {
        guard let known = baseOffset, known >= 0, offset >= known &+ Int64(start) else { return false }
        let windowEnd = known &+ Int64(end)
        if offset <= windowEnd {
            start = Int(offset &- known)
            return fseeko(file, off_t(windowEnd), SEEK_SET) == 0
        }
        observer?.windowWillChange()
        (baseOffset, start, end, exhausted, readError) = (offset, 0, 0, false, nil)
        return fseeko(file, off_t(offset), SEEK_SET) == 0
    }

    @usableFromInline func deallocate() {
        if let observer {
            if (baseOffset ?? -1) >= 0 { observer.windowWillChange() }
            observer.readingEnded()
        }
        base.deallocate()
    }
}
