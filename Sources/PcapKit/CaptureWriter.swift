import CPcap
import Foundation

/// Writes packets to capture files in a directory, rotating to a new file at a size or an
/// age, as `tcpdump -w -C -G` does: the evidence of a live capture.
///
/// Files are named `dasaudit-YYYYMMDD-HHMMSS-NNNN.pcapng` (`.pcap` in the pcap format): the
/// UTC time the file starts (when it was opened, or the first packet it holds for a rotated
/// file) and its number in the run, so a shell glob lists them in capture order. Timestamps
/// are nanoseconds, like the live ones.
///
/// pcapng files (`Format.pcapng`, the default) record what a pcap file cannot: the packets
/// the capture lost. Each file ends with an Interface Statistics Block holding libpcap's
/// counts during the file's own window (`statisticsSource`, read when the file is closed,
/// less what they were when it started), so the drops of the files add up to the run's,
/// and `dasaudit audit` of them, tshark or capinfos see them (`PcapngEvidenceFile`).
/// While a file is written, an Interface Statistics Block is added every
/// `statisticsInterval` of packet time, with the counts from the file's start to then
/// (pcapng allows several per interface; readers take the last): a run killed at once
/// (SIGKILL) never closes its last file, which still says its drops up to its last block.
///
/// Each packet reaches the file as it is written (one `write(2)` per pcapng block, or
/// `pcap_dump_flush`), so a file always ends on a whole packet: readable and complete up to
/// the last packet when the process quits at once (`PacketWriteGate`), and almost always
/// when it is killed (SIGKILL inside a write larger than a page can leave the last packet
/// short). docs/live.md gives the cost.
///
/// `init(path:...)` writes one file instead, buffered (no flush per packet, no rotation):
/// the fast path of the capture generator (`dasaudit-gen`), tens of millions of packets.
/// Either way a record longer than the snapshot length is cut to it, as `tcpdump -s` cuts.
public final class CaptureWriter {
    /// The format of the evidence files: pcapng records the capture's drops, pcap cannot.
    public enum Format: String, CaseIterable, Sendable {
        case pcapng, pcap

        /// The files' extension, which names their format.
        public var fileExtension: String { rawValue }
    }

    /// When to start a new file; nil fields never rotate.
    public struct Rotation: Sendable {
        /// Start a new file before one would grow past this many bytes.
        public var maxBytes: UInt64?
        /// Start a new file with the first packet this many seconds after a file started.
        public var maxSeconds: Int64?

        public init(maxBytes: UInt64? = nil, maxSeconds: Int64? = nil) {
            self.maxBytes = maxBytes
            self.maxSeconds = maxSeconds
        }
    }

