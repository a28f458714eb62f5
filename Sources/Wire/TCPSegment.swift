/// What the decoder keeps of one TCP packet: a small value, copied out of the packet
/// bytes, so nothing refers to libpcap's buffer once decoding returns.
public struct TCPSegment: Hashable, Sendable, BitwiseCopyable {
    public var source: IPAddress
    public var destination: IPAddress
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    public var flags: TCPFlags
    /// The tunnel the segment was taken out of (`.none` for most captures). It sits in the
    /// bytes after `flags` that alignment leaves free, so the value stays 64 bytes.
    public var tunnel: Tunnel
    /// Bytes captured from the start of the TCP header on (0: more than 65,535), so that the
    /// header can be found again in the packet (`header(in:)`) by those that need more of
    /// it than the segment keeps: the copies memory reads the options (`InterfaceCopies`),
    /// only where copies are looked for. It fills the two bytes alignment leaves free after
    /// `tunnel`, so the value stays 64 bytes.
    public var headerTail: UInt16
    public var sequenceNumber: UInt32
    public var acknowledgmentNumber: UInt32
    /// TCP payload bytes, from the IP length fields (Ethernet padding is not payload).
    public var payloadLength: UInt32
    /// The outermost VLAN id when the frame carried 802.1Q/802.1ad tags.
    public var vlan: UInt16?
    /// Marks of the segment, one bit each (`joinsMultipathConnection`, `checksumFailed`,
    /// `looksHandMade`):
    /// the byte alignment leaves free after `vlan`, so the value stays 64 bytes.
    @usableFromInline var marks: UInt8
    /// Whether the segment is a SYN or SYN-ACK with MPTCP's MP_JOIN option
    /// (`TCPHeader.joinsMultipathConnection`): it opens a subflow of a connection already
    /// open, whose first payload is the middle of that connection's stream.
    @inlinable public var joinsMultipathConnection: Bool {
        get { marks & Self.joinsMark != 0 }
        set { marks = newValue ? marks | Self.joinsMark : marks & ~Self.joinsMark }
    }
    /// Whether the packet arrived damaged (`Checksum`): a whole TCP segment whose checksum
    /// is wrong (`judgeChecksum`). Its receiver dropped it, so it starts no connection and
    /// changes none (`FlowTable`).
    @inlinable public var checksumFailed: Bool {
        get { marks & Self.checksumMark != 0 }
        set { marks = newValue ? marks | Self.checksumMark : marks & ~Self.checksumMark }
    }
    /// Whether the segment carries no TCP option and no mark of a stack's connection in its
    /// IP header (Don't Fragment in IPv4, a flow label in IPv6: `PayloadExtent.markedByStack`),
    /// or a timestamp option alone that echoes nothing (`TCPHeader.echoesNoTimestamp`): what
    /// a raw-socket tool sends (nmap's, hping3's and scapy's probes carry neither mark;
    /// `hping3 --tcp-timestamp` echoes 0), and no segment of a TCP stack's connection that
    /// negotiated timestamps (all of its segments then carry them, echoing the peer's) or
    /// that does path MTU discovery or labels its flows (Linux, Windows and macOS do both by
    /// default). What tells a scanner's bare probes from a server's keep-alives when their
    /// numbers and ports do not (`ConnectionRecord`, `TrafficCounts.handMadeServerProbes`).
    /// Not told: a tool that sets DF (`hping3 -y`) or a flow label, with no option.
    @inlinable public var looksHandMade: Bool {
        get { marks & Self.handMadeMark != 0 }
        set { marks = newValue ? marks | Self.handMadeMark : marks & ~Self.handMadeMark }
    }
    @inlinable static var joinsMark: UInt8 { 1 }
    @inlinable static var checksumMark: UInt8 { 2 }
    @inlinable static var handMadeMark: UInt8 { 4 }
    /// Bytes captured after the TCP header: the payload as far as the capture kept it, then
    /// any link-layer padding; none when the capture ended in the TCP options. Every header
    /// view is a suffix of the packet's bytes, so the payload starts this many bytes before
    /// their end (`capturedPayload(in:)`): where the payload is, without a pointer into
    /// libpcap's buffer.
    public var capturedTail: UInt32
    /// What tells this packet from a retransmission with the same numbers: the IPv4
    /// identification (in IPv6 the flow label's low 16 bits) over the TCP checksum xor the
    /// window. Copies of one packet
    /// captured on several interfaces share it, as bridging and routing change none of
    /// these fields (`InterfaceCopies`). It fits in the value's padding (64-byte stride).
    public var copyIdentity: UInt32

