import Audit
import Flows
import PcapKit
import Wire

/// Reads capture inputs into one connection table, one input after another, so a
/// connection that spans rotated files stays one connection.
public struct CaptureReader {
    public private(set) var table: FlowTable
    public private(set) var inputs: [InputSummary] = []
    /// Told how far reading has got: every 65,536 packets and at the end of each input.
    public var progress: ((ReadProgress) -> Void)?
    /// Handed the connections the table let go of in its sweeps (`FlowTable.takeSweptConnections`),
    /// when it keeps them: looked for every 256 packets, and at the end of each input. What
    /// lets `dasaudit flows` write the connections as they end instead of holding them all.
    public var swept: (([Connection]) -> Void)?
    /// Whether to track connections on a second thread while this one reads and decodes
    /// (`SegmentPipeline`): faster when a core is free, which `ParallelReader` works out.
    public var pipelined = false
    /// The CPU time of the tracking threads of its pipelined inputs, in seconds (0 when the
    /// reading threads tracked themselves): `dasaudit audit --timings`.
    public private(set) var trackingThreadCPU = 0.0
    /// Whether the input's evidence hash runs beside the reading (`InputHashing`): with
    /// whole packets, a pipelined reader then tracks on the reading thread and leaves the
    /// second core to the hash (`ReaderShare.forInput`).
    public var hashedAlongside = false
    /// Which thread of a pipelined reader tracks the connections; nil: as
    /// `ReaderShare.forInput` decides for the input.
    public var readerShare: ReaderShare?
    /// Told, every 65,536 packets, how many bytes of the input libpcap has read, unless
    /// pipelined: for work that should keep level with the reading (the input's evidence
    /// hash, `InputHashing.keepUp`). A pipelined reader has no time of its own to spare.
    public var pace: (@Sendable (_ path: String, _ bytesRead: Int64) -> Void)?
    /// The inputs' evidence hash. Unless pipelined, this reader keeps a pcap file's hash
    /// level with its reading from the bytes it reads in place (`FileDigest`), where
    /// `pace` would read them again; a pipelined reader's two threads leave the hash to a
    /// thread of its own, which may fall behind (docs/design.md, the evidence hash).
    public var hashing: InputHashing?
    /// A BPF filter (tcpdump's syntax): only the packets it matches are read.
    public var filter: String?
    /// Whether a reading thread that tracks its own connections adds them a batch at a
    /// time once its table is large (`SegmentBatch`): on, except for the one-by-one
    /// reference that tests compare the batches with.
    public var tracksInBatches = true
    /// The input's packets of moments ago, when it is a capture on every interface
    /// (`tcpdump -i any`) or a pcapng of several: what sets aside a copy of a packet captured
    /// again on another interface (`InterfaceCopies`). Each input starts with an empty one,
    /// unless it is the next piece of the same recording (`RecordingPiece`).
    private var copies = InterfaceCopies()
    /// The connections seen again after address translation, when the input is a capture on
    /// every interface (`TranslatedCopies`). Each input starts with the fronts of the one
    /// before, whose connections may go on in it, and nothing else.
    private var translatedCopies = TranslatedCopies()
    /// The input's large segments received moments ago, whose pieces the host sent on, when
    /// it is a capture on every interface (`SegmentedCopies`). Each input starts with an
    /// empty one, unless it is the next piece of the same recording, as `copies`.
    private var segmentedCopies = SegmentedCopies()
    /// The fragmented TCP datagrams of the current input being put together
    /// (`FragmentTable`); given up at the end of each input (`flushFragments`).
    var fragments = FragmentTable()
    /// The input before, read to its end with its copies looked for: the next input may go
    /// on with its memories (`RecordingPiece`); nil after any other.
    private var ended: RecordingPiece.End?
    /// Whether the current input kept the memories of the one before (`ended`), until its
    /// first packet tells whether it is back to back with it in time (`settleContinuation`).
    private var awaitsFirstPacket = false
    /// Whether the current input's packets name one of several interfaces
    /// (`PacketHeader.interface`): in a pcapng of one interface, the number says nothing.
    private var interfacesNamed = false
    /// The segments of an input whose packets name one of several interfaces, held to be
    /// tracked in time order (`TimeOrderBuffer`); empty at the end of each input.
    private var timeOrder = TimeOrderBuffer()
    /// Whether copies are looked for in captures of every link type, not only in captures
    /// on every interface (`dasaudit audit --deduplicate`; `InterfaceCopies`).
    public var deduplicates = false
    /// Whether the current input's first segments held copies (`InputSample`): its copies
    /// are looked for as with `deduplicates`, and its summary says how many were dropped.
    private var copiesFoundBySample = false
    /// Whether the current input's TCP checksums are judged (`TCPSegment.judgeChecksum`):
    /// not when its sample showed them not computed over its bytes (`InputSample`: an
    /// anonymized or rewritten capture), whose segments would otherwise all be set aside.
    private var judgesChecksums = true
    /// The UDP ports besides 4789 and 8472 opened as VXLAN (`dasaudit audit --vxlan-port`),
    /// handed to each input's decoder.
    public var vxlanPorts = VXLANPorts()

