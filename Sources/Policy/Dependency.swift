import Wire

/// A server outside the cluster that its nodes are meant to use: an analytics database,
/// the user store's LDAP, a Kafka or JMS broker an event publisher writes to. The audit
/// lists a server endpoint it matches apart, as the cluster's egress, and never as a
/// finding; a server outside the nodes that no dependency matches is an undeclared one.
public struct Dependency: Hashable, Sendable {
    /// What it is, in a word or two (`analytics-db`): a name under `NameRules`.
    public var name: String
    /// The server's address, or a CIDR block for a replicated or load-balanced service.
    public var address: AddressPattern
    public var port: UInt16
    /// Why the cluster uses it: one line, shown in every report.
    public var reason: String

    public init(name: String, address: AddressPattern, port: UInt16, reason: String) {
        self.name = name
        self.address = address
        self.port = port
        self.reason = reason
    }

    /// Whether the server endpoint `address`:`port` is this dependency.
    public func matches(_ address: IPAddress, port: UInt16) -> Bool {
        self.port == port && self.address.contains(address)
    }
}

extension Policy {
    /// The declared dependency that the server endpoint `address`:`port` is, if any (the
    /// first one in the policy's order).
    public func dependency(at address: IPAddress, port: UInt16) -> Dependency? {
        dependencies.first { $0.matches(address, port: port) }
    }
}
