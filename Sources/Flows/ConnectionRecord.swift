import Protocols
import Wire

/// The running state of one connection while packets arrive, kept per canonical side
/// (a = the lower endpoint, b = the higher). Fixed size: no allocation per packet.
/// BitwiseCopyable: the table keeps records in raw memory, copies them bit for bit and
/// frees them without deinitializing (`FlowStorage`).
public struct ConnectionRecord: Sendable, BitwiseCopyable {
    public let key: ConnectionKey
    /// Where a's captured bytes would reach in its sequence space, less `payloadFromA`
    /// (`sequenceBaseFromB`: b's): `sequenceBaseFromA &+ payloadFromA` is the sequence number
    /// after a's captured bytes, had the capture held each byte a sent once. Set by a's first
    /// segment (its sequence number, one more for a SYN, plus its payload, less the payload
    /// counted so far), so a connection picked up mid-stream has one too (`sequenceFromA` in
    /// `sideMarks` says it is set). An acknowledgment from b beyond it acknowledges bytes of
    /// a that the capture never held (`trackSequence`). In the bytes the key leaves before
    /// `clientInitialSequence` (its two addresses, then its two ports: 36 bytes), as
    /// `sequenceBaseFromB` is in those after.
    @usableFromInline var sequenceBaseFromA: UInt32 = 0
    /// The client's initial sequence number, from the same handshake packet (a SYN's
    /// sequence number, or a SYN-ACK's acknowledgment number minus one); meaningful only
    /// when `clientIsA` is set. With the endpoints it names the connection across capture
    /// points, whose clocks differ (docs/merge.md). Declared next to the key, whose last
    /// bytes leave room for it, so that the record stays 128 bytes with the server's too.
    public var clientInitialSequence: UInt32 = 0
    /// As `sequenceBaseFromA`, of b's bytes.
    @usableFromInline var sequenceBaseFromB: UInt32 = 0
    public var packetsFromA: UInt64 = 0
    public var packetsFromB: UInt64 = 0
    /// Frame bytes as on the wire (the record's `len`), per direction.
    public var bytesFromA: UInt64 = 0
    public var bytesFromB: UInt64 = 0
    /// TCP payload bytes per direction.
    public var payloadFromA: UInt64 = 0
    public var payloadFromB: UInt64 = 0
    public var firstSeen: Int64
    public var lastSeen: Int64
    /// Control bits seen from each side (see `Seen`).
    public var seenFromA: Seen = []
    public var seenFromB: Seen = []
    /// The side that opened the connection, from the first handshake packet seen.
    public var clientIsA: Bool?
    /// Bits: which sides' first payload was seen (`sampleTakenFromA`, `sampleTakenFromB`:
    /// their samples are in the table's sample pool, at `sampleSlot`), `openedWithSyn`,
    /// `mayContinue`, `isRecognized`, and in the top three the `tunnel`. One byte, so that
    /// the record stays 128 bytes, two cache lines.
    @usableFromInline var bits: UInt8 = 0
    /// The server's initial sequence number, from its SYN-ACK; meaningful only when the
    /// server's side has `Seen.synAck` (and no simultaneous open mixed the two sides'). With `clientInitialSequence` it tells whether a
    /// side's first captured payload begins its stream (`beginsStream`). In a record whose
    /// first segment was no SYN, until a SYN-ACK comes, that segment's acknowledgment
    /// number (`firstAcknowledgment`).
    public var serverInitialSequence: UInt32 = 0
    /// Where the table keeps this record's payload samples (0: none taken); once they are
    /// recognized (`isRecognized`), what they said instead (`recognizedEvidence`).
    @usableFromInline var sampleSlot: UInt32 = 0
    /// The 802.1Q VLAN id of the first packet (12 bits), `noVLAN` for none: a plain
    /// `UInt16?` took a third byte for its tag, which `marks` holds instead.
    @usableFromInline var vlanID: UInt16 = ConnectionRecord.noVLAN
    /// Bits for the connection, in the byte `vlanID` leaves: `firstLooksHandMadeBit`.
    @usableFromInline var marks: UInt8 = 0
    /// Bits per side, in the byte before the record's 128th:
    /// `resetWithAckFromA` and `resetWithAckFromB` (`resetsWithAck`), the late samples
    /// (`lateSamples`), whose sides' sequence ends are set (`sequenceFromA`,
    /// `sequenceFromB`), `missedDataBit`, and `unconfirmedBaseBit`.
    @usableFromInline var sideMarks: UInt8 = 0

