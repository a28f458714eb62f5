/// Opening tunnels: a capture on an underlay (a cluster node's physical interface under an
/// overlay network, the collector of a switch's or a cloud's traffic mirror) holds the
/// cluster's TCP inside VXLAN, Geneve, GRE, ERSPAN or IP-in-IP. The decoder reads the inner
/// packet as if it had been captured on its own, and marks its segment with the tunnel
/// (`TCPSegment.tunnel`, counted in the coverage).
///
/// A tunnel header that is not what its port or protocol number promises (UDP 4789 without
/// the VXLAN I flag, a Geneve version other than 0) is not a tunnel: `.udp`, as any other
/// UDP (counted `.notTCP`). One the decoder does not open is `.tunnel`.
///
/// These functions are never inlined: the inner packet is decoded by the same inlined
/// functions as the outer one, which call back here for a tunnel inside, and the depth is
/// bounded (`Encapsulation.maximumDepth`). Captures without tunnels never reach this code.
extension PacketDecoder {
    /// A packet cut after its outer headers, inside the tunnel they announce, is
    /// `.truncatedInTunnel`: what a too short snapshot length on an underlay looks like.
    /// Only where the capture holds fewer bytes than the outer packet has (`extent`, its IP
    /// payload: by its length field, or by the record's wire length when that field is 0);
    /// an outer packet captured whole that ends inside the tunnel was sent so, and is
    /// `.malformed`: nmap's IP protocol scan (`nmap -sO`, `-6 -sO`) probes protocols 4 and
    /// 41 with an IP header and nothing inside, and counted as cut by the snapshot length
    /// they made a capture recorded whole incomplete, with a medium finding.
    @inlinable
    static func cutInTunnel(_ outcome: DecodeOutcome, _ extent: PayloadExtent) -> DecodeOutcome {
        if case .skipped(.truncated) = outcome {
            return .skipped(extent.captured < extent.declared ? .truncatedInTunnel : .malformed)
        }
        return outcome
    }

    /// VXLAN and Geneve, after the UDP header (`extent` as it was before the UDP header):
    /// Geneve on its port, VXLAN on any other the caller chose (4789, 8472, a declared one).
    @usableFromInline @inline(never)
    static func decodeUDPTunnel(_ udp: UDPHeader, _ extent: PayloadExtent, around: Encapsulation) -> DecodeOutcome {
        var extent = extent
        extent.advance(by: UDPHeader.headerLength)
        let payload = udp.payload
        if udp.destinationPort == UDPPort.geneve {
            if let reason = extent.shortfall(GeneveHeader.minimumLength) { return .skipped(reason) }
            guard let geneve = GeneveHeader(payload) else { return .skipped(.truncated) }
            guard geneve.version == 0 else { return .udp(.of(udp)) }
            let length = geneve.headerLength
            if let reason = extent.shortfall(length) { return .skipped(reason) }
            guard let inner = around.entering(.geneve) else { return .skipped(.tunnel) }
            return decodeTunnelPayload(geneve.protocolType, payload.rest(from: length), around: inner)
        }
        if let reason = extent.shortfall(VXLANHeader.length) { return .skipped(reason) }
        guard let vxlan = VXLANHeader(payload) else { return .skipped(.truncated) }
        guard vxlan.hasValidIdentifier else { return .udp(.of(udp)) }
        guard let inner = around.entering(.vxlan) else { return .skipped(.tunnel) }
        return decodeEthernet(vxlan.payload, around: inner)
    }

    /// GRE (IP protocol 47): IPv4, IPv6 or an Ethernet frame inside, or an ERSPAN mirror session.
    @usableFromInline @inline(never)
    static func decodeGRE(_ bytes: UnsafeRawBufferPointer, _ extent: PayloadExtent, around: Encapsulation) -> DecodeOutcome {
        var extent = extent
        if let reason = extent.shortfall(GREHeader.minimumLength) { return .skipped(reason) }
        guard let gre = GREHeader(bytes) else { return .skipped(.truncated) }
        guard gre.version == 0, !gre.hasRouting else { return .skipped(.tunnel) }
        let length = gre.headerLength
        if let reason = extent.shortfall(length) { return .skipped(reason) }
        let rest = bytes.rest(from: length)
        extent.advance(by: length)
        switch gre.protocolType {
        case GREProtocol.erspan where !gre.hasSequenceNumber:
            // Type I: the mirrored frame follows GRE directly.
            guard let inner = around.entering(.erspan) else { return .skipped(.tunnel) }
            return decodeEthernet(rest, around: inner)
        case GREProtocol.erspan, GREProtocol.erspanTypeIII:
            return decodeERSPAN(rest, extent, around: around)
        default:
            guard let inner = around.entering(.gre) else { return .skipped(.tunnel) }
            return decodeTunnelPayload(gre.protocolType, rest, around: inner)
        }
    }

    /// ERSPAN type II or III, after GRE: the mirrored frame behind its header.
    @usableFromInline
    static func decodeERSPAN(_ bytes: UnsafeRawBufferPointer, _ extent: PayloadExtent, around: Encapsulation) -> DecodeOutcome {
        if let reason = extent.shortfall(ERSPANHeader.typeIILength) { return .skipped(reason) }
        guard let erspan = ERSPANHeader(bytes) else { return .skipped(.truncated) }
        guard let length = erspan.headerLength else { return .skipped(.tunnel) }
        if let reason = extent.shortfall(length) { return .skipped(reason) }
        guard let inner = around.entering(.erspan) else { return .skipped(.tunnel) }
        let frame = bytes.rest(from: length)
        switch erspan.frameType {
        case 0: return decodeEthernet(frame, around: inner)
        case 2: return decodeRawIP(frame, around: inner)
        default: return .skipped(.tunnel)
        }
    }

    /// IPv4 (protocol 4) or IPv6 (protocol 41) carried directly in IP.
    @usableFromInline @inline(never)
    static func decodeIPInIP(_ protocolNumber: UInt8, _ bytes: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        guard let inner = around.entering(.ipInIP) else { return .skipped(.tunnel) }
        return protocolNumber == IPProtocol.ipInIP ? decodeIPv4(bytes, around: inner) : decodeIPv6(bytes, around: inner)
    }

    /// A Geneve or GRE payload by its protocol type (an EtherType): an Ethernet frame, IPv4
    /// or IPv6; anything else (NSH, PPP, MPLS) is a tunnel not opened.
    @usableFromInline
    static func decodeTunnelPayload(_ protocolType: UInt16, _ bytes: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        switch protocolType {
        case GREProtocol.ethernet: return decodeEthernet(bytes, around: around)
        case EtherType.ipv4: return decodeIPv4(bytes, around: around)
        case EtherType.ipv6: return decodeIPv6(bytes, around: around)
        default: return .skipped(.tunnel)
        }
    }
}