    @inlinable
    public init(
        source: IPAddress, destination: IPAddress, sourcePort: UInt16, destinationPort: UInt16,
        flags: TCPFlags, sequenceNumber: UInt32 = 0, acknowledgmentNumber: UInt32 = 0,
        payloadLength: UInt32 = 0, vlan: UInt16? = nil, capturedTail: UInt32 = 0, copyIdentity: UInt32 = 0,
        headerTail: UInt16 = 0, tunnel: Tunnel = .none, joinsMultipathConnection: Bool = false,
        checksumFailed: Bool = false, looksHandMade: Bool = false
    ) {
        self.source = source
        self.destination = destination
        self.sourcePort = sourcePort
        self.destinationPort = destinationPort
        self.flags = flags
        self.sequenceNumber = sequenceNumber
        self.acknowledgmentNumber = acknowledgmentNumber
        self.payloadLength = payloadLength
        self.vlan = vlan
        self.capturedTail = capturedTail
        self.copyIdentity = copyIdentity
        self.headerTail = headerTail
        self.tunnel = tunnel
        self.marks = (joinsMultipathConnection ? Self.joinsMark : 0) | (checksumFailed ? Self.checksumMark : 0)
            | (looksHandMade ? Self.handMadeMark : 0)
    }

    /// Marks the segment `checksumFailed` when `packet`, the bytes it was decoded from,
    /// holds all of it and its sum proves it damaged (`Checksum`). The reader asks it of
    /// each segment it decodes, apart from the decoder: judged inside the decoder, the sum
    /// made the compiler leave the transport's decoding out of the packet loop (the reading
    /// thread 22% more instructions). A connection request is not summed: damaged or not,
    /// it starts its connection (`FlowTable`), so its verdict would go unused.
    @inlinable @inline(__always)
    public mutating func judgeChecksum(in packet: UnsafeRawBufferPointer) {
        if checksumIsWrong(in: packet) == true { checksumFailed = true }
    }

    /// Whether the sum of the segment in `packet`, the bytes it was decoded from, proves it
    /// damaged (`Checksum`); nil when it is not judged: a connection request, a segment the
    /// capture cut or did not keep whole, or one longer than `Checksum.longestJudgedSegment`.
    /// What `judgeChecksum` marks, and what an input's sample counts (`InputSample`).
    @inlinable @inline(__always)
    public func checksumIsWrong(in packet: UnsafeRawBufferPointer) -> Bool? {
        let tail = Int(truncatingIfNeeded: headerTail), captured = Int(truncatingIfNeeded: capturedTail)
        let payload = Int(truncatingIfNeeded: payloadLength)
        let length = tail &- captured &+ payload
        guard !flags.isConnectionRequest, tail != 0, tail <= packet.count, captured >= payload,
              length <= Checksum.longestJudgedSegment
        else { return nil }
        return Checksum.damagesTCPSegment(UnsafeRawBufferPointer(rebasing: packet[(packet.count &- tail)...]),
                                          length: length, source: source, destination: destination)
    }

    /// The TCP header in `packet`, the bytes this segment was decoded from; nil when its
    /// place is not known (`headerTail` 0: a segment not decoded from a packet).
    @inlinable
    public func header(in packet: UnsafeRawBufferPointer) -> TCPHeader? {
        let tail = Int(truncatingIfNeeded: headerTail)
        guard tail != 0, tail <= packet.count else { return nil }
        return TCPHeader(UnsafeRawBufferPointer(rebasing: packet[(packet.count &- tail)...]))
    }

    /// The captured payload bytes, in `packet`: the bytes this segment was decoded from.
    /// Shorter than `payloadLength` when the capture's snapshot length cut the packet;
    /// link-layer padding is not payload.
    @inlinable @inline(__always)
    public func capturedPayload(in packet: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let tail = Int(truncatingIfNeeded: capturedTail)
        guard tail <= packet.count, payloadLength != 0 else { return UnsafeRawBufferPointer(rebasing: packet[0..<0]) }
        let start = packet.count &- tail
        return UnsafeRawBufferPointer(rebasing: packet[start..<(start &+ Swift.min(tail, Int(payloadLength)))])
    }
}

