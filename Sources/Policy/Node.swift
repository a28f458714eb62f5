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

    public func contains(_ address: IPAddress) -> Bool {
        AddressPattern.masked(address, prefixLength) == network
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
    public var isEveryAddress: Bool { prefixLength == (network.isIPv4 ? 96 : 0) }

    /// True when the pattern is one host (no prefix or a full-length prefix).
    public var isSingleAddress: Bool { prefixLength == 128 }

    public var description: String {
        let shown = network.isIPv4 ? prefixLength - 96 : prefixLength
        return isSingleAddress ? "\(network)" : "\(network)/\(shown)"
    }

    static func masked(_ address: IPAddress, _ prefixLength: Int) -> IPAddress {
        func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits)) }
        return IPAddress(high: address.high & mask(prefixLength), low: address.low & mask(prefixLength - 64))
    }
}
