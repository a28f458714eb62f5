/// Decodes captured packets of one link type into TCP segments, or says why a packet is not
/// one. Zero-copy: the decoder reads the caller's bytes in place through the header views
/// (`EthernetFrame`, `IPv4Packet`, `TCPHeader`, ...) and keeps nothing of them.
///
/// Everything on the per-packet path is `@inlinable`, so a caller in another module gets it
/// specialized into its own loop: no allocation, no existentials, no global state.
@frozen
public struct PacketDecoder: Sendable {
    public let linkType: LinkType
    @usableFromInline let framing: Framing
    /// The UDP ports besides 4789 and 8472 opened as VXLAN (`--vxlan-port`).
    public let vxlanPorts: VXLANPorts

    public init(linkType: LinkType, vxlanPorts: VXLANPorts = VXLANPorts()) {
        self.linkType = linkType
        self.framing = Framing(linkType)
        self.vxlanPorts = vxlanPorts
    }

    /// Decodes one captured packet (the `caplen` bytes libpcap gives). `uncaptured` is how
    /// many bytes of it the capture did not keep (its record's wire length minus `caplen`):
    /// where an IP length field is 0 (a segment captured before the interface cut it up,
    /// larger than 64 KiB: Linux's BIG TCP, IPv4 TSO/GSO), the payload is the captured bytes
    /// and these, as tshark reckons it from the frame's length.
    @inlinable @inline(__always)
    public func decode(_ bytes: UnsafeRawBufferPointer, uncaptured: Int = 0) -> DecodeOutcome {
        let around = Encapsulation(vxlanPorts: vxlanPorts, uncaptured: Swift.max(uncaptured, 0))
        switch framing {
        case .ethernet: return Self.decodeEthernet(bytes, around: around)
        case .linuxSLL: return Self.decodeLinuxSLL(bytes, around: around)
        case .linuxSLL2: return Self.decodeLinuxSLL2(bytes, around: around)
        case .null: return Self.decodeNull(bytes, familyInNetworkOrder: false, around: around)
        case .loop: return Self.decodeNull(bytes, familyInNetworkOrder: true, around: around)
        case .rawIP: return Self.decodeRawIP(bytes, around: around)
        case .ipv4: return Self.decodeIPv4(bytes, around: around)
        case .ipv6: return Self.decodeIPv6(bytes, around: around)
        case .nflog: return Self.decodeNFLOG(bytes, around: around)
        case .ppp: return Self.decodePPP(bytes, around: around)
        case .ciscoHDLC: return Self.decodeCiscoHDLC(bytes, around: around)
        case .unsupported: return .skipped(.unsupportedLinkType)
        }
    }

    /// Whether this is the link type of a capture on every interface at once (`tcpdump -i
    /// any`, the Linux cooked captures): the only kind whose file holds a forwarded packet
    /// once per interface it crossed (`InterfaceCopies`).
    @inlinable
    public var capturesEveryInterface: Bool { framing == .linuxSLL || framing == .linuxSLL2 }

    /// Whether `bytes` were captured as they left the host (the Linux cooked headers'
    /// packet type `PACKET_OUTGOING`); false for a packet received, and for every link type
    /// that does not say.
    @inlinable
    public func isOutgoing(_ bytes: UnsafeRawBufferPointer) -> Bool {
        switch framing {
        case .linuxSLL: LinuxSLLHeader(bytes)?.packetType == Self.packetOutgoing
        case .linuxSLL2: LinuxSLL2Header(bytes).map { UInt16($0.packetType) } == Self.packetOutgoing
        default: false
        }
    }

    /// Linux's `PACKET_OUTGOING`, in the cooked headers' packet type.
    @inlinable static var packetOutgoing: UInt16 { 4 }

    /// The index of the interface `bytes` were captured on, when the link header names it
    /// (SLL2); nil otherwise (SLL v1 says only whether the packet was received or sent).
    @inlinable
    public func interfaceIndex(of bytes: UnsafeRawBufferPointer) -> UInt32? {
        guard framing == .linuxSLL2 else { return nil }
        return LinuxSLL2Header(bytes)?.interfaceIndex
    }

