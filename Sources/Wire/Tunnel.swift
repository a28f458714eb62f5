/// The tunnel a TCP segment came out of, when the decoder took it out of one: the capture
/// was made on an underlay (a cluster node's physical interface under an overlay network,
/// a traffic mirror's collector), and the segment's addresses and ports are the inner
/// packet's. When tunnels nest (ERSPAN carrying VXLAN) it is the outermost one.
public enum Tunnel: UInt8, CaseIterable, Sendable, BitwiseCopyable {
    /// Not in a tunnel.
    case none
    /// VXLAN (RFC 7348) on UDP 4789, or on 8472 (Linux's default port, and flannel's and
    /// Cilium's), or on a port the user declared (`VXLANPorts`).
    case vxlan
    /// Geneve (RFC 8926) on UDP 6081 (OVN, AWS Gateway Load Balancer).
    case geneve
    /// GRE (RFC 2784, 2890) carrying IPv4, IPv6 or an Ethernet frame (GRETAP).
    case gre
    /// ERSPAN type I, II or III in GRE: a switch's or hypervisor's remote mirror session.
    case erspan
    /// IPv4 or IPv6 carried directly in IPv4 or IPv6 (IP protocols 4 and 41: IPIP, SIT/6in4, ip6tnl).
    case ipInIP

    /// The tunnel of `name` (`vxlan`, ...); nil for any other text, "none" among them.
    public init?(name: String) {
        guard let tunnel = Self.allCases.first(where: { $0 != .none && $0.name == name }) else { return nil }
        self = tunnel
    }

    /// The name the result uses (`coverage.tunneled`).
    public var name: String {
        switch self {
        case .none: "none"
        case .vxlan: "vxlan"
        case .geneve: "geneve"
        case .gre: "gre"
        case .erspan: "erspan"
        case .ipInIP: "ip-in-ip"
        }
    }
}

/// What the layers outside an IP packet said, handed inwards as the decoder unwraps them:
/// the outermost VLAN id, the outermost tunnel, and how many tunnels deep the packet is
/// (bounded, so that a crafted packet of tunnels in tunnels cannot hold the decoder); and
/// the UDP ports the user declared VXLAN on (`VXLANPorts`), which every layer hands on as
/// it is, so that the decoder's static functions read them without a reference to hold.
@frozen
public struct Encapsulation: Sendable, BitwiseCopyable {
    public var vlan: UInt16?
    public var tunnel: Tunnel
    public var depth: UInt8
    public var vxlanPorts: VXLANPorts
    /// Bytes of the packet the capture did not keep (the record's wire length past its
    /// captured bytes): what an IP length field of 0 leaves to tell the payload's length by
    /// (`PayloadExtent`). They are the end of every header inside too, tunnels included.
    public var uncaptured: Int

    @inlinable
    public init(vlan: UInt16? = nil, tunnel: Tunnel = .none, depth: UInt8 = 0, vxlanPorts: VXLANPorts = VXLANPorts(),
                uncaptured: Int = 0) {
        self.vlan = vlan
        self.tunnel = tunnel
        self.depth = depth
        self.vxlanPorts = vxlanPorts
        self.uncaptured = uncaptured
    }

    /// At most this many tunnels are opened around one packet (a mirror session of an
    /// overlay is two); a packet in more is counted as `.tunnel`.
    @inlinable public static var maximumDepth: UInt8 { 3 }

    /// The encapsulation of a packet inside one more tunnel of kind `tunnel`, or nil when
    /// that would be deeper than `maximumDepth`.
    @inlinable
    public func entering(_ tunnel: Tunnel) -> Encapsulation? {
        guard depth < Self.maximumDepth else { return nil }
        return Encapsulation(vlan: vlan, tunnel: self.tunnel == .none ? tunnel : self.tunnel, depth: depth &+ 1,
                             vxlanPorts: vxlanPorts, uncaptured: uncaptured)
    }
}