    /// A reader whose table keeps every connection (`table.finish(rules:)` lists them all).
    public init() {
        table = FlowTable()
    }

    /// A reader whose table evicts ended and idle connections into per-service statistics
    /// (`table.statistics()`), oriented by `rules`: memory bounded by the connections open
    /// at once, not by the capture's length (see `FlowTable`, `FlowLimits`).
    /// `continuesEarlierInput`: this reader reads inputs that come after another reader's,
    /// to be merged into it with `absorb` (see `FlowTable.continuesEarlierInput`).
    /// `keepingConnections`: keep every connection for `table.connections()` as well.
    public init(rules: DirectionRules, limits: FlowLimits = .standard, continuesEarlierInput: Bool = false,
                keepingConnections: Bool = false) {
        table = FlowTable(rules: rules, limits: limits, continuesEarlierInput: continuesEarlierInput,
                          keepingConnections: keepingConnections)
    }

    /// Reads one input. An input that cannot be opened or is cut short is recorded with
    /// its error; the packets read before a cut still count. After a stop of the reading
    /// (`InputStop`: Ctrl-C) an input is cut where it stands, and one not opened yet is not
    /// read: each is incomplete, with what the stop did to it as its error. A second reading
    /// of inputs a stop cut during the first (`InputStop.replay`) cuts each at the same point.
    public mutating func read(path: String) {
        let cut = InputStop.replayedCut(of: path)
        if InputStop.isRequested || cut == .notRead {
            inputs.append(InputSummary(path: path, packets: 0, tcpSegments: 0, skipped: [:], complete: false,
                                       error: InputStop.notRead(path)))
            return
        }
        let file: CaptureFile
        do {
            file = try CaptureFile(path: path)
            if let filter { try file.setFilter(filter) }
        } catch {
            inputs.append(InputSummary(path: path, packets: 0, tcpSegments: 0, skipped: [:], complete: false,
                                       error: "\(error)"))
            return
        }
        // The input's hash holds only if the file stood still while it was read.
        defer { hashing?.noteAudited(path, opened: file.openedVersion, ended: FileVersion(path: path)) }
        let linkType = LinkType(rawValue: file.linkType)
        guard linkType.isSupported else {
            inputs.append(InputSummary(
                path: path, linkType: file.linkType, linkTypeName: file.linkTypeName, snaplen: file.snapshotLength,
                packets: 0, tcpSegments: 0,
                skipped: [:], complete: false,
                error: "\(path): link type \(file.linkTypeName) (\(file.linkType)) is not supported; "
                    + "dasaudit reads \(LinkType.supportedKinds(live: false)) captures"))
            return
        }
        let decoder = PacketDecoder(linkType: linkType, vxlanPorts: vxlanPorts)
        let piece = RecordingPiece(file)
        let continuing = ended?.mayContinue(into: piece) == true
        if !continuing { ended = nil }
        // A file is sampled by reading its start again; a capture read once, from the bytes
        // read ahead of it.
        let lookAhead = file.takeLookAhead()
        let sampled = samples(path) || lookAhead != nil
        let countingCopies = sampled && samplesCopies(of: file, decoder: decoder)
        let sample = if let lookAhead {
            InputSample.of(bytes: lookAhead, filter: filter, decoder: decoder, countingCopies: countingCopies)
        } else if sampled {
            InputSample.of(path: path, filter: filter, decoder: decoder, countingCopies: countingCopies)
        } else {
            nil as InputSample?
        }
        copiesFoundBySample = countingCopies && sample?.holdsCopies == true
        judgesChecksums = sample?.checksumsNotComputed != true
        expectCopies(of: decoder, interfacesNamed: file.interfacesAtStart > 1, continuing: continuing)
        awaitsFirstPacket = continuing
        var counts = PacketCounts()
        let (retractedBefore, badChecksumsBefore) = (table.retracted, table.badChecksums)
        let meter = progress.map { ProgressMeter(path: path, file: file, report: $0) }
        let pace = pipelined ? nil : self.pace
        let tick = { (packets: UInt64) in
            meter?.tell(packets: packets, finished: false)
            if let pace, let consumed = file.bytesConsumed { pace(path, consumed) }
        }
        // The packet loop: count, decode in place, track. Nothing in it allocates. A replayed
        // cut stops it before the packet past the first reading's (`breakLoop`: interrupted).
        var limit = UInt64.max
        if case .after(let packets) = cut { limit = packets }
        let end: ReadEnd
        let share = readerShare ?? ReaderShare.forInput(snapshotLength: Int(file.snapshotLength),
                                                        hashedAlongside: hashedAlongside)
        if !pipelined { file.windowObserver = hashing?.digest(for: path) }
        if pipelined && share == .trackingThreadTakesAll {
            end = readPipelined(file, decoder: decoder, counts: &counts, limit: limit, tick: tick)
        } else {
            let batch = SegmentBatch(gathering: tracksInBatches)
            end = file.forEachPacket { header, bytes in
                guard counts.packets < limit else { return file.breakLoop() }
                consume(header, bytes, decoder: decoder, counts: &counts, batch: batch)
                if counts.packets & 0xFF == 0 {
                    handOverSwept()
                    if counts.packets & 0xFFFF == 0 { tick(counts.packets) }
                }
            }
            flushFragments(counts: &counts, batch: batch)
            releaseHeld(all: true) { table, segment, payload, timestamp, wireLength in
                batch.add(segment, payload: payload, timestamp: timestamp, wireLength: wireLength, to: &table)
            }
            flush(batch)
        }
        timeOrder.startOver()
        handOverSwept()
        meter?.tell(packets: counts.packets, finished: true)
        var error: String?
        switch end {
        case .failed(let reason): error = "\(CaptureError.readFailed(path: path, reason: reason, packetsRead: file.packetsRead))"
        case .interrupted: error = InputStop.cut(path, packetsRead: counts.packets)  // the stop, or its replayed cut
        case .endOfInput: break
        }
        // An input whose copies only its sample turned on is no piece of a recording whose
        // copies the next input would go on with (`RecordingPiece` does not group it either).
        ended = copies.isActive && !copiesFoundBySample && end == .endOfInput && counts.packets > 0
            ? RecordingPiece.End(piece: piece, lastSeen: counts.latest,
                                 outOfOrder: max(counts.outOfOrder, ended?.outOfOrder ?? 0)) : nil
        awaitsFirstPacket = false
        let (drops, source) = Drops.recorded(in: file)
        // A pcapng without an interface has no link type nor snapshot length (its handle's are stand-ins).
        var summary = counts.summary(path: path, linkType: file.sectionsOnly ? nil : file.linkType,
                                     linkTypeName: file.sectionsOnly ? nil : file.linkTypeName,
                                     snaplen: file.sectionsOnly ? nil : file.snapshotLength, error: error,
                                     drops: drops, dropsSource: source, translations: translations)
        summary.countUntracked(by: table, retractedBefore: retractedBefore, badChecksumsBefore: badChecksumsBefore)
        if copiesFoundBySample { summary.duplicatesFoundBySample = counts.skipped[.duplicate] }
        if !judgesChecksums, let sample {
            summary.checksumsNotJudged = WrongChecksums(wrong: UInt64(sample.wrongChecksums),
                                                        judged: UInt64(sample.judgedChecksums))
        }
        judgesChecksums = true
        inputs.append(summary)
    }

