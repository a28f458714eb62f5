/// EtherType values the decoder knows (IEEE 802 numbers, as they sit on the wire).
public enum EtherType {
    @inlinable public static var ipv4: UInt16 { 0x0800 }
    @inlinable public static var arp: UInt16 { 0x0806 }
    @inlinable public static var ipv6: UInt16 { 0x86DD }
    /// IEEE 802.1Q VLAN tag.
    @inlinable public static var vlan: UInt16 { 0x8100 }
    /// IEEE 802.1ad service tag (QinQ outer tag).
    @inlinable public static var serviceVLAN: UInt16 { 0x88A8 }
    /// The pre-standard QinQ outer tag some switches still send.
    @inlinable public static var legacyQinQ: UInt16 { 0x9100 }
    /// An MPLS label stack before a unicast packet (`MPLSLabelStack`).
    @inlinable public static var mplsUnicast: UInt16 { 0x8847 }
    /// An MPLS label stack before a multicast packet.
    @inlinable public static var mplsMulticast: UInt16 { 0x8848 }
    /// Values below this are IEEE 802.3 length fields (or, in Linux cooked captures,
    /// Linux-specific protocol codes such as 0x0001 802.3 and 0x0004 802.2 LLC), not EtherTypes.
    @inlinable public static var minimumEtherType: UInt16 { 0x0600 }

    /// Whether `value` is a tag protocol identifier that the decoder unwraps.
    @inlinable
    public static func isVLANTag(_ value: UInt16) -> Bool {
        value == vlan || value == serviceVLAN || value == legacyQinQ
    }
}

/// PPP protocol numbers the decoder knows (RFC 1661, IANA's PPP DLL protocol numbers).
public enum PPPProtocol {
    @inlinable public static var ipv4: UInt16 { 0x0021 }
    @inlinable public static var ipv6: UInt16 { 0x0057 }
    /// An MPLS label stack before a unicast packet (RFC 3032).
    @inlinable public static var mplsUnicast: UInt16 { 0x0281 }
    @inlinable public static var mplsMulticast: UInt16 { 0x0283 }
    /// Van Jacobson's compressed and uncompressed TCP/IP (RFC 1144): TCP whose headers need
    /// the link's state from the frames before to read, which a decoder of one packet lacks.
    @inlinable public static var vanJacobsonCompressedTCP: UInt16 { 0x002D }
    @inlinable public static var vanJacobsonUncompressedTCP: UInt16 { 0x002F }
}

/// IP protocol numbers (IPv4 protocol field, IPv6 next header) the decoder knows.
public enum IPProtocol {
    @inlinable public static var hopByHopOptions: UInt8 { 0 }
    @inlinable public static var ipInIP: UInt8 { 4 }
    @inlinable public static var tcp: UInt8 { 6 }
    @inlinable public static var udp: UInt8 { 17 }
    @inlinable public static var ipv6: UInt8 { 41 }
    @inlinable public static var routing: UInt8 { 43 }
    @inlinable public static var fragment: UInt8 { 44 }
    @inlinable public static var gre: UInt8 { 47 }
    @inlinable public static var encapsulatingSecurityPayload: UInt8 { 50 }
    @inlinable public static var authenticationHeader: UInt8 { 51 }
    @inlinable public static var noNextHeader: UInt8 { 59 }
    @inlinable public static var destinationOptions: UInt8 { 60 }
}

/// Well-known UDP ports the decoder looks at.
public enum UDPPort {
    /// VXLAN (RFC 7348), IANA's port.
    @inlinable public static var vxlan: UInt16 { 4789 }
    /// VXLAN on the port Linux chose before IANA's (`ip link add type vxlan dstport 0`),
    /// which flannel and Cilium use.
    @inlinable public static var linuxVXLAN: UInt16 { 8472 }
    /// Geneve (RFC 8926).
    @inlinable public static var geneve: UInt16 { 6081 }
}