    /// The sides (`resetWithAckFromA`, `resetWithAckFromB`) that sent a RST carrying an
    /// ACK: what tells a refusal of a SYN (RFC 9293 3.10.7.1: a RST answering a segment
    /// without ACK carries one) from a RST without ACK, which answered a segment that had an
    /// ACK, such as a previous connection's late ACK (`wasRefused`). `Seen` has no bit left
    /// for it: `withoutAck` says a RST without ACK was sent, not that none with one was.
    @inlinable var resetsWithAck: UInt8 {
        get { sideMarks & (Self.resetWithAckFromA | Self.resetWithAckFromB) }
        set { sideMarks = sideMarks & ~(Self.resetWithAckFromA | Self.resetWithAckFromB) | newValue }
    }

    /// The sides (`sampleTakenFromA`, `sampleTakenFromB`) whose sample is a payload captured
    /// before the first one they sent (`beginsStream`): the capture caught a later segment
    /// first, on a network that reordered them, or a keep-alive probe's byte. Such a side
    /// is not in `samplesTaken`: its sample is taken again when its first segment arrives
    /// (`takeSample`), and the connection is not recognized before. Two bits of `sideMarks`.
    @inlinable var lateSamples: UInt8 {
        get { sideMarks >> Self.lateSampleShift & Self.bothSamplesTaken }
        set {
            sideMarks = sideMarks & ~(Self.bothSamplesTaken << Self.lateSampleShift)
                | (newValue & Self.bothSamplesTaken) << Self.lateSampleShift
        }
    }

    /// Whether the other side acknowledged bytes of this connection that the capture never
    /// held (`trackSequence`): packets were lost before they were captured.
    public internal(set) var missedData: Bool {
        get { sideMarks & Self.missedDataBit != 0 }
        set { sideMarks = newValue ? sideMarks | Self.missedDataBit : sideMarks & ~Self.missedDataBit }
    }

    /// The VLAN the connection's first packet carried (`TCPSegment.vlan`), if any.
    public var vlan: UInt16? {
        get { vlanID == Self.noVLAN ? nil : vlanID }
        set { vlanID = newValue ?? Self.noVLAN }
    }

    /// `vlanID` of a record whose first packet had no VLAN tag: no 12-bit id.
    @inlinable static var noVLAN: UInt16 { 0xFFFF }

    /// Whether the record's first segment, when it was no SYN, looked hand-made
    /// (`TCPSegment.looksHandMade`: no TCP option, no DF): with `firstAcknowledgment`, what
    /// the record keeps of a probe without a SYN to tell a scanner's from a keep-alive.
    public internal(set) var firstLooksHandMade: Bool {
        get { marks & Self.firstLooksHandMadeBit != 0 }
        set { marks = newValue ? marks | Self.firstLooksHandMadeBit : marks & ~Self.firstLooksHandMadeBit }
    }

    @inlinable static var firstLooksHandMadeBit: UInt8 { 1 }
    @inlinable static var resetWithAckFromA: UInt8 { 1 }
    @inlinable static var resetWithAckFromB: UInt8 { 2 }
    @inlinable static var lateSampleShift: UInt8 { 2 }
    @inlinable static var sequenceFromA: UInt8 { 16 }
    @inlinable static var sequenceFromB: UInt8 { 32 }
    @inlinable static var missedDataBit: UInt8 { 64 }
    /// A side's sequence base was set by a segment other than a SYN (the connection picked
    /// up mid-stream) and no acknowledgment of its bytes has been captured since
    /// (`ConnectionRecord.trackSequenceAtEdges`): the first captured segment may have been
    /// a retransmission of bytes sent before the capture began. One bit for the connection:
    /// the record has no byte left for one per side.
    @inlinable static var unconfirmedBaseBit: UInt8 { 128 }
    @inlinable static var sampleTakenFromA: UInt8 { 1 }
    @inlinable static var sampleTakenFromB: UInt8 { 2 }
    @inlinable static var openedWithSynBit: UInt8 { 4 }
    @inlinable static var mayContinueBit: UInt8 { 8 }
    @inlinable static var recognizedBit: UInt8 { 16 }
    /// `Tunnel`'s raw values (0-5) sit in the bits above the flags.
    @inlinable static var tunnelShift: UInt8 { 5 }