    /// Whether the input at `path` is sampled by reading its start again (`InputSample`): a
    /// regular file. Standard input and FIFOs are read once, and sampled from the bytes read
    /// ahead of them (`CaptureFile.takeLookAhead`).
    private func samples(_ path: String) -> Bool {
        path != "-" && FileVersion(path: path) != nil
    }

    /// Whether the copies of a sampled `file`, read with `decoder`, are to be looked for on
    /// its sample (`InputSample`): when they would not be looked for otherwise: not with
    /// `deduplicates`, not a capture on every interface, not a pcapng whose packets name one
    /// of several interfaces.
    private func samplesCopies(of file: CaptureFile, decoder: PacketDecoder) -> Bool {
        !deduplicates && !decoder.capturesEveryInterface && file.interfacesAtStart <= 1
    }

    /// Hands `swept` what the table let go of since the last time.
    private mutating func handOverSwept() {
        guard let swept else { return }
        let connections = table.takeSweptConnections()
        if !connections.isEmpty { swept(connections) }
    }

    /// Hands `swept` the rest, once every input is read: the last round's connections and
    /// those still held (`FlowTable.handOverUnswept`).
    public mutating func handOverUnswept() {
        guard let swept else { return }
        table.handOverUnswept(to: swept)
    }

    /// Starts the copies memories for an input `decoder` reads: looked at when it is a
    /// capture on every interface, a capture of several interfaces whose packets name theirs
    /// (`interfacesNamed`: a pcapng of several), or with `deduplicates`
    /// (`InterfaceCopies`; the translations and segments only for a capture on every
    /// interface, whose packets say whether they were sent). `continuing`: the input may be
    /// the next piece of the recording the input before was (`RecordingPiece`), whose
    /// packets of moments ago are kept until its first packet says (`settleContinuation`).
    mutating func expectCopies(of decoder: PacketDecoder, interfacesNamed: Bool = false, continuing: Bool = false) {
        translatedCopies = TranslatedCopies(for: decoder, continuing: translatedCopies)
        if !continuing { forgetCopies(of: decoder, interfacesNamed: interfacesNamed) }
    }

