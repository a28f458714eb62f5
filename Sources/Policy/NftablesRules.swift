/// A rule set as an nftables script for `nft -f`: one `table inet dasaudit` (IPv4 and IPv6)
/// whose input chain drops by default. The script declares the table, deletes it and
/// defines it again, all in one transaction, so it applies the same way whether or not
/// an earlier version is loaded. One table, because an accept in one nftables table does
/// not override a drop in another: the node's whole inbound policy must live in one chain.
enum NftablesRules {
    static func lines(_ set: FirewallRuleSet) -> [String] {
        var lines = [
            "table inet dasaudit",
            "delete table inet dasaudit",
            "table inet dasaudit {",
        ]
        let families: [(name: String, type: String, match: String, addresses: [AddressPattern]?)] = [
            ("cluster_v4", "ipv4_addr", "ip saddr", set.clusterAddresses(ipv4: true)),
            ("cluster_v6", "ipv6_addr", "ip6 saddr", set.clusterAddresses(ipv4: false)),
        ]
        let external: [(name: String, type: String, match: String, addresses: [AddressPattern]?)] =
            set.externalClusterOpenings.isEmpty ? [] : [
                ("external_v4", "ipv4_addr", "ip saddr", set.externalClusterSources(ipv4: true)),
                ("external_v6", "ipv6_addr", "ip6 saddr", set.externalClusterSources(ipv4: false)),
            ]
        for family in families + external {
            guard let addresses = family.addresses, !addresses.isEmpty else { continue }
            lines += [
                "  set \(family.name) {",
                "    type \(family.type)",
                "    flags interval",
                "    auto-merge",
                "    elements = { \(addresses.map(\.description).joined(separator: ", ")) }",
                "  }",
            ]
        }
        lines += [
            "  chain input {",
            "    type filter hook input priority filter; policy drop;",
            "    ct state established,related accept",
            "    ct state invalid drop",
            "    iifname \"lo\" accept",
            "    icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept "
                + "comment \"IPv6 neighbour discovery\"",
        ]
        // Cluster ports: from each family's set of node addresses (a family without any
        // stays closed); from anywhere when no nodes are declared.
        let clusterSources = set.clusterAddresses == nil ? [""]
            : families.filter { $0.addresses?.isEmpty == false }.map { "\($0.match) @\($0.name) " }
        lines += set.clientOpenings.map { accept($0) }
        lines += set.clusterOpenings.flatMap { opening in clusterSources.map { accept(opening, from: $0) } }
        if let port = set.multicastMembershipPort {
            lines += clusterSources.map { "    \($0)udp dport \(port) accept comment \"\(FirewallRuleSet.multicastMembershipComment)\"" }
            lines += [
                "    ip protocol igmp accept comment \"\(FirewallRuleSet.groupQueryComment)\"",
                "    icmpv6 type mld-listener-query accept comment \"\(FirewallRuleSet.groupQueryComment)\"",
            ]
        }
        // The driver's callback ports: from the nodes and the external cluster (a family
        // with neither stays closed).
        let externalSources = external.filter { $0.addresses?.isEmpty == false }.map { "\($0.match) @\($0.name) " }
        lines += set.externalClusterOpenings.flatMap { opening in externalSources.map { accept(opening, from: $0) } }
        lines += ["  }", "}"]
        return lines
    }

    /// `    ip saddr @cluster_v4 tcp dport 12002-12004 accept comment "spark.blockManager.port"`.
    static func accept(_ opening: FirewallRuleSet.Opening, from source: String = "") -> String {
        "    \(source)tcp dport \(opening.ports.portText) accept comment \"\(opening.comment)\""
    }
}