    @inlinable static var bothSamplesTaken: UInt8 { sampleTakenFromA | sampleTakenFromB }

    /// Which sides' samples were taken (`sampleTakenFromA`, `sampleTakenFromB`).
    @inlinable var samplesTaken: UInt8 {
        get { bits & (Self.sampleTakenFromA | Self.sampleTakenFromB) }
        set { bits = bits & ~(Self.sampleTakenFromA | Self.sampleTakenFromB) | newValue }
    }

    /// The tunnel the connection's first packet came out of (`TCPSegment.tunnel`).
    public internal(set) var tunnel: Tunnel {
        get { Tunnel(rawValue: bits >> Self.tunnelShift) ?? .none }
        set { bits = bits & (1 << Self.tunnelShift - 1) | newValue.rawValue << Self.tunnelShift }
    }

    /// Whether the first packet seen was a SYN without ACK: the record starts a connection
    /// rather than continuing one whose start was missed.
    public internal(set) var openedWithSyn: Bool {
        get { bits & Self.openedWithSynBit != 0 }
        set { bits = newValue ? bits | Self.openedWithSynBit : bits & ~Self.openedWithSynBit }
    }

    /// Whether this record may continue a connection of an earlier input (see
    /// `FlowLimits.continuationWindow`): kept by its table until the tables are merged.
    @usableFromInline var mayContinue: Bool {
        get { bits & Self.mayContinueBit != 0 }
        set { bits = newValue ? bits | Self.mayContinueBit : bits & ~Self.mayContinueBit }
    }

    /// Whether the samples were recognized while the connection was open, and let go
    /// (`FlowStorage.keepSample`): `sampleSlot` then holds the evidence, not a pool slot.
    @inlinable public var isRecognized: Bool { bits & Self.recognizedBit != 0 }

    /// The pool slot of this record's samples; 0 when it has none (or they were recognized).
    @inlinable var poolSlot: Int { isRecognized ? 0 : Int(sampleSlot) }

    /// What the samples said, once recognized (`isRecognized`), else nil. Packed into
    /// `sampleSlot`: the protocol in the low byte, the TLS version (0: none) in the next.
    public internal(set) var recognizedEvidence: ProtocolEvidence? {
        get {
            guard isRecognized, let name = ProtocolName(rawValue: UInt8(truncatingIfNeeded: sampleSlot)) else { return nil }
            return ProtocolEvidence(name, tlsVersion: TLSVersion(rawValue: UInt8(truncatingIfNeeded: sampleSlot >> 8)))
        }
        set {
            guard let evidence = newValue else {
                bits &= ~Self.recognizedBit
                sampleSlot = 0
                return
            }
            bits |= Self.recognizedBit
            sampleSlot = UInt32(evidence.name.rawValue) | UInt32(evidence.tlsVersion?.rawValue ?? 0) << 8
        }
    }

    /// What a RST says of its side: `rst`, and `abort` when it carries an ACK and a
    /// non-zero sequence number, `withoutAck` when it carries none; a RST with an ACK also
    /// marks its side in `resetsWithAck`. Out of line: RSTs are rare, and inlined into `add`
    /// this pushed the tracking thread's whole per-segment path (`FlowTable.addToUniqueStorage`)
    /// past the optimizer's inlining limit, 33 instructions a packet on the short shape.
    @usableFromInline @inline(never)
    mutating func noteReset(ack: Bool, sequenceNumber: UInt32, fromA: Bool) -> UInt8 {
        guard ack else { return Seen.rst.rawValue | Seen.withoutAck.rawValue }
        sideMarks |= fromA ? Self.resetWithAckFromA : Self.resetWithAckFromB
        return Seen.rst.rawValue | (sequenceNumber != 0 ? Seen.abort.rawValue : 0)
    }

