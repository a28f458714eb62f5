/// Firewall rules that enforce a policy on one node: `dasaudit ports --firewall DIALECT
/// [--node NAME]`. Each output is a complete inbound rule set for one machine (accept
/// established traffic, loopback and the node's expected ports, the cluster ports from the
/// cluster's addresses only; drop the rest), in a form its loader takes as a whole:
/// `nft -f`, `iptables-restore` or `ip6tables-restore` (docs/firewall.md).
public enum FirewallRules {
    public enum Dialect: String, CaseIterable, Sendable {
        /// One `table inet dasaudit`, IPv4 and IPv6 together, for `nft -f`.
        case nftables
        /// The IPv4 filter table for `iptables-restore`.
        case iptables
        /// The IPv6 filter table for `ip6tables-restore`.
        case ip6tables

        /// The command that loads the output, for the header.
        var loader: String {
            switch self {
            case .nftables: "nft -f FILE"
            case .iptables: "iptables-restore FILE"
            case .ip6tables: "ip6tables-restore FILE"
            }
        }
    }

    /// The rule set in `dialect`'s file format.
    public static func render(_ set: FirewallRuleSet, dialect: Dialect) -> String {
        let lines = switch dialect {
        case .nftables: NftablesRules.lines(set)
        case .iptables: IptablesRules.lines(set, ipv4: true)
        case .ip6tables: IptablesRules.lines(set, ipv4: false)
        }
        return (header(set, dialect: dialect) + lines).joined(separator: "\n") + "\n"
    }

    /// The comment lines that open every output: what the set is for, how to load it, what
    /// it leaves out. Escaped, like every comment, and wrapped, never cut: the list of what
    /// is left closed is the file's promise of what stays closed, so all of it is there.
    static func header(_ set: FirewallRuleSet, dialect: Dialect) -> [String] {
        var lines = [
            "dasaudit: inbound rules for \(set.target), \(set.policySummary).",
            "Load on that machine with: \(dialect.loader). It replaces the previous dasaudit rules and drops",
            "every inbound connection it does not accept: allow ssh and other host services with --allow PORT:REASON.",
        ]
        if dialect != .nftables {
            lines.append("The file is the whole filter table: FORWARD drops, OUTPUT accepts.")
        }
        if set.clusterAddresses == nil {
            lines.append("No nodes declared: the cluster-internal ports accept any source. Declare the nodes to limit them.")
        } else if !set.clusterOpenings.isEmpty {
            let families = [(dialect != .ip6tables, true, "IPv4"), (dialect != .iptables, false, "IPv6")]
            for (written, ipv4, name) in families where written && set.clusterAddresses(ipv4: ipv4)?.isEmpty == true {
                lines.append("The nodes declare no \(name) address: the cluster-internal ports stay closed over \(name).")
            }
        }
        if let port = set.multicastMembershipPort {
            lines.append("Hazelcast members find each other by multicast (membership multicast, as in the stock axis2.xml of DAS): UDP "
                + "\(port) is accepted \(set.clusterAddresses == nil ? "from any source" : "from the nodes"), with the IGMP "
                + "and MLD queries that keep switches forwarding the group. If axis2.xml says membershipScheme wka, say "
                + "membership: wka in the policy to leave UDP closed.")
        }
        var wrapped = lines.flatMap { FirewallText.commentLines($0) }
        if !set.executorCallbacks.isEmpty {
            let items = set.executorCallbacks.map { "\($0.ports.portText) \($0.labels.joined(separator: " / "))" }
            let sources = set.externalCluster.isEmpty ? "so its ports accept any source (name that cluster's addresses "
                + "under external_cluster: in the policy to accept them alone):"
                : "so its ports accept the nodes and the addresses of the external cluster (external_cluster: "
                    + set.externalCluster.map(\.description).joined(separator: ", ") + "):"
            wrapped += FirewallText.commentLines(
                "Mode client: the executors run on the external Spark cluster, at addresses of no node, and "
                    + "connect to the driver, " + sources, items: items)
        }
        if let warning = set.randomPortsWarning { wrapped += FirewallText.commentLines(warning) }
        if !set.leftOut.isEmpty {
            let items = set.leftOut.map { "\($0.ports.portText) \($0.labels.joined(separator: " / "))" }
            wrapped += FirewallText.commentLines(
                "Left closed, normally unbound or needing a feature the policy does not say is on (--include-unbound opens them):",
                items: items)
        }
        if !set.openedByOthers.isEmpty {
            let items = set.openedByOthers.map {
                "\($0.ports.portText) \($0.labels.joined(separator: " / ")) (opened as \($0.openedAs.joined(separator: " / ")))"
            }
            wrapped += FirewallText.commentLines(
                "Open though normally unbound or off, because a rule for another entry opens the same port:", items: items)
        }
        return wrapped
    }
}