    /// Empties the memories of copies and segments, for an input `decoder` reads.
    private mutating func forgetCopies(of decoder: PacketDecoder, interfacesNamed: Bool) {
        self.interfacesNamed = interfacesNamed
        copies = InterfaceCopies(for: decoder, everyLinkType: deduplicates || interfacesNamed || copiesFoundBySample)
        segmentedCopies = SegmentedCopies(for: decoder)
    }

    /// At the first packet of an input that kept the memories of the one before: keeps
    /// them if it came back to back with that input's last (`RecordingPiece.End`), empties
    /// them otherwise (two captures made at the same time, given one after the other).
    @inline(never)
    private mutating func settleContinuation(at time: Int64, decoder: PacketDecoder) {
        awaitsFirstPacket = false
        guard let ended, !ended.continues(at: time) else { return }
        self.ended = nil
        forgetCopies(of: decoder, interfacesNamed: ended.piece.interfaces > 1)
    }

    /// The first packet of a later section of a pcapng names an interface of its own
    /// (`PacketHeader.interface`, numbered over the whole file): a file whose first section
    /// described one interface (`cat a.pcapng b.pcapng`) has its copies looked for from
    /// there on, as one whose first section described several.
    @inline(never)
    private mutating func expectNamedInterfaces(of decoder: PacketDecoder) {
        forgetCopies(of: decoder, interfacesNamed: true)
    }

    /// The current input's connections audited in their view after address translation, by
    /// translation (`TranslatedCopies.byName`).
    var translations: [String: UInt64] { translatedCopies.byName }

    /// The table, moved out of this reader (which keeps an empty one): the caller then holds
    /// the only reference, so folding it (`FlowTable.takeStatistics`) copies nothing.
    public mutating func takeTable() -> FlowTable {
        let taken = table
        table = FlowTable()
        return taken
    }

    /// Adds what `other` read, as if its inputs had been read after this reader's
    /// (`FlowTable.absorb`): how `ParallelReader` merges inputs read at once.
    ///
    /// A connection that goes on into `other`'s inputs, whose front view this reader's
    /// inputs found (`TranslatedCopies`), is taken out of `other`'s table first: its
    /// packets there are counted as `translated` in `other`'s first input.
    public mutating func absorb(_ other: CaptureReader) {
        var other = other
        if let first = other.inputs.indices.first {
            let before = other.table.retracted
            other.table.retractContinuations { translatedCopies.isFront($0) }
            other.inputs[first].countUntracked(by: other.table, retractedBefore: before, badChecksumsBefore: other.table.badChecksums)
        }
        translatedCopies.adoptFronts(of: other.translatedCopies)
        // The memories of copies as the last input read left them.
        (copies, segmentedCopies, interfacesNamed, ended) =
            (other.copies, other.segmentedCopies, other.interfacesNamed, other.ended)
        table.absorb(other.table)
        inputs.append(contentsOf: other.inputs)
        trackingThreadCPU += other.trackingThreadCPU
    }