    /// Handshake and teardown events seen from one side.
    public struct Seen: OptionSet, Sendable, BitwiseCopyable {
        public let rawValue: UInt8
        @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
        @inlinable public static var syn: Seen { Seen(rawValue: 1) }
        @inlinable public static var synAck: Seen { Seen(rawValue: 2) }
        @inlinable public static var fin: Seen { Seen(rawValue: 4) }
        @inlinable public static var rst: Seen { Seen(rawValue: 8) }
        /// A packet that is neither SYN nor RST: data, an ACK or a FIN.
        @inlinable public static var other: Seen { Seen(rawValue: 16) }
        /// A RST (also `rst`) that carries an ACK and a non-zero sequence number: sent by a
        /// socket that had a connection (a close with SO_LINGER 0, an abort), at the
        /// connection's own sequence number. A kernel's RST for a segment no socket takes
        /// (a SYN to a closed port, a scanner's probe) carries either an ACK and sequence
        /// number 0 (answering a segment without ACK) or no ACK (answering one with an ACK,
        /// at its acknowledgment number): RFC 9293 3.10.7.1, Linux's `tcp_v4_send_reset`.
        @inlinable public static var abort: Seen { Seen(rawValue: 32) }
        /// The side's first payload does not begin a stream, so its bytes begin nothing
        /// (`payloadFromStart`): its SYN or SYN-ACK (also `syn` or `synAck`) carried MPTCP's
        /// MP_JOIN option, so the connection is a subflow joining an MPTCP connection
        /// already open (`TCPSegment.joinsMultipathConnection`); or its first payload
        /// captured is not the first it sent (`ConnectionRecord.beginsStream`): the capture
        /// lost the segment before it, or caught a later one first, or it is a keep-alive
        /// probe's byte, sent at the sequence number before the next. Taken back when the
        /// side's first segment arrives after all (`ConnectionRecord.takeSample`).
        @inlinable public static var midStream: Seen { Seen(rawValue: 64) }
        /// A packet other than a SYN that carries no ACK. With `other` (neither SYN nor RST):
        /// no TCP stack sends one inside a connection, whose every segment after the SYN
        /// carries an ACK (RFC 9293 3.10.7), so only a scanner's hand-made probe is one:
        /// nmap's FIN, NULL and Xmas probes, hping3's `-F`; its sender is the prober,
        /// whatever its port. With `rst`: a RST that answers a segment carrying an ACK (at
        /// its acknowledgment number, RFC 9293 3.10.7.1), or a forged one (`hping3 -R`);
        /// never a refusal of a SYN, whose RST carries an ACK.
        @inlinable public static var withoutAck: Seen { Seen(rawValue: 128) }

        /// A server's side of a refusal of a SYN that was captured, as far as its control
        /// bits tell: a RST, no SYN-ACK, nothing else (whatever the RST's sequence number: a
        /// middlebox's may have any). A refusal's RST also carries an ACK, which these bits
        /// do not keep (`ConnectionRecord.wasRefused`).
        @inlinable public var isRefusal: Bool {
            rawValue & (Seen.synAck.rawValue | Seen.rst.rawValue | Seen.other.rawValue) == Seen.rst.rawValue
        }

        /// A server's side of a refusal when what it answered was not captured (no SYN seen):
        /// `isRefusal`, and no RST of a connection it had (`abort`). A server that aborts a
        /// connection idle since before the capture began sends a lone RST too, but it served.
        @inlinable public var isRefusalWithoutAbort: Bool {
            rawValue & (Seen.synAck.rawValue | Seen.rst.rawValue | Seen.other.rawValue | Seen.abort.rawValue)
                == Seen.rst.rawValue
        }

        /// A side that sent RSTs and nothing else, one at least of a connection it had
        /// (`abort`): all a capture begun while the connection idled holds of its end.
        @inlinable public var isAbortOnly: Bool {
            rawValue & ~Seen.abort.rawValue == Seen.rst.rawValue && contains(.abort)
        }

