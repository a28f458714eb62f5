/// A UDP datagram the decoder did not open as a tunnel (`DecodeOutcome.udp`): skipped as
/// `not-tcp` like any packet that is not TCP, with what the reader needs to tell the user
/// which UDP went unaudited (`coverage.udp`): the destination port, and whether the datagram
/// is shaped like VXLAN, the sign of an overlay on a port nobody declared (`VXLANPorts`)
/// whose TCP the audit cannot see.
@frozen
public struct UDPDatagram: Sendable, BitwiseCopyable, Equatable {
    public var destinationPort: UInt16
    /// Whether the payload reads as a VXLAN header (the I flag, no unknown flag, the last
    /// reserved byte zero)
    /// followed by an Ethernet frame carrying IPv4, IPv6, ARP or a VLAN tag.
    public var looksLikeVXLAN: Bool

    @inlinable
    public init(destinationPort: UInt16, looksLikeVXLAN: Bool) {
        self.destinationPort = destinationPort
        self.looksLikeVXLAN = looksLikeVXLAN
    }

    /// The datagram of `udp`, its payload looked at. Never inlined: UDP is the rare case of
    /// a TCP audit, kept out of the decoder's loop.
    @usableFromInline @inline(never)
    static func of(_ udp: UDPHeader) -> UDPDatagram {
        UDPDatagram(destinationPort: udp.destinationPort, looksLikeVXLAN: Self.looksLikeVXLAN(udp.payload))
    }

    /// Whether `payload` is shaped like VXLAN: RFC 7348's flags (I set, no other bit but
    /// VXLAN-GBP's G), the reserved last byte zero, and an inner Ethernet frame whose
    /// EtherType is one an overlay carries.
    static func looksLikeVXLAN(_ payload: UnsafeRawBufferPointer) -> Bool {
        guard let vxlan = VXLANHeader(payload), vxlan.hasValidIdentifier, vxlan.flags & ~Self.knownFlags == 0,
              payload[VXLANHeader.length - 1] == 0, let frame = EthernetFrame(vxlan.payload) else { return false }
        let type = frame.etherType
        return type == EtherType.ipv4 || type == EtherType.ipv6 || type == EtherType.arp || EtherType.isVLANTag(type)
    }

    /// The VXLAN flags a header shaped like VXLAN may carry: I, and VXLAN-GBP's G.
    static let knownFlags: UInt8 = VXLANHeader.validIdentifierFlag | 0x80
}