    /// Reads `file` with a tracking thread beside this one (`SegmentPipeline`), which takes
    /// this reader's table for the time of the input (no copy of it stays here) and tracks
    /// every segment this thread decodes.
    private mutating func readPipelined(_ file: CaptureFile, decoder: PacketDecoder,
                                        counts: inout PacketCounts, limit: UInt64, tick: (UInt64) -> Void) -> ReadEnd {
        let pipeline = SegmentPipeline(table: table)
        table = FlowTable(settingsOf: table)
        pipeline.start()
        // The closure below runs for every packet. The file and the pipeline outlive the
        // loop, so it holds them unretained: held as usual, Swift retained and released the
        // pipeline around each push and the file around each call (40 instructions each of
        // the reading thread's 750 a packet, counted with callgrind). An `unowned(unsafe)`
        // reference is still retained for a method call; `_withUnsafeGuaranteedRef` is not.
        unowned(unsafe) let reading = file
        let handOver = Unmanaged.passUnretained(pipeline)
        let end = withExtendedLifetime((file, pipeline)) {
            reading.forEachPacket { header, bytes in
                guard counts.packets < limit else { return reading.breakLoop() }
                consume(header, bytes, decoder: decoder, counts: &counts) { _, segment, payload, timestamp, wireLength in
                    handOver._withUnsafeGuaranteedRef {
                        $0.push(segment, payload: payload, timestamp: timestamp, wireLength: wireLength)
                    }
                } retract: { _, front in
                    handOver._withUnsafeGuaranteedRef { $0.retract(front) }
                }
                if counts.packets & 0xFFFF == 0 { tick(counts.packets) }
            }
        }
        if !fragments.isEmpty {
            flushFragments(counts: &counts) { _, segment, payload, timestamp, wireLength in
                pipeline.push(segment, payload: payload, timestamp: timestamp, wireLength: wireLength)
            } retract: { _, front in
                pipeline.retract(front)
            }
        }
        releaseHeld(all: true) { _, segment, payload, timestamp, wireLength in
            pipeline.push(segment, payload: payload, timestamp: timestamp, wireLength: wireLength)
        }
        table = pipeline.finish()
        trackingThreadCPU += pipeline.trackingCPU
        return end
    }

    /// One packet's work, shared by the file loop above and the live loop (`LiveAudit`):
    /// count it, decode it in place, track its segment in this reader's table through
    /// `batch` (`SegmentBatch`; call `flush` before the table is read). Allocates nothing.
    @inline(__always)
    mutating func consume(_ header: PacketHeader, _ bytes: UnsafeRawBufferPointer, decoder: PacketDecoder,
                          counts: inout PacketCounts, batch: SegmentBatch) {
        consume(header, bytes, decoder: decoder, counts: &counts) { table, segment, payload, timestamp, wireLength in
            batch.add(segment, payload: payload, timestamp: timestamp, wireLength: wireLength, to: &table)
        } retract: { table, front in
            batch.retract(front, from: &table)
        }
    }

    /// Adds the segments `batch` still holds to the table.
    mutating func flush(_ batch: SegmentBatch) {
        batch.flush(into: &table)
    }

    /// One packet's work with the segment and its captured payload handed to `track` (with
    /// this reader's table, the segment's time and wire length), unless it is a copy of a
    /// packet captured moments before on another interface (`copies`), a piece of a segment
    /// received whole (`segmentedCopies`), or of a connection's view before address
    /// translation (`translatedCopies`, whose earlier view of a connection `retract` takes
    /// back). A fragment of TCP goes to `fragments`, which hands over its datagram's segment
    /// once the datagram is there.
    @inline(__always)
    mutating func consume(_ header: PacketHeader, _ bytes: UnsafeRawBufferPointer, decoder: PacketDecoder,
                          counts: inout PacketCounts,
                          track: (inout FlowTable, TCPSegment, UnsafeRawBufferPointer, Int64, UInt32) -> Void,
                          retract: (inout FlowTable, TCPSegment) -> Void) {
        counts.add(header)
        if awaitsFirstPacket { settleContinuation(at: header.timestamp, decoder: decoder) }
        let uncaptured = Int(header.believedWireLength) &- bytes.count
        switch decoder.decode(bytes, uncaptured: uncaptured) {
        case .segment(var segment):
            if judgesChecksums { segment.judgeChecksum(in: bytes) }
            trackDecoded(segment, payload: segment.capturedPayload(in: bytes), at: header.timestamp,
                         wireLength: header.believedWireLength, header: header, bytes: bytes, decoder: decoder,
                         counts: &counts, track: track, retract: retract)
        case .skipped(let reason):
            // Headers that end early in a packet captured whole were sent so: malformed, not
            // cut by the snapshot length, which is what `truncated` counts (and what leaves
            // the input incomplete, `InputSummary.cutBeforeTCP`).
            counts.skip(reason == .truncated && uncaptured <= 0 ? .malformed : reason)
        case .udp(let datagram):
            counts.skip(.notTCP)
            counts.udp.add(datagram)
        case .fragment(let fragment):
            join(fragment, header, bytes, decoder: decoder, counts: &counts, track: track, retract: retract)
        }
    }

