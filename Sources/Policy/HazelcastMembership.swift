/// How Carbon's Hazelcast members find each other (axis2.xml's `membershipScheme`), and so
/// whether a clustered node must accept UDP besides its TCP ports.
///
/// With `multicast`, each member sends a join message to a multicast group on a UDP port
/// (axis2.xml's `mcastPort`) and listens on that port; a firewall that drops it leaves every
/// member alone in a cluster of one, while each TCP port stays open. With `wka` (well-known
/// addresses) the members connect to the listed ones over TCP, Hazelcast's port alone.
/// Carbon takes `multicast` when the parameter is missing, and DAS's stock axis2.xml says
/// `multicast` with `mcastPort` 45564 (docs/ports.md).
public enum HazelcastMembership: Sendable, Equatable, CustomStringConvertible {
    case multicast(port: UInt16)
    /// Well-known addresses, or another scheme that finds members over TCP (`aws`,
    /// `kubernetes`: Carbon plug-ins that list the members' addresses).
    case wellKnownAddresses

    /// The policy file's `membership:` values, named as in axis2.xml.
    enum Scheme: String, CaseIterable {
        case multicast, wka
    }

    /// DAS's stock axis2.xml: `multicast`, `mcastPort` 45564.
    public static let stock = HazelcastMembership.multicast(port: stockMulticastPort)
    public static let stockMulticastPort: UInt16 = 45564
    /// Hazelcast's own multicast port, taken when axis2.xml leaves `mcastPort` out.
    public static let hazelcastDefaultMulticastPort: UInt16 = 54327

    /// The UDP port members multicast their joins to; nil when they find each other over TCP.
    public var multicastPort: UInt16? {
        if case .multicast(let port) = self { port } else { nil }
    }

    /// `multicast 45564` or `wka`, as the firewall header and overrides say it.
    public var description: String {
        multicastPort.map { "multicast \($0)" } ?? "wka"
    }
}