    /// At most this many IPv6 extension headers are walked; a longer chain is `.malformed`
    /// (so a crafted header loop cannot hold the decoder).
    @inlinable public static var maximumIPv6ExtensionHeaders: Int { 8 }
}

/// The link-layer framing, worked out once from the link type.
@usableFromInline
enum Framing: UInt8, Sendable {
    case ethernet, linuxSLL, linuxSLL2, null, loop, rawIP, ipv4, ipv6, nflog, ppp, ciscoHDLC, unsupported

    init(_ linkType: LinkType) {
        switch linkType {
        case .ethernet: self = .ethernet
        case .linuxSLL: self = .linuxSLL
        case .linuxSLL2: self = .linuxSLL2
        case .null: self = .null
        case .loop: self = .loop
        case .raw, .rawOpenBSD, .rawLinktype: self = .rawIP
        case .ipv4: self = .ipv4
        case .ipv6: self = .ipv6
        case .nflog: self = .nflog
        case .ppp, .pppSerial: self = .ppp
        case .ciscoHDLC: self = .ciscoHDLC
        default: self = .unsupported
        }
    }
}

// MARK: - Link layers

extension PacketDecoder {
    @inlinable @inline(__always)
    static func decodeEthernet(_ bytes: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        guard let frame = EthernetFrame(bytes) else { return .skipped(.truncated) }
        return decodeEtherType(frame.etherType, frame.payload, around: around)
    }

    @inlinable
    static func decodeLinuxSLL(_ bytes: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        guard let header = LinuxSLLHeader(bytes) else { return .skipped(.truncated) }
        guard header.arphrdType != LinuxSLLHeader.arphrdNetlink else { return .skipped(.notIP) }
        return cooked(decodeEtherType(header.protocolType, header.payload, around: around),
                      header.protocolType, header.payload, around: around)
    }

    @inlinable
    static func decodeLinuxSLL2(_ bytes: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        guard let header = LinuxSLL2Header(bytes) else { return .skipped(.truncated) }
        guard header.arphrdType != LinuxSLLHeader.arphrdNetlink else { return .skipped(.notIP) }
        return cooked(decodeEtherType(header.protocolType, header.payload, around: around),
                      header.protocolType, header.payload, around: around)
    }

    @inlinable
    static func decodeNull(_ bytes: UnsafeRawBufferPointer, familyInNetworkOrder: Bool, around: Encapsulation) -> DecodeOutcome {
        guard let header = NullLoopbackHeader(bytes) else { return .skipped(.truncated) }
        switch familyInNetworkOrder ? header.familyInNetworkOrder : header.family {
        case NullLoopbackHeader.familyIPv4:
            return decodeIPv4(header.payload, around: around)
        case NullLoopbackHeader.familyIPv6BSD, NullLoopbackHeader.familyIPv6FreeBSD,
             NullLoopbackHeader.familyIPv6Darwin:
            return decodeIPv6(header.payload, around: around)
        default:
            return .skipped(.notIP)
        }
    }

    /// A netfilter log message carries a bare IP packet in its NFULA_PAYLOAD TLV; its version
    /// nibble says which (the message's family agrees). Out of line: a walk over TLVs.
    ///
    /// The packet is decoded with the rest of the frame after it (the attribute's padding to
    /// 4 bytes, any attribute after it) as link-layer padding, which the IP lengths leave
    /// out: a segment's tails then count from the frame's end, as the reader takes its
    /// payload and judges its checksum (`TCPSegment.capturedPayload(in:)`), as for every
    /// other link type. Counted from the attribute's end, a padded request's sample began
    /// up to 3 bytes late. A packet whose IP length is 0 (a segment larger than 64 KiB,
    /// BIG TCP) is decoded alone: its length is the bytes there are.
    @inline(never)
    @usableFromInline
    static func decodeNFLOG(_ bytes: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        guard let message = NFLOGMessage(bytes) else { return .skipped(.truncated) }
        guard message.version == 0 else { return .skipped(.malformed) }
        switch message.packet {
        case .packet(let packet):
            guard let start = packet.baseAddress, let frame = bytes.baseAddress, declaresItsLength(packet) else {
                return decodeRawIP(packet, around: around)
            }
            return decodeRawIP(UnsafeRawBufferPointer(rebasing: bytes[(start - frame)...]), around: around)
        case .skipped(let reason): return .skipped(reason)
        }
    }