    /// A decoded (or joined) segment to `track`, unless it is a copy, a piece or a front
    /// view (`consume`). `bytes` and `decoder` are the packet it came with and its decoder,
    /// for the link header's direction and interface; nil at the end of an input.
    @inline(__always)
    mutating func trackDecoded(
        _ segment: TCPSegment, payload: UnsafeRawBufferPointer, at timestamp: Int64, wireLength: UInt32,
        header: PacketHeader, bytes: UnsafeRawBufferPointer, decoder: PacketDecoder?, counts: inout PacketCounts,
        track: (inout FlowTable, TCPSegment, UnsafeRawBufferPointer, Int64, UInt32) -> Void,
        retract: (inout FlowTable, TCPSegment) -> Void
    ) {
        if let decoder {
            if !copies.isActive, let named = header.interface, named > 0 { expectNamedInterfaces(of: decoder) }
            if copies.isActive {
                // A piece is told first, so that it is not remembered among the copies'
                // originals: the sender's retransmission of the same bytes, received later
                // with the same numbers, length and (offloaded) checksum, is a packet of its
                // own, not a copy of the piece.
                if segmentedCopies.isActive
                    && segmentedCopies.isPiece(segment, outgoing: decoder.isOutgoing(bytes), at: header.timestamp) {
                    return counts.skip(.duplicate)
                }
                let interface = decoder.interfaceIndex(of: bytes) ?? (interfacesNamed ? header.interface : nil)
                if copies.isCopy(segment, in: bytes, interface: interface, at: header.timestamp) {
                    return counts.skip(.duplicate)
                }
                if translatedCopies.isActive {
                    switch translatedCopies.classify(segment, outgoing: decoder.isOutgoing(bytes), at: header.timestamp) {
                    case .own: break
                    case .front: return counts.skip(.translated)
                    case .translates(let front):
                        releaseHeld(all: true, track: track)
                        retract(&table, front)
                    }
                }
            }
        }
        counts.countTracked(segment)
        if interfacesNamed {
            return trackInTimeOrder(segment, payload: payload, at: timestamp, wireLength: wireLength, track: track)
        }
        track(&table, segment, payload, timestamp, wireLength)
    }

    /// A segment of an input whose packets name one of several interfaces: held, and the
    /// held segments that are due handed to `track` in time order (`TimeOrderBuffer`). Out
    /// of line: inlined into the packet loop of every input, it made the loop retain and
    /// release on every packet (the reading thread 674.7 -> 1,129.8 M instructions on a
    /// million packets of one interface).
    @inline(never)
    mutating func trackInTimeOrder(_ segment: TCPSegment, payload: UnsafeRawBufferPointer, at timestamp: Int64,
                                   wireLength: UInt32,
                                   track: (inout FlowTable, TCPSegment, UnsafeRawBufferPointer, Int64, UInt32) -> Void) {
        if timeOrder.stepsBack(to: timestamp) {
            releaseHeld(all: true, track: track)
            timeOrder.startOver()
        }
        timeOrder.hold(segment, payload: payload, timestamp: timestamp, wireLength: wireLength)
        releaseHeld(all: false, track: track)
    }

    /// Hands `track` the segments `timeOrder` holds that are due, earliest first, or all of
    /// them (`all`: the input ends, or a translation is taken back in its place). Out of
    /// line, as `trackInTimeOrder`.
    @inline(never)
    mutating func releaseHeld(all: Bool,
                              track: (inout FlowTable, TCPSegment, UnsafeRawBufferPointer, Int64, UInt32) -> Void) {
        while let (entry, sample) = timeOrder.release(all: all) {
            sample.withBytes { track(&table, entry.segment, $0, entry.timestamp, entry.wireLength) }
        }
    }
}