/// Why a packet yielded no TCP segment to track. Each reason is counted in the audit's coverage.
public enum SkipReason: Int, CaseIterable, Sendable {
    /// The bytes end before a header that the lengths say is there. TCP's options are not
    /// needed: a segment is decoded from the fixed 20 bytes of its header on. The reader
    /// counts such a packet `truncated` only when the capture kept less of it than it had
    /// (the snapshot length cut it, and the TCP it carried is missing from the audit:
    /// `InputSummary.cutBeforeTCP`); one captured whole was sent so, and is `malformed`.
    case truncated
    /// A header field holds an impossible value (IP version, header length, ...).
    case malformed
    /// A link-layer or network protocol that is not IPv4 or IPv6 (ARP, LLDP, ...).
    case notIP
    /// An IP packet carrying something other than TCP (UDP, ICMP, ...).
    case notTCP
    /// An IP fragment of TCP that could not be joined to its datagram's segment
    /// (`FragmentTable`): the fragments holding the TCP header never came, the table was
    /// full, or the fragments overlapped; or a non-first IPv6 fragment whose next header is
    /// an extension header, which may hide TCP. The TCP it carried is missing from the audit.
    case fragment
    /// A tunnel the decoder does not open (PPTP's GRE, GRE with source routing, a GRE or
    /// Geneve payload that is not Ethernet or IP, an MPLS label stack over something other
    /// than IP or deeper than `MPLSLabelStack.maximumDepth`), or tunnels nested deeper than
    /// `Encapsulation.maximumDepth`. The tunnels it opens give their inner segments.
    case tunnel
    /// The capture's link type is one the decoder does not know.
    case unsupportedLinkType
    /// A TCP segment, but a copy of one read moments before on another interface of the
    /// same capture (`tcpdump -i any` on a host with a bridge or routing): set aside by the
    /// reader (`InterfaceCopies`), never returned by the decoder.
    case duplicate
    /// The packet ends inside a tunnel the decoder opened, before the inner TCP header: the
    /// capture's snapshot length held the outer headers but not the inner ones (VXLAN adds
    /// 50 bytes over IPv4, so `tcpdump -s 96` on an underlay cuts every segment).
    case truncatedInTunnel
    /// A packet of a connection captured again after address translation, in the view that
    /// is not audited: as the client addressed the server, before a destination translation
    /// (a published port, a Service's address), or as the client sent it, before a source
    /// translation (masquerade). The same connection is audited in its other view
    /// (`TranslatedCopies`).
    case translated
    /// An IP fragment joined, with the other fragments of its datagram, into one TCP
    /// segment (`FragmentTable`): the segment is counted once, on the datagram's last
    /// fragment, as tshark counts it; the datagram's other fragments are counted here.
    case reassembled
    /// A TCP segment that arrived damaged (`TCPSegment.checksumFailed`, `Checksum`): its
    /// receiver dropped it, so it is not tracked, neither as the start of a connection nor
    /// as a packet of one already open, whose state a damaged FIN or RST would end while
    /// the hosts went on. A connection request (SYN) is tracked all the same (a scan's
    /// probes with bad sums are still probes). Counted by the table
    /// (`FlowTable.badChecksums`), not the decoder.
    case badChecksum

    public var name: String {
        switch self {
        case .truncated: "truncated"
        case .malformed: "malformed"
        case .notIP: "not-ip"
        case .notTCP: "not-tcp"
        case .fragment: "fragment"
        case .tunnel: "tunnel"
        case .unsupportedLinkType: "unsupported-link-type"
        case .duplicate: "duplicate"
        case .truncatedInTunnel: "truncated-in-tunnel"
        case .translated: "translated"
        case .reassembled: "reassembled"
        case .badChecksum: "bad-checksum"
        }
    }
}

/// The result of decoding one packet.
public enum DecodeOutcome: Sendable {
    case segment(TCPSegment)
    case skipped(SkipReason)
    /// A UDP datagram not opened as a tunnel: skipped as `.notTCP`, with its destination
    /// port for the coverage to name (`UDPDatagram`).
    case udp(UDPDatagram)
    /// A fragment of a TCP datagram, for `FragmentTable` to join: a segment, once its
    /// datagram's fragments are there.
    case fragment(IPFragment)

    /// Why the packet gave no segment: `.notTCP` for a UDP datagram, `.fragment` for a
    /// fragment (until `FragmentTable` joins it); nil for a segment.
    @inlinable
    public var skipReason: SkipReason? {
        switch self {
        case .segment: nil
        case .skipped(let reason): reason
        case .udp: .notTCP
        case .fragment: .fragment
        }
    }
}
