import CPcap
import Foundation

/// A recorded capture (pcap or pcapng, either byte order, micro- or nanosecond; plain or
/// gzip/zstd/xz/bzip2-compressed), or `-` for standard input, read packet by packet with
/// `pcap_next_ex`, or, for a classic pcap file, a megabyte at a time with the same checks
/// (`readPcapRecords`, `PcapRecordFormat`).
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
    /// Set when dasaudit reads the records itself, a megabyte at a time (`readPcapRecords`,
    /// `readPcapngRecords`); nil when libpcap does: compressed inputs, pcapng from a pipe,
    /// other formats, and a pcapng file once libpcap has taken it over (`libpcapTakesOver`).
    @usableFromInline var recordFormat: RecordFormat?

    /// How dasaudit reads a file's records in place.
    @usableFromInline
    enum RecordFormat {
        case pcap(PcapRecordFormat)
        case pcapng(PcapngRecordFormat)
    }

    /// The stream libpcap reads, and the decompressor behind it for compressed inputs.
    /// Released after `pcap_close` has closed the stream, so a decompressor still running
    /// is then stopped and reaped.
    @usableFromInline let stream: CaptureStream

    /// Opens `path` ("-" for standard input): a pcap or pcapng capture, plain or
    /// compressed (gzip, zstd, xz, bzip2; recognised by their first bytes). Throws
    /// `CaptureError.cannotOpen` with the reason when it is not a capture that can be read.
    /// `records`: who reads the records of a classic pcap file (`.libpcap` for the tests
    /// that compare the two).
    public init(path: String, records: RecordReading = .inPlace) throws {
        self.path = path
        let stream: CaptureStream
        do {
            stream = try CaptureStream(path: path)
        } catch {
            throw CaptureError.cannotOpen(path: path, reason: error.reason)
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        var opened = pcap_fopen_offline_with_tstamp_precision(stream.file, UInt32(PCAP_TSTAMP_PRECISION_NANO), &errorBuffer)
        let message = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        if opened == nil, CaptureFile.describesNoInterface(message) {
            // Read to its end without an interface, so without a packet: an empty capture, as
            // tshark reads it. A dead handle stands in for libpcap's (nothing is read from it).
            fclose(stream.file)
            opened = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 262_144, UInt32(PCAP_TSTAMP_PRECISION_NANO))
            sectionsOnly = true
        } else if opened == nil {
            fclose(stream.file)
            let reason = CaptureFile.explain(message)
            throw CaptureError.cannotOpen(path: path, reason: CaptureFile.qualify(reason, stream, stoppedEarly: true))
        }
        guard let handle = opened else {
            throw CaptureError.cannotOpen(path: path, reason: "libpcap could not make a handle: \(POSIXFile.describe(errno))")
        }
        self.stream = stream
        self.handle = handle
        self.linkType = pcap_datalink(handle)
        self.snapshotLength = pcap_snapshot(handle)
        if sectionsOnly { return }
        if records == .inPlace, let prefix = stream.capturePrefix {
            if let format = PcapRecordFormat(magic: prefix, handle: handle) {
                recordFormat = .pcap(format)
            } else if let start = stream.startOffset, prefix.starts(with: [0x0A, 0x0D, 0x0D, 0x0A]),
                      let format = PcapngRecordFormat(handle: handle, descriptor: fileno(stream.file), start: start,
                                                      end: Int64(ftello(stream.file))) {
                recordFormat = .pcapng(format)
                statistics = PcapngStatistics(swapped: format.swapped)
                interfacesAtStart = format.interfacesBeforeFirstPacket(descriptor: fileno(stream.file),
                                                                       from: Int64(ftello(stream.file)))
            }
        }
        if let tap = stream.tap, tap.follower.isPcapng {
            tap.lookAhead()
            interfacesAtStart = tap.follower.interfacesBeforeFirstPacket
            readsThroughTap = true
        }
    }

    /// The input is a pcapng of section headers (and perhaps other blocks) but no Interface
    /// Description Block up to its end, as `editcap -r in.pcapng out.pcapng 0` writes when no
    /// packet is kept: libpcap refuses to open it ("the capture file has no Interface
    /// Description Blocks"), tshark reads it as an empty capture, and so does dasaudit: no
    /// packets, and no link type (`linkType` is a stand-in).
    public private(set) var sectionsOnly = false

    /// libpcap's message for a pcapng that ends before any interface is described (an
    /// interface-less block cut short or a packet before any interface gives another).
    static func describesNoInterface(_ message: String) -> Bool {
        message.contains("has no Interface Description Blocks")
    }

    /// Who reads a pcap or pcapng file's records: dasaudit, in place in a megabyte of the
    /// file (`readPcapRecords`, `readPcapngRecords`), or libpcap's `pcap_next_ex`. Other
    /// inputs are always libpcap's.
    public enum RecordReading: Sendable {
        case inPlace
        case libpcap
    }

    /// How many interfaces a pcapng describes before its first packet (`dumpcap -i a -i b`
    /// describes each), when its packets name the interface they came from
    /// (`PacketHeader.interface`): read in place, or through its tap (`PcapngBlockTap`: a
    /// pipe, a compressed file); 0 for other inputs.
    public private(set) var interfacesAtStart = 0

    /// Whether dasaudit reads this input's records itself (see `RecordReading`).
    public var readsRecordsInPlace: Bool { recordFormat != nil }

    /// The first bytes of a capture read once (standard input, a FIFO; not compressed), read
    /// ahead for its sample before it is read (`LookAhead`), handed over once; nil for other
    /// inputs, which can be read again (`CapturedBytes` reads them).
    public func takeLookAhead() -> [UInt8]? { stream.takeLookAhead() }

    /// The file as it was opened, for a regular file: compared with later looks to learn
    /// whether it changed while it was audited (`FileVersion`).
    public var openedVersion: FileVersion? { stream.version }

    /// What the file says its recorder lost (`RecordedDrops`, summed over its interfaces),
    /// once it has been read: known only for a pcapng whose every block dasaudit saw
    /// (`statisticsRead`), from a file or through its tap; nil otherwise.
    public var recordedDrops: RecordedDrops? {
        statisticsRead ? (readsThroughTap ? stream.tap?.follower.statistics : statistics)?.total : nil
    }
    /// The statistics blocks of a pcapng file read in place, noted as it is read.
    @usableFromInline var statistics: PcapngStatistics?
    /// Where the reading in place handed the file to libpcap, for `PcapngStatistics.walk`.
    @usableFromInline var handedOverAt: Int64?

    /// Whether the input is a pcapng (libpcap gives its sections' major version, 1, where
    /// a pcap file's is 2), compressed or not.
    public var isPcapng: Bool { pcap_major_version(handle) == 1 }

    /// Whether dasaudit saw every block of this pcapng, statistics blocks included: it read
    /// the file in place to its end, or read again after libpcap what it had handed it; or
    /// libpcap read a piped or decompressed one to its end, every block through the tap.
    public var statisticsRead: Bool {
        readsThroughTap ? tappedStreamRead && stream.tap?.follower.statistics?.complete == true : statistics?.complete == true
    }

    /// libpcap read a tapped stream to its end without an error.
    @usableFromInline var tappedStreamRead = false

    /// Sees the bytes of the file as they are read, when dasaudit reads them in place
    /// (`readsRecordsInPlace`, a file rather than a pipe); never told otherwise.
    public var windowObserver: (any ReadWindowObserver)?

    deinit {
        pcap_close(handle)
        filter?.free()
    }

    /// Reads only the packets `filter` (tcpdump's syntax) matches from now on: run on each
    /// packet read, whoever reads it (`CaptureFilter.Program`, as libpcap runs it). Throws
    /// `CaptureError.cannotOpen` when it does not compile for this file's link type.
    public func setFilter(_ filter: String) throws {
        let problem = "the capture filter '\(filter)' does not apply to its link type \(linkTypeName): "
        switch CaptureFilter.compile(filter, for: handle) {
        case .success(let program):
            // libpcap is given the program only when it reads on its own (`libpcapTakesOver`):
            // stepping in for a block of a file read in place, it is to hand over its next
            // packet, which `forEachPacket` filters.
            // An input of sections only is never read (and a dead handle takes no filter).
            if recordFormat == nil, !sectionsOnly, pcap_setfilter(handle, program.code) != 0 {
                program.free()
                throw CaptureError.cannotOpen(path: path, reason: problem + String(cString: pcap_geterr(handle)))
            }
            self.filter?.free()
            self.filter = program
        case .failure(let failure):
            throw CaptureError.cannotOpen(path: path, reason: problem + failure.reason)
        }
    }

    /// The filter run on every packet read in place before it is handed on (`setFilter`).
    @usableFromInline var filter: CaptureFilter.Program?

    /// The input is a pcapng whose blocks its tap follows (`PcapngBlockTap`).
    @usableFromInline var readsThroughTap = false

    /// The interface of the packet libpcap has just returned from a tapped stream
    /// (`PcapngBlockTap`).
    @usableFromInline
    func interfaceOfPacketJustRead() -> UInt32? {
        stream.tap?.interfaceOfPacketJustRead(filtered: filter != nil, file: stream.file)
    }

    /// libpcap reads the rest of the file: with the filter, if there is one.
    @usableFromInline
    func libpcapTakesOver() {
        recordFormat = nil
        if let filter { pcap_setfilter(handle, filter.code) }
    }

    /// The name libpcap gives the link type (`EN10MB`, `LINUX_SLL2`, ...).
    public var linkTypeName: String {
        guard let name = pcap_datalink_val_to_name(linkType) else { return "DLT \(linkType)" }
        return String(cString: name)
    }

    /// Calls `body` with each packet's header and its captured bytes, until the input
    /// ends, `breakLoop()` is called or the reading is stopped (`InputStop`; both
    /// `.interrupted`), or libpcap fails. The bytes are only valid inside the call.
    @inlinable
    public func forEachPacket(_ body: (PacketHeader, UnsafeRawBufferPointer) throws -> Void) rethrows -> ReadEnd {
        func deliver(_ packet: PacketHeader, _ bytes: UnsafeRawBufferPointer) throws -> Bool {
            if let filter, !filter.matches(packet, bytes) { return true }
            try body(packet, bytes)
            delivered &+= 1
            return !breakRequested
        }
        if sectionsOnly { return endOfStream() }
        let inPlace: InPlaceReadEnd?
        switch recordFormat {
        case .pcap(let format):
            inPlace = try readPcapRecords(from: stream.file, format: format, observer: windowObserver, cutsOnStop: isCutOnStop,
                                          deliver)
        case .pcapng: inPlace = try readPcapngInPlace(deliver)
        case nil: inPlace = nil
        }
        switch inPlace {
        case _ where cutByStop: return .interrupted
        case .endOfFile: return endOfStream()
        case .stopped: return .interrupted
        case .failed(let message): return failure(message)
        case .handOver(let offset):
            // libpcap reads on from that block, with the state it kept since the header.
            libpcapTakesOver()
            handedOverAt = offset
            guard offset >= 0, fseeko(stream.file, off_t(offset), SEEK_SET) == 0 else {
                return failure("error reading dump file: " + POSIXFile.describe(errno))
            }
        case .libpcapReadsOn, nil:
            break
        }
        let (status, brokenByStop) = try InputStop.whileLibpcapReads(isCutOnStop ? handle : nil) {
            try packetLoop(handle, fractionScale: 1) { header, bytes in  // opened at nanosecond precision
                var packet = header
                if readsThroughTap { packet.interface = interfaceOfPacketJustRead() }
                try body(packet, bytes)
                delivered &+= 1
            }
        }
        // A pipe's tap ended the stream at the stop: cut there, even mid-packet.
        if cutByStop { return .interrupted }
        // For a file libpcap says "break" both at the end and after pcap_breakloop.
        if status == PCAP_ERROR_BREAK && !breakRequested, let handedOverAt {
            // libpcap never shows the statistics blocks: read them from where it took over.
            statistics?.walk(descriptor: fileno(stream.file), from: handedOverAt)
        }
        if status == PCAP_ERROR_BREAK {
            if breakRequested || (brokenByStop && feof(stream.file) == 0) { return .interrupted }
            let end = endOfStream()
            tappedStreamRead = readsThroughTap && end == .endOfInput
            return end
        }
        return failure(String(cString: pcap_geterr(handle)))
    }

    /// Whether a stop of the reading (`InputStop`) cuts this input where dasaudit reads it in
    /// place: a file; a pipe's tap (`PcapngBlockTap`) ends its stream itself.
    @usableFromInline var isCutOnStop: Bool { stream.tap == nil }

    /// Whether a stop of the reading ended a pipe's stream before its writer did.
    @usableFromInline var cutByStop: Bool { stream.tap?.cutByStop == true }

    /// Makes the current `forEachPacket` return `.interrupted` after the packet in hand.
    public func breakLoop() {
        breakRequested = true
        pcap_breakloop(handle)
    }

    /// The end of the stream as libpcap saw it, unless the decompressor behind it failed:
    /// then the stream was cut short, even if it ended between two packets.
    @usableFromInline
    func endOfStream() -> ReadEnd {
        guard let problem = stream.decompressor?.finish(stoppedEarly: false) else { return .endOfInput }
        return .failed(reason: "the \(stream.origin ?? "compressed") stream is cut short or corrupt (\(problem))")
    }

    /// Why libpcap stopped reading, with what the decompressor said if there is one. The
    /// decompressor may still be writing (libpcap gave up on a corrupt record), so it is
    /// stopped rather than waited for.
    @usableFromInline
    func failure(_ libpcapMessage: String) -> ReadEnd {
        .failed(reason: CaptureFile.qualify(CaptureFile.explain(libpcapMessage), stream, stoppedEarly: true))
    }

    /// `reason` for a compressed input: which compression, and the decompressor's complaint.
    static func qualify(_ reason: String, _ stream: CaptureStream, stoppedEarly: Bool) -> String {
        guard let decompressor = stream.decompressor, let origin = stream.origin else { return reason }
        let complaint = decompressor.finish(stoppedEarly: stoppedEarly).map { "; \(decompressor.compression.command[0]) says: \($0)" } ?? ""
        return "\(reason) (in the \(origin) content\(complaint))"
    }

    /// Rewrites libpcap's terse messages into ones a user can act on.
    @usableFromInline
    static func explain(_ reason: String) -> String {
        if reason.contains("unknown file format") {
            return "not a pcap or pcapng capture (unknown file format)"
        }
        if reason.contains("file header bytes, only got 0") {
            return "empty: not even a capture file header"
        }
        if reason.contains("file header bytes") {
            return "capture is cut short inside its file header (\(reason))"
        }
        if reason.contains("truncated dump file") || reason.contains("truncated pcapng") {
            return "capture is cut short in the middle of a packet (\(reason))"
        }
        let impossibleLengths = ["invalid packet capture length", "block size", "has a length of", "has invalid length"]
        if impossibleLengths.contains(where: reason.contains) {
            return "corrupt capture: a record or block length is impossible (\(reason))"
        }
        if reason.contains("different from the type of the first interface") {
            return "its pcapng interfaces have different link types, and libpcap reads one link type per file (\(reason)); "
                + "split it into one file per link type: tshark -r FILE -Y frame.interface_id==N -w PART-N.pcapng, "
                + "then editcap -F nsecpcap -T TYPE PART-N.pcapng PART-N.pcap, TYPE the interface's (ether, rawip, "
                + "linux-sll2, ...: tshark keeps every interface's description, and editcap -T gives them one type)"
        }
        if reason.isEmpty { return "unknown libpcap error" }
        return reason
    }
}
