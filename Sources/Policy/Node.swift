import Wire

/// A declared cluster member: a name, the addresses it answers on, and its roles.
public struct Node: Hashable, Sendable {
    public var name: String
    public var addresses: [AddressPattern]
    /// Empty means every role: a node whose roles are not declared may open any catalog port.
    public var roles: Set<NodeRole>

    public init(name: String, addresses: [AddressPattern], roles: Set<NodeRole> = []) {
        self.name = name
        self.addresses = addresses
        self.roles = roles
    }

    public func contains(_ address: IPAddress) -> Bool { addresses.contains { $0.contains(address) } }

    /// The first of this node's addresses that overlaps one of `other`'s, with that one:
    /// an address in two nodes would be labelled with the first node only, and the other
    /// reported `node-not-seen`, so a policy with one is refused.
    public func overlap(with other: Node) -> (mine: AddressPattern, theirs: AddressPattern)? {
        for mine in addresses {
            if let theirs = other.addresses.first(where: { $0.overlaps(mine) }) { return (mine, theirs) }
        }
        return nil
    }

    /// Whether the node opens ports of an entry with `roles`.
    public func plays(any roles: Set<NodeRole>) -> Bool { self.roles.isEmpty || !self.roles.isDisjoint(with: roles) }

    /// The node runs the driver (or a master, which in DAS hosts the driver's block manager):
    /// its executor range is driver + N rather than N.
    public var hostsDriver: Bool { roles.isEmpty || roles.contains(.driver) || roles.contains(.master) }
}

/// An address or a CIDR block (`10.0.0.5`, `10.0.1.0/24`, `fd00::/64`).
public struct AddressPattern: Hashable, Sendable, CustomStringConvertible {
    public var network: IPAddress
    /// Prefix length over the 128-bit (IPv4-mapped) address.
    public var prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(parts[0]) else { return nil }
        let maximum = address.isIPv4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...maximum).contains(value) else { return nil }
            length = value
        }
        prefixLength = address.isIPv4 ? length + 96 : length
        network = AddressPattern.masked(address, prefixLength)
    }

    /// Whether `address` is in the block, of the pattern's own family only: IPv4 is stored
    /// IPv4-mapped, so without the family check `::/0` (or `::/64`, `::/1`) would also
    /// take every IPv4 address, while `ports --firewall` puts an IPv6 block in the IPv6
    /// set alone; audit and firewall must agree on who a node or waiver means.
    public func contains(_ address: IPAddress) -> Bool {
        address.isIPv4 == isIPv4 && AddressPattern.masked(address, prefixLength) == network
    }

    /// Whether the pattern is IPv4 (written as a dotted quad). An IPv6 block never has an
    /// IPv4-mapped network: text of a mapped address is read as IPv4.
    public var isIPv4: Bool { network.isIPv4 }

    /// Whether the two patterns share an address: same family, and one block holds the
    /// other's network (blocks are nested or apart, never partly overlapping).
    public func overlaps(_ other: AddressPattern) -> Bool {
        prefixLength <= other.prefixLength ? contains(other.network) : other.contains(network)
    }

    /// The block `text` stands for when the address it is written with has host bits set
    /// (`10.77.0.1/8` stands for `10.0.0.0/8`); nil when it is written with its network
    /// address, or is not a pattern. Such text is refused where a policy is read, since
    /// `10.77.0.1/8` more likely means one host or a /24 than all of 10.0.0.0/8.
    public static func widened(_ text: String) -> AddressPattern? {
        guard let pattern = AddressPattern(text), let written = IPAddress(text.prefix { $0 != "/" }),
              written != pattern.network else { return nil }
        return pattern
    }

    /// True when the pattern is every address of its family (`0.0.0.0/0`, `::/0`).
    public var isEveryAddress: Bool { prefixLength == (isIPv4 ? 96 : 0) }

    /// True when the pattern is one host (no prefix or a full-length prefix).
    public var isSingleAddress: Bool { prefixLength == 128 }

    public var description: String {
        let shown = isIPv4 ? prefixLength - 96 : prefixLength
        return isSingleAddress ? "\(network)" : "\(network)/\(shown)"
    }

    static func masked(_ address: IPAddress, _ prefixLength: Int) -> IPAddress {
        func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits)) }
        return IPAddress(high: address.high & mask(prefixLength), low: address.low & mask(prefixLength - 64))
    }
}

extension Policy {
    /// Whether a declared node has a loopback address (127.0.0.0/8 or ::1), as a cluster
    /// recorded on one host does: its loopback is then the cluster's network, and a
    /// loopback server is no host-local one.
    public var hasLoopbackNode: Bool {
        let loopbacks = [IPAddress(ipv4: 0x7F00_0001), IPAddress(high: 0, low: 1)]
        return nodes.contains { node in
            node.addresses.contains { pattern in pattern.network.isLoopback || loopbacks.contains(where: pattern.contains) }
        }
    }
}