        /// A side that sent RSTs without ACK and nothing else (`withoutAck`): what a
        /// capture holds of a RST whose connection it holds nothing else of. It answered
        /// no SYN (that RST carries an ACK) and aborted no connection (`abort`): a forged
        /// RST (a spoofed flood, `hping3 -R --rand-source`), or the answer to a segment
        /// the capture did not hold.
        @inlinable public var isResetWithoutAck: Bool {
            rawValue == Seen.rst.rawValue | Seen.withoutAck.rawValue
        }

        /// A client's side that shows its SYN was answered by a SYN-ACK: an ACK, data or a
        /// FIN (`other`), which a client sends only once its handshake completed, or a
        /// SYN-ACK of its own (a simultaneous open). What tells, in a capture of the client's
        /// direction only, a connection that served from a connect nothing answered.
        @inlinable public var showsHandshakeAnswered: Bool {
            rawValue & (Seen.synAck.rawValue | Seen.other.rawValue) != 0
        }

        /// A scanner's side of a probe without a SYN (nmap's FIN, NULL, Xmas, ACK, Window
        /// or Maimon scans): packets that are neither SYN nor RST (an ACK, a FIN, or no flag
        /// at all), and nothing else.
        @inlinable public var isProbeWithoutSyn: Bool {
            rawValue & (Seen.syn.rawValue | Seen.synAck.rawValue | Seen.rst.rawValue | Seen.other.rawValue)
                == Seen.other.rawValue
        }

        /// A client's side of a connection it left half open: a RST and at most SYNs before
        /// it, never an ACK, data or a FIN (with the server's SYN-ACK, a SYN scan's probe).
        @inlinable public var isHalfOpenClose: Bool {
            rawValue & (Seen.rst.rawValue | Seen.other.rawValue | Seen.fin.rawValue) == Seen.rst.rawValue
        }
    }

    @inlinable
    public init(key: ConnectionKey, timestamp: Int64, vlan: UInt16?, tunnel: Tunnel = .none) {
        self.key = key
        self.firstSeen = timestamp
        self.lastSeen = timestamp
        self.vlan = vlan
        self.bits = tunnel.rawValue << Self.tunnelShift
    }

    /// Whether the first payload bytes of each side begin the stream they belong to: the
    /// handshake was seen (not picked up mid-stream), and neither side is `midStream` (an
    /// MPTCP subflow joining another connection, or a first payload captured that is not
    /// the first sent). What the recognizers are told (`PayloadSamples.evidence`).
    @inlinable
    public var payloadFromStart: Bool {
        clientIsA != nil && (seenFromA.rawValue | seenFromB.rawValue) & Seen.midStream.rawValue == 0
    }

    /// Whether both ends are the same address and port: a TCP self-connect. A client that
    /// connects to a port inside its own ephemeral range where nothing listens (a retry
    /// loop waiting for a service that is down) may be given that very port as its source;
    /// its SYN then reaches its own socket, which answers it as in a simultaneous open, and
    /// the connect succeeds with no server at all (`Connection.state`: `refused`).
    @inlinable
    public var isSelfConnect: Bool { key.a == key.b }

    /// Whether both sides sent a SYN without ACK: a simultaneous open (RFC 9293 3.5), two
    /// sockets that connected to each other at once with neither listening. The first SYN
    /// captured says nothing of a server then: which of the two crossing SYNs a capture
    /// point sees first depends on where it sits (`Connection`, the server side).
    @inlinable
    public var isSimultaneousOpen: Bool {
        seenFromA.rawValue & seenFromB.rawValue & Seen.syn.rawValue != 0
    }

    /// Whether the connection ended: FIN both ways, or a RST.
    @inlinable
    public var hasEnded: Bool {
        (seenFromA.rawValue | seenFromB.rawValue) & Seen.rst.rawValue != 0
            || seenFromA.rawValue & seenFromB.rawValue & Seen.fin.rawValue != 0
    }