    /// A file that could not be created or written, with the system's reason.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write capture file \(path): \(reason)" }
    }

    public let directory: String
    public let format: Format
    /// libpcap's counts of the capture so far (cumulative), read when a pcapng file is
    /// closed, so that its statistics say what was lost during its window; nil records no
    /// drop counts.
    public var statisticsSource: (() -> LiveCapture.Statistics)?
    /// The files written so far, in order; the last is the one being written.
    public private(set) var files: [String] = []
    /// Set when a write failed; nothing more is written after it.
    public private(set) var failure: Failure?
    /// Files removed while they were written (their directory deleted by a clean-up job or
    /// an `rm -rf` during the capture): every write to them succeeded, into a file no name
    /// leads to any more, so their packets are lost. Found when each is closed (its link
    /// count is 0 then).
    public private(set) var removedFiles: [String] = []
    /// Packets written over all files.
    public var packetsWritten: UInt64 { written }

    /// A dead libpcap handle that carries the link type, snapshot length and nanosecond
    /// precision every file is written with.
    private let template: OpaquePointer
    /// The directory, opened once: files are created relative to it, never through a
    /// link swapped in at its path later.
    private let directoryDescriptor: Int32
    @usableFromInline var dumper: OpaquePointer?
    /// The pcapng file being written (`Format.pcapng`).
    @usableFromInline var pcapng: PcapngEvidenceFile?
    /// The interface named in each pcapng file, and its link type.
    private let interfaceName: String
    private let linkType: Int32
    /// The window of the file being written: when it started, and libpcap's counts then.
    private var window: (start: Int64, counts: LiveCapture.Statistics) = (0, .init(received: 0, dropped: 0, interfaceDropped: 0))
    /// Bytes each file keeps free for the block that closes it (its statistics).
    @usableFromInline let closingBytes: UInt64
    /// The single file's stream buffer (`init(path:)`), freed after the file is closed.
    private var buffer: StreamBuffer?
    @usableFromInline var written: UInt64 = 0
    @usableFromInline var fileBytes: UInt64 = 0
    @usableFromInline var filePackets: UInt64 = 0
    /// The timestamp from which the next packet starts a new file.
    @usableFromInline var fileDeadline = Int64.max
    /// How often, in packet time, a pcapng file being written gets an Interface Statistics
    /// Block of its window so far: 5 s, so a killed run's last file knows its drops up to
    /// 5 s before it was killed, for one `pcap_stats` and a block of about 100 bytes (`write`).
    public static let statisticsInterval: Int64 = 5_000_000_000
    /// The timestamp from which the next packet of a pcapng file is followed by an
    /// Interface Statistics Block of the file so far (`statisticsInterval`).
    @usableFromInline var statisticsDeadline = Int64.max
    @usableFromInline let maxBytes: UInt64
    @usableFromInline let maxNanoseconds: Int64?
    /// Records are cut to this many bytes.
    @usableFromInline let snapshotLength: UInt32
    /// Whether each packet is flushed as it is written (the evidence directory); a single
    /// file written with `init(path:)` is flushed when closed.
    @usableFromInline let flushesEachPacket: Bool

    /// Creates `directory` if needed (mode 0700) and opens the first file, stamped
    /// `startTime` (nanoseconds since the epoch), in `format`; a pcapng file names the
    /// captured interface `interfaceName`. A symbolic link at `directory` is refused unless
    /// `followLink` (`EvidenceDirectory`). The first file's window starts at `startTime`
    /// with libpcap's counts at 0: the drops of the files are the drops of the whole capture.
    public init(directory: String, linkType: Int32, snapshotLength: Int32, rotation: Rotation, startTime: Int64,
                format: Format = .pcapng, interfaceName: String = "", followLink: Bool = false) throws {
        self.directory = directory
        self.format = format
        self.interfaceName = interfaceName
        self.linkType = linkType
        self.closingBytes = format == .pcapng ? PcapngBlockEncoding.statisticsBlockLength : 0
        self.maxBytes = rotation.maxBytes ?? .max
        self.maxNanoseconds = rotation.maxSeconds.map { $0 &* 1_000_000_000 }
        self.snapshotLength = UInt32(clamping: snapshotLength > 0 ? Int(snapshotLength) : 262_144)
        self.flushesEachPacket = true
        guard let template = pcap_open_dead_with_tstamp_precision(
            linkType, snapshotLength, UInt32(PCAP_TSTAMP_PRECISION_NANO)) else {
            throw Failure(path: directory, reason: "libpcap could not set up a writer for link type \(linkType): \(POSIXFile.describe(errno))")
        }
        self.template = template
        do {
            directoryDescriptor = try EvidenceDirectory.open(directory, followLink: followLink)
        } catch {
            pcap_close(template)
            throw Failure(path: directory, reason: error.description)
        }
        try openFile(startingAt: startTime)
    }

    /// Opens one capture file at `path` (created, or emptied if it exists; mode 0644) for
    /// packets of `linkType`, cut to `snapshotLength` bytes (0: 262,144), nanosecond
    /// timestamps. Writes are buffered (1 MiB) and never rotate; call `finish()` to learn
    /// whether everything reached the file.
    public init(path: String, linkType: Int32, snapshotLength: Int32) throws {
        self.directory = (path as NSString).deletingLastPathComponent
        self.format = .pcap
        self.interfaceName = ""
        self.linkType = linkType
        self.closingBytes = 0
        self.maxBytes = .max
        self.maxNanoseconds = nil
        self.snapshotLength = UInt32(clamping: snapshotLength > 0 ? Int(snapshotLength) : 262_144)
        self.flushesEachPacket = false
        self.directoryDescriptor = -1
        guard let template = pcap_open_dead_with_tstamp_precision(
            linkType, Int32(clamping: self.snapshotLength), UInt32(PCAP_TSTAMP_PRECISION_NANO)) else {
            throw Failure(path: path, reason: "libpcap could not set up a writer for link type \(linkType): \(POSIXFile.describe(errno))")
        }
        self.template = template
        guard let stream = fopen(path, "wb") else {
            let reason = String(cString: strerror(errno))
            pcap_close(template)
            throw Failure(path: path, reason: reason)
        }
        // One thread writes: no stdio lock per call, and a large buffer.
        cpcap_unlocked_stream(stream)
        buffer = StreamBuffer(for: stream, size: 1 << 20)
        guard let opened = pcap_dump_fopen(template, stream) else {
            let reason = String(cString: pcap_geterr(template))
            fclose(stream)
            pcap_close(template)
            throw Failure(path: path, reason: reason)
        }
        files = [path]
        dumper = opened
        fileBytes = 24
    }

    deinit {
        close()
        pcap_close(template)
        if directoryDescriptor >= 0 { closeDescriptor(directoryDescriptor) }
    }

    /// Flushes and closes the file; throws the first write failure, if any (a full disk).
    public func finish() throws {
        if let dumper, failure == nil, pcap_dump_flush(dumper) != 0 { fail(errno) }
        close()
        if let failure { throw failure }
    }

    /// Writes one packet, rotating first when the packet would pass the size limit or
    /// comes after the file's time limit. Allocates nothing, except when it rotates.
    @inlinable
    public func write(_ header: PacketHeader, _ bytes: UnsafeRawBufferPointer) {
        // Evidence: a second Ctrl-C waits for this packet to be whole in its file.
        if flushesEachPacket { PacketWriteGate.enter() }
        defer { if flushesEachPacket { PacketWriteGate.leave() } }
        let recordBytes = pcapng != nil ? PcapngBlockEncoding.packetBlockLength(captured: header.capturedLength)
            : 16 &+ UInt64(header.capturedLength)
        if header.timestamp >= fileDeadline || (fileBytes &+ recordBytes &+ closingBytes > maxBytes && filePackets > 0) {
            rotate(at: header.timestamp)
        }
        if let pcapng {
            let captured = min(header.capturedLength, UInt32(bytes.count), snapshotLength)
            if let code = pcapng.writePacket(timestamp: header.timestamp, captured: captured,
                                             wire: max(header.wireLength, captured), bytes: bytes.baseAddress) {
                return fail(code)
            }
            fileBytes = pcapng.length
            filePackets &+= 1
            written &+= 1
            if header.timestamp >= statisticsDeadline { writeInterimStatistics(at: header.timestamp) }
            return
        }
        guard let dumper else { return }
        var record = pcap_pkthdr()
        record.ts.tv_sec = Int(header.timestamp / 1_000_000_000)
        record.ts.tv_usec = Int(header.timestamp % 1_000_000_000)
        record.caplen = min(header.capturedLength, UInt32(bytes.count), snapshotLength)
        record.len = max(header.wireLength, record.caplen)
        pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), &record,
                  bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
        // A record larger than stdio's buffer is written straight through inside pcap_dump,
        // and a failure there only marks the stream (a later flush finds nothing to write
        // and succeeds): the mark is checked after every packet, before the flush.
        guard ferror(pcap_dump_file(dumper)) == 0 else { return fail(errno) }
        if flushesEachPacket && pcap_dump_flush(dumper) != 0 { return fail(errno) }
        fileBytes &+= 16 &+ UInt64(record.caplen)
        filePackets &+= 1
        written &+= 1
    }

    /// Closes the current file; nothing more is written. A pcapng file gets its statistics
    /// first: the window from its start to `time` (nanoseconds since the epoch; now when
    /// nil), with libpcap's counts `statistics` (read from `statisticsSource` when nil).
    /// Give the counts the final audit reports, so that the files' drops add up to them.
    public func close(statistics: LiveCapture.Statistics? = nil, at time: Int64? = nil) {
        // A second Ctrl-C waits for the statistics to be whole in the file too.
        if flushesEachPacket { PacketWriteGate.enter() }
        defer { if flushesEachPacket { PacketWriteGate.leave() } }
        closeFile(statistics: statistics, at: time)
    }

    /// `close`, with the gate held already (a rotation or a failure inside `write`).
    @usableFromInline
    func closeFile(statistics: LiveCapture.Statistics? = nil, at time: Int64? = nil) {
        if let pcapng {
            let counts = statistics ?? statisticsSource?()
            let end = time ?? Int64(Date().timeIntervalSince1970 * 1e9)
            if let code = pcapng.writeStatistics(fileWindow(to: end, counts: counts)) {
                failure = Failure(path: files.last ?? directory, reason: String(cString: strerror(code)))
            }
            if let counts { window.counts = counts }
            if pcapng.isRemoved, let path = files.last { removedFiles.append(path) }
            self.pcapng = nil
        }
        if let dumper {
            var status = stat()
            if let stream = pcap_dump_file(dumper), fstat(fileno(stream), &status) == 0, status.st_nlink == 0, let path = files.last {
                removedFiles.append(path)
            }
            pcap_dump_close(dumper)
            self.dumper = nil
        }
    }

    /// The statistics of the file being written from its start to `end`, with libpcap's
    /// cumulative counts `counts` less what they were when the file started.
    private func fileWindow(to end: Int64, counts: LiveCapture.Statistics?) -> StatisticsWindow {
        let lost = counts.map { now in
            LiveCapture.Statistics(received: now.received &- window.counts.received, dropped: now.dropped &- window.counts.dropped,
                                   interfaceDropped: now.interfaceDropped &- window.counts.interfaceDropped)
        }
        return StatisticsWindow(start: window.start, end: max(end, window.start), counts: lost, delivered: filePackets)
    }

    /// Adds to the pcapng file being written an Interface Statistics Block of its window
    /// from its start to `time`, a packet's timestamp (`statisticsInterval`), when it
    /// leaves room for the one that closes the file within the size limit; a failure to
    /// write it is the file's failure, as a packet's. Out of line: once in 5 s.
    @usableFromInline @inline(never)
    func writeInterimStatistics(at time: Int64) {
        statisticsDeadline = time &+ Self.statisticsInterval
        guard let pcapng, let counts = statisticsSource?(),
              fileBytes &+ PcapngBlockEncoding.statisticsBlockLength &+ closingBytes <= maxBytes else { return }
        if let code = pcapng.writeStatistics(fileWindow(to: time, counts: counts)) { return fail(code) }
        fileBytes = pcapng.length
    }

    @usableFromInline
    func rotate(at timestamp: Int64) {
        guard dumper != nil || pcapng != nil else { return }
        closeFile(at: timestamp)
        guard failure == nil else { return }
        do {
            try openFile(startingAt: timestamp)
        } catch let error as Failure {
            failure = error
        } catch {
            failure = Failure(path: directory, reason: "\(error)")
        }
    }

    /// A packet could not be written (a full disk): an evidence file is cut back to its last
    /// whole packet, so it stays a readable capture, and nothing more is written.
    @usableFromInline
    func fail(_ code: Int32) {
        failure = Failure(path: files.last ?? directory, reason: String(cString: strerror(code)))
        // Only a file flushed packet by packet knows where its last whole packet ends. A
        // pcapng file has cut its failed block off already, and closes without statistics:
        // the disk that refused a packet would refuse them too.
        if let pcapng {
            if pcapng.isRemoved, let path = files.last { removedFiles.append(path) }
            self.pcapng = nil
        }
        if flushesEachPacket, let dumper, let stream = pcap_dump_file(dumper) {
            discardUnwritten(stream, keeping: fileBytes)
        }
        closeFile()
    }

    /// Creates the next file (never over an existing one, never through a link; mode
    /// 0600, since it holds whole packets) and writes its pcap header, or its pcapng
    /// section and interface; its window starts at `time`.
    private func openFile(startingAt time: Int64) throws {
        var number = files.count + 1
        while true {
            let name = CaptureWriter.fileName(time: time, number: number, format: format)
            let path = (directory as NSString).appendingPathComponent(name)
            let descriptor = openat(directoryDescriptor, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                if errno == EEXIST {
                    number += 1
                    continue
                }
                throw Failure(path: path, reason: String(cString: strerror(errno)))
            }
            window.start = time
            fileDeadline = maxNanoseconds.map { time &+ $0 } ?? .max
            statisticsDeadline = format == .pcapng ? time &+ Self.statisticsInterval : .max
            filePackets = 0
            if format == .pcapng {
                // The file is listed first, so that a failure names it and the evidence hashes it.
                files.append(path)
                let file = try PcapngEvidenceFile(descriptor: descriptor, path: path, linkType: linkType,
                                                  snapshotLength: snapshotLength, interfaceName: interfaceName)
                pcapng = file
                fileBytes = file.length
                return
            }
            guard let stream = fdopen(descriptor, "w") else {
                let reason = String(cString: strerror(errno))
                closeDescriptor(descriptor)
                throw Failure(path: path, reason: reason)
            }
            guard let opened = pcap_dump_fopen(template, stream) else {
                fclose(stream)
                throw Failure(path: path, reason: String(cString: pcap_geterr(template)))
            }
            guard pcap_dump_flush(opened) == 0 else {
                let reason = String(cString: strerror(errno))
                pcap_dump_close(opened)
                throw Failure(path: path, reason: reason)
            }
            files.append(path)
            dumper = opened
            fileBytes = 24
            return
        }
    }

    /// `dasaudit-YYYYMMDD-HHMMSS-NNNN.pcapng` (or `.pcap`) for a start time in nanoseconds (UTC).
    static func fileName(time: Int64, number: Int, format: Format = .pcapng) -> String {
        var seconds = time_t(time / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "dasaudit-%04d%02d%02d-%02d%02d%02d-%04d.", Int(parts.tm_year) + 1900,
                      Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min),
                      Int(parts.tm_sec), number) + format.fileExtension
    }
}

/// Truncates the file of `stream` to `size` bytes and points the stream at /dev/null, so
/// what stdio still holds of a packet that failed to write cannot reach the file when the
/// stream is closed.
private func discardUnwritten(_ stream: UnsafeMutablePointer<FILE>, keeping size: UInt64) {
    let descriptor = fileno(stream)
    _ = ftruncate(descriptor, off_t(size))
    let null = open("/dev/null", O_WRONLY)
    if null >= 0 {
        _ = dup2(null, descriptor)
        close(null)
    }
}

/// `close(2)`, by another name: inside `CaptureWriter`, `close` is the method.
private func closeDescriptor(_ descriptor: Int32) { _ = close(descriptor) }