    /// Whether an IP packet's header gives its length (IPv4's total length, IPv6's payload
    /// length not 0); false when too short to tell.
    @usableFromInline
    static func declaresItsLength(_ packet: UnsafeRawBufferPointer) -> Bool {
        guard let first = packet.first else { return false }
        let field = first >> 4 == 6 ? 4 : 2
        return packet.count >= field &+ 2 && packet.uint16BE(at: field) != 0
    }

    /// RAW link types carry a bare IP packet; its version nibble says which.
    @inlinable
    static func decodeRawIP(_ bytes: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        guard let first = bytes.first else { return .skipped(.truncated) }
        switch first >> 4 {
        case 4: return decodeIPv4(bytes, around: around)
        case 6: return decodeIPv6(bytes, around: around)
        default: return .skipped(.malformed)
        }
    }

    /// Unwraps any stack of 802.1Q / 802.1ad / 0x9100 tags (keeping the outermost VLAN id
    /// that is not 0),
    /// then dispatches on the EtherType: IPv4, IPv6, or an MPLS label stack before one.
    @inlinable @inline(__always)
    static func decodeEtherType(_ etherType: UInt16, _ payload: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        var type = etherType
        var rest = payload
        var around = around
        // Each tag consumes 4 bytes, so the loop ends with the bytes.
        while EtherType.isVLANTag(type) {
            guard let tag = VLANTag(rest) else { return .skipped(.truncated) }
            // VLAN id 0 is a priority tag, no VLAN (802.1Q): the id is the first nonzero one.
            if around.vlan == nil && tag.vlanID != 0 { around.vlan = tag.vlanID }
            type = tag.etherType
            rest = tag.payload
        }
        switch type {
        case EtherType.ipv4: return decodeIPv4(rest, around: around)
        case EtherType.ipv6: return decodeIPv6(rest, around: around)
        case EtherType.mplsUnicast, EtherType.mplsMulticast: return decodeMPLS(rest, around: around)
        default: return .skipped(.notIP)
        }
    }

    /// The IP packet under an MPLS label stack, told by its version nibble; a stack cut
    /// short is `truncated`, one over anything else (a pseudowire) or deeper than
    /// `MPLSLabelStack.maximumDepth` is a `tunnel` not opened. Out of line: the packet loop
    /// of a capture without labels does not carry it.
    @usableFromInline @inline(never)
    static func decodeMPLS(_ bytes: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        switch MPLSLabelStack(bytes).payload {
        case .packet(let packet):
            guard let first = packet.first else { return .skipped(.truncated) }
            switch first >> 4 {
            case 4: return decodeIPv4(packet, around: around)
            case 6: return decodeIPv6(packet, around: around)
            default: return .skipped(.tunnel)
            }
        case .cut: return .skipped(.truncated)
        case .tooDeep: return .skipped(.tunnel)
        }
    }
}

// MARK: - IP

extension PacketDecoder {
    @inlinable @inline(__always)
    static func decodeIPv4(_ bytes: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        guard let packet = IPv4Packet(bytes) else { return .skipped(.truncated) }
        guard packet.version == 4 else { return .skipped(.malformed) }
        let headerLength = packet.headerLength
        guard headerLength >= IPv4Packet.minimumHeaderLength else { return .skipped(.malformed) }
        let totalLength = Int(packet.totalLength)
        // Total length 0: a TSO/LSO capture; the payload is whatever the packet held past
        // its header, captured or not (`Encapsulation.uncaptured`).
        let declaredByHeader = totalLength != 0
        if declaredByHeader && totalLength < headerLength { return .skipped(.malformed) }
        guard headerLength <= bytes.count else { return .skipped(.truncated) }
        let payload = packet.payload
        if packet.moreFragments || packet.fragmentOffset != 0 {
            // A fragment of TCP goes to `FragmentTable`, which joins its datagram's segment;
            // a non-first fragment of anything else carries no header: no ports to invent.
            if packet.protocolNumber == IPProtocol.tcp {
                return .fragment(IPFragment(
                    source: packet.source, destination: packet.destination,
                    identification: UInt32(packet.identification), offset: UInt32(packet.fragmentOffset) &* 8,
                    length: UInt32(truncatingIfNeeded: declaredByHeader ? totalLength &- headerLength : payload.count),
                    capturedTail: UInt32(truncatingIfNeeded: payload.count), moreFragments: packet.moreFragments,
                    copyIdentification: packet.identification, vlan: around.vlan, tunnel: around.tunnel))
            }
            guard packet.fragmentOffset == 0 else { return .skipped(.notTCP) }
        }
        let extent = PayloadExtent(
            captured: payload.count,
            declaredLength: declaredByHeader ? totalLength &- headerLength : nil,
            uncaptured: around.uncaptured,
            moreFragments: packet.moreFragments,
            markedByStack: packet.dontFragment
        )
        return decodeTransport(
            packet.protocolNumber, payload, extent,
            source: packet.source, destination: packet.destination, around: around,
            identification: packet.identification
        )
    }