    /// Whether a SYN (no ACK) with sequence number `sequence` starts a new connection on
    /// this 4-tuple, as TCP port reuse does: this one ended; or no handshake of it was seen
    /// (picked up mid-stream, so it ended unseen); or it was closing (a FIN seen either way)
    /// and the SYN is not its own sent again. A capture, or a rotated file, that begins
    /// between a connection's two FINs, or at its last ACK, sees the 4-tuple used again
    /// with no end in view: without the last two rules the new connection was counted into
    /// the old one.
    ///
    /// The connection's own SYN sent again (its client's initial sequence number) at
    /// `time`, less than `linger` after the record's last packet, does not start a new one
    /// after a RST either: when a client reuses its 4-tuple at once, its SYN can meet what
    /// is left of the connection before (that connection's late ACK or RST, or the server's
    /// challenge ACK, RFC 5961, which the client answers with a RST), and those end this
    /// record; the client then sends the SYN again, and the server answers it. Taken for a
    /// new connection, each such connect was two: a `reset` or `attempted` one that never
    /// was, and the real one. Nor after a refusal: a refused SYN sent again (its RST lost,
    /// or the SYN duplicated on the way) is the same connect refused again, not a second
    /// one (a client that connects again draws a new initial sequence number). Within the
    /// linger, because an ended record is held that long and no longer (`FlowTable`, whose
    /// refused records leave at once but are remembered as long, `RecentlyRefused`): a
    /// table that evicts and one that keeps every record then agree.
    @inlinable
    public func isEnded(forConnectionRequestWith sequence: UInt32, at time: Int64, linger: Int64) -> Bool {
        guard clientIsA != nil else { return true }
        if sequence == clientInitialSequence {
            return hasEnded && time &- lastSeen >= linger
        }
        return hasEnded || (seenFromA.rawValue | seenFromB.rawValue) & Seen.fin.rawValue != 0
    }

    /// The acknowledgment number of the record's first segment, when that was no SYN and no
    /// handshake came after (`FlowTable.insert` keeps it in `serverInitialSequence`): a
    /// probe without a SYN's, which tells a scanner's probes, all with one number, from a
    /// server's keep-alives, each with its connection's (`SharedAcknowledgment`).
    @inlinable
    public var firstAcknowledgment: UInt32? { openedWithSyn || clientIsA != nil ? nil : serverInitialSequence }

    /// Whether the server answered the client's SYN with a RST and nothing else
    /// (`ConnectionState.refused`): RSTs only (`Seen.isRefusal`), one of them at least with
    /// an ACK. A RST without ACK answered a segment that had one (RFC 9293 3.10.7.1), not
    /// the SYN: on a 4-tuple reused at once, the previous connection's late ACK, which the
    /// server, its socket gone, answers so while the new SYN waits for its answer.
    @inlinable
    public var wasRefused: Bool {
        guard let clientIsA else { return false }
        return (clientIsA ? seenFromB : seenFromA).isRefusal && serverSentResetWithAck
    }

    /// Whether the server's side (the side that is not the client) sent a RST with an ACK.
    @inlinable
    public var serverSentResetWithAck: Bool {
        guard let clientIsA else { return false }
        return resetsWithAck & (clientIsA ? Self.resetWithAckFromB : Self.resetWithAckFromA) != 0
    }

