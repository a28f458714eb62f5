/// Serial and point-to-point links: PPP (LINKTYPE_PPP, LINKTYPE_PPP_HDLC) and Cisco HDLC
/// (LINKTYPE_C_HDLC), a router's view of a link between sites. Out of line: the packet loop
/// of an Ethernet or cooked capture does not carry them.
extension PacketDecoder {
    /// A PPP frame's IPv4, IPv6 or MPLS payload; a frame of Cisco HDLC where the address
    /// byte says so (files of the PPP types hold such frames too). PPP's own protocols
    /// (LCP, IPCP, ...) are `notIP`; Van Jacobson's compressed TCP, which a packet alone
    /// cannot be read from, is TCP in a `tunnel` not opened.
    @usableFromInline @inline(never)
    static func decodePPP(_ bytes: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        guard let first = bytes.first else { return .skipped(.truncated) }
        if CiscoHDLCFrame.isAddress(first) { return decodeCiscoHDLC(bytes, around: around) }
        guard let frame = PPPFrame(bytes) else { return .skipped(.truncated) }
        switch frame.protocolNumber {
        case PPPProtocol.ipv4: return decodeIPv4(frame.payload, around: around)
        case PPPProtocol.ipv6: return decodeIPv6(frame.payload, around: around)
        case PPPProtocol.mplsUnicast, PPPProtocol.mplsMulticast: return decodeMPLS(frame.payload, around: around)
        case PPPProtocol.vanJacobsonCompressedTCP, PPPProtocol.vanJacobsonUncompressedTCP: return .skipped(.tunnel)
        default: return .skipped(.notIP)
        }
    }

    /// A Cisco HDLC frame's payload, by its EtherType (IPv4, IPv6, MPLS; anything else,
    /// SLARP keepalives and CDP among them, is `notIP`).
    @usableFromInline @inline(never)
    static func decodeCiscoHDLC(_ bytes: UnsafeRawBufferPointer, around: Encapsulation) -> DecodeOutcome {
        guard let frame = CiscoHDLCFrame(bytes) else { return .skipped(.truncated) }
        return decodeEtherType(frame.protocolType, frame.payload, around: around)
    }
}