    @inlinable
    static func decodeIPv6(_ bytes: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        guard let packet = IPv6Packet(bytes) else { return .skipped(.truncated) }
        guard packet.version == 6 else { return .skipped(.malformed) }
        var rest = packet.payload
        // Payload length 0: a jumbogram or TSO capture (BIG TCP's segments over 64 KiB); the
        // payload is whatever the packet held past its header, captured or not.
        let payloadLength = Int(packet.payloadLength)
        var extent = PayloadExtent(captured: rest.count, declaredLength: payloadLength != 0 ? payloadLength : nil,
                                   uncaptured: around.uncaptured, markedByStack: packet.flowLabel != 0)
        var next = packet.nextHeader
        var extensionHeaders = 0
        while true {
            if IPv6ExtensionHeader.hasGenericLayout(next) {
                extensionHeaders &+= 1
                guard extensionHeaders <= maximumIPv6ExtensionHeaders else { return .skipped(.malformed) }
                if let reason = extent.shortfall(IPv6ExtensionHeader.minimumLength) { return .skipped(reason) }
                guard let header = IPv6ExtensionHeader(rest, type: next) else { return .skipped(.truncated) }
                let length = header.headerLength
                if let reason = extent.shortfall(length) { return .skipped(reason) }
                next = header.nextHeader
                rest = rest.rest(from: length)
                extent.advance(by: length)
            } else if next == IPProtocol.fragment {
                extensionHeaders &+= 1
                guard extensionHeaders <= maximumIPv6ExtensionHeaders else { return .skipped(.malformed) }
                if let reason = extent.shortfall(IPv6FragmentHeader.length) { return .skipped(reason) }
                guard let fragment = IPv6FragmentHeader(rest) else { return .skipped(.truncated) }
                let atomic = fragment.fragmentOffset == 0 && !fragment.moreFragments  // RFC 6946: a whole packet
                if !atomic && fragment.nextHeader == IPProtocol.tcp {
                    var after = extent
                    after.advance(by: IPv6FragmentHeader.length)
                    return .fragment(IPFragment(
                        source: packet.source, destination: packet.destination,
                        identification: fragment.identification, offset: UInt32(fragment.fragmentOffset) &* 8,
                        length: UInt32(truncatingIfNeeded: Swift.max(after.declared, 0)),
                        capturedTail: UInt32(truncatingIfNeeded: fragment.payload.count),
                        moreFragments: fragment.moreFragments,
                        copyIdentification: UInt16(truncatingIfNeeded: packet.flowLabel),
                        vlan: around.vlan, tunnel: around.tunnel))
                }
                // A non-first fragment of anything else carries no header: an extension
                // header first may still hide TCP (`.fragment`); any other protocol is not TCP.
                if fragment.fragmentOffset != 0 {
                    return .skipped(IPv6ExtensionHeader.hasGenericLayout(fragment.nextHeader) ? .fragment : .notTCP)
                }
                extent.moreFragments = fragment.moreFragments
                next = fragment.nextHeader
                rest = fragment.payload
                extent.advance(by: IPv6FragmentHeader.length)
            } else {
                return decodeTransport(
                    next, rest, extent,
                    // IPv6 has no identification; the flow label's low bits stand in for it:
                    // random per connection (Linux), kept by forwarding and address
                    // translation, and drawn again when a retransmission times out.
                    source: packet.source, destination: packet.destination, around: around,
                    identification: UInt16(truncatingIfNeeded: packet.flowLabel)
                )
            }
        }
    }
}