    /// Counts one segment travelling from a (`fromA`) or from b. Returns whether it is the
    /// first payload of its side, whose bytes the table then keeps as the side's sample.
    @inlinable @inline(__always)
    public mutating func add(_ segment: TCPSegment, fromA: Bool, timestamp: Int64, wireLength: UInt32) -> Bool {
        let flags = segment.flags
        let syn = flags.contains(.syn), ack = flags.contains(.ack), rst = flags.contains(.rst)
        var seen: UInt8 = 0
        if syn {
            seen = ack ? Seen.synAck.rawValue : Seen.syn.rawValue
            if segment.joinsMultipathConnection { seen |= Seen.midStream.rawValue }
            if clientIsA == nil {
                clientIsA = ack ? !fromA : fromA
                clientInitialSequence = ack ? segment.acknowledgmentNumber &- 1 : segment.sequenceNumber
            }
            // The server's first number (both sides send a SYN-ACK in a simultaneous open,
            // which `beginsStream` leaves unjudged). Unconditional: a test of the side here
            // pushed `FlowTable.addToUniqueStorage` out of the tracking loop.
            if ack { serverInitialSequence = segment.sequenceNumber }
        } else if !rst {
            seen = Seen.other.rawValue | (ack ? 0 : Seen.withoutAck.rawValue)
        }
        if flags.contains(.fin) { seen |= Seen.fin.rawValue }
        if rst { seen |= noteReset(ack: ack, sequenceNumber: segment.sequenceNumber, fromA: fromA) }
        if fromA {
            packetsFromA &+= 1
            bytesFromA &+= UInt64(wireLength)
            payloadFromA &+= UInt64(segment.payloadLength)
            seenFromA = Seen(rawValue: seenFromA.rawValue | seen)
        } else {
            packetsFromB &+= 1
            bytesFromB &+= UInt64(wireLength)
            payloadFromB &+= UInt64(segment.payloadLength)
            seenFromB = Seen(rawValue: seenFromB.rawValue | seen)
        }
        if timestamp < firstSeen { firstSeen = timestamp }
        if timestamp > lastSeen { lastSeen = timestamp }
        let side = fromA ? Self.sampleTakenFromA : Self.sampleTakenFromB
        guard segment.payloadLength != 0 && samplesTaken & side == 0 else { return false }
        return takeSample(from: side, fromA: fromA, syn: syn, sequence: segment.sequenceNumber)
    }

    /// Whether a segment at `sequence` with payload of a side whose sample is not taken
    /// (`samplesTaken`) gives the side's sample: its first payload captured, or, for a side
    /// whose sample came late (`lateSamples`), its first segment arriving after all. A
    /// first payload that does not begin its stream (`beginsStream`) marks the side
    /// `midStream`, and is held as a late sample, the side left not taken: so its later
    /// segments come here too, without a second test on the tracking loop's path, until
    /// the first arrives (it replaces the sample, and the side begins its stream after
    /// all). Out of line, once per side with payload (and per payload of a late side):
    /// inlined, the test pushed `FlowTable.addToUniqueStorage` out of the tracking loop
    /// (58-64 M instructions more per million packets of the short shape), as a test of
    /// `lateSamples` beside `samplesTaken`'s did (34-42 M).
    @usableFromInline @inline(never)
    mutating func takeSample(from side: UInt8, fromA: Bool, syn: Bool, sequence: UInt32) -> Bool {
        let begins = beginsStream(at: sequence, syn: syn, fromA: fromA)
        if lateSamples & side != 0 {
            guard begins else { return false }
            lateSamples &= ~side
            samplesTaken |= side
            if fromA { seenFromA.remove(.midStream) } else { seenFromB.remove(.midStream) }
            return true
        }
        // A subflow's side (MP_JOIN, `midStream` since its SYN) begins nothing even from its
        // first byte: no later segment can give it a better sample.
        if begins || (fromA ? seenFromA : seenFromB).contains(.midStream) {
            samplesTaken |= side
            return true
        }
        lateSamples |= side
        if fromA { seenFromA.insert(.midStream) } else { seenFromB.insert(.midStream) }
        return true
    }

    /// Whether a side's first payload, a segment at `sequence`, begins its stream: the first
    /// byte after the side's SYN or SYN-ACK, or a SYN's own data (TCP Fast Open). Taken as
    /// the start when it cannot be told: no handshake seen (`payloadFromStart` is false
    /// then anyway), no SYN-ACK of the server's captured, or a simultaneous open (both
    /// sides sent a SYN-ACK).
    @usableFromInline
    func beginsStream(at sequence: UInt32, syn: Bool, fromA: Bool) -> Bool {
        guard !syn, let clientIsA, !isSimultaneousOpen else { return true }
        if fromA == clientIsA { return sequence == clientInitialSequence &+ 1 }
        return !(fromA ? seenFromA : seenFromB).contains(.synAck) || sequence == serverInitialSequence &+ 1
    }
}