// MARK: - Transport

extension PacketDecoder {
    /// `bytes` are the captured bytes of the upper-layer header and payload; `extent` how many
    /// the IP header declares.
    @inlinable @inline(__always)
    static func decodeTransport(
        _ protocolNumber: UInt8, _ bytes: UnsafeRawBufferPointer, _ extent: PayloadExtent,
        source: IPAddress, destination: IPAddress, around: Encapsulation, identification: UInt16
    ) -> DecodeOutcome {
        switch protocolNumber {
        case IPProtocol.tcp:
            return decodeTCP(bytes, extent, source: source, destination: destination, around: around,
                             identification: identification)
        case IPProtocol.udp:
            if let reason = extent.shortfall(UDPHeader.headerLength) { return .skipped(reason) }
            guard let udp = UDPHeader(bytes) else { return .skipped(.truncated) }
            switch udp.destinationPort {
            case UDPPort.vxlan, UDPPort.linuxVXLAN, UDPPort.geneve:
                return cutInTunnel(decodeUDPTunnel(udp, extent, around: around), extent)
            case let port where around.vxlanPorts.contains(port):
                return cutInTunnel(decodeUDPTunnel(udp, extent, around: around), extent)
            default: return .udp(.of(udp))
            }
        case IPProtocol.ipInIP, IPProtocol.ipv6:
            return cutInTunnel(decodeIPInIP(protocolNumber, bytes, around: around), extent)
        case IPProtocol.gre:
            return cutInTunnel(decodeGRE(bytes, extent, around: around), extent)
        default:
            return .skipped(.notTCP)
        }
    }

    @inlinable @inline(__always)
    static func decodeTCP(
        _ bytes: UnsafeRawBufferPointer, _ extent: PayloadExtent,
        source: IPAddress, destination: IPAddress, around: Encapsulation, identification: UInt16
    ) -> DecodeOutcome {
        if let reason = extent.shortfall(TCPHeader.minimumHeaderLength) { return .skipped(reason) }
        guard let tcp = TCPHeader(bytes) else { return .skipped(.truncated) }
        guard tcp.dataOffset >= 5 else { return .skipped(.malformed) }
        let headerLength = tcp.headerLength
        // The options need only fit in the IP packet, not in the capture: a snapshot length
        // that cuts them (an IPv6 SYN's 20 bytes at `tcpdump -i any -s 96`) leaves every
        // field a segment keeps, and the data offset still says where the payload starts.
        if let reason = extent.overrun(headerLength) { return .skipped(reason) }
        // overrun accepted headerLength, so extent.declared >= headerLength here, unless the
        // IP length field was 0 (TSO) and the capture cut the options: no payload captured, 0.
        return .segment(TCPSegment(
            source: source,
            destination: destination,
            sourcePort: tcp.sourcePort,
            destinationPort: tcp.destinationPort,
            flags: tcp.flags,
            sequenceNumber: tcp.sequenceNumber,
            acknowledgmentNumber: tcp.acknowledgmentNumber,
            payloadLength: UInt32(clamping: extent.declared &- headerLength),
            vlan: around.vlan,
            capturedTail: UInt32(truncatingIfNeeded: tcp.payload.count),
            copyIdentity: UInt32(identification) << 16 | UInt32(tcp.checksum ^ tcp.window),
            headerTail: tcp.bytes.count <= Int(UInt16.max) ? UInt16(truncatingIfNeeded: tcp.bytes.count) : 0,
            tunnel: around.tunnel,
            // Only a SYN or SYN-ACK with options can open an MPTCP subflow; the walk is out of line.
            joinsMultipathConnection: tcp.flags.contains(.syn) && headerLength > TCPHeader.minimumHeaderLength
                && tcp.joinsMultipathConnection,
            // The options are read only in a segment of a timestamp option's 12 bytes alone and
            // no payload (a probe, a keep-alive, a pure ACK): a data segment is no probe.
            looksHandMade: headerLength == TCPHeader.minimumHeaderLength
                ? !extent.markedByStack
                : extent.declared == TCPHeader.minimumHeaderLength &+ 12 && tcp.echoesNoTimestamp
        ))
    }
}
