/// A rule set as an `iptables-restore` (IPv4) or `ip6tables-restore` (IPv6) file: the
/// filter table, INPUT dropping by default and jumping to the node's chain, which accepts
/// the client ports from anywhere and jumps to a cluster chain for the cluster's addresses.
/// `iptables-restore` replaces the whole filter table, so the file states all of it:
/// FORWARD drops (a DAS node routes nothing; left out, iptables-nft would reset its policy
/// to accept) and OUTPUT accepts. Loading the file again gives the same rules.
enum IptablesRules {
    /// Longest chain name iptables takes (`XT_EXTENSION_MAXNAMELEN` - 1).
    static let maximumChainLength = 28

    static func lines(_ set: FirewallRuleSet, ipv4: Bool) -> [String] {
        let chain = chainNames(for: set.node?.name)
        var lines = [
            "*filter",
            ":INPUT DROP [0:0]",
            ":FORWARD DROP [0:0]",
            ":OUTPUT ACCEPT [0:0]",
            ":\(chain.node) - [0:0]",
        ]
        let addresses = set.clusterAddresses(ipv4: ipv4)
        let clusterChainUsed = (addresses?.isEmpty == false) && !set.clusterOpenings.isEmpty
        if clusterChainUsed { lines.append(":\(chain.cluster) - [0:0]") }
        let external = set.externalClusterSources(ipv4: ipv4)
        let externalChainUsed = !external.isEmpty && !set.externalClusterOpenings.isEmpty
        if externalChainUsed { lines.append(":\(chain.external) - [0:0]") }
        lines += [
            "-A INPUT -i lo -j ACCEPT",
            "-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
            "-A INPUT -m conntrack --ctstate INVALID -j DROP",
        ]
        if !ipv4 {
            for type in ["router-solicitation", "router-advertisement", "neighbour-solicitation", "neighbour-advertisement"] {
                lines.append("-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type \(type) -j ACCEPT")
            }
        }
        lines.append("-A INPUT -p tcp -j \(chain.node)")
        for opening in set.clientOpenings {
            lines.append(accept(opening, in: chain.node))
        }
        if let addresses {
            // Without an address of this family, the cluster ports stay closed (the header says so).
            if clusterChainUsed {
                for address in addresses {
                    lines.append("-A \(chain.node) -s \(address.description) -j \(chain.cluster)")
                }
                for opening in set.clusterOpenings {
                    lines.append(accept(opening, in: chain.cluster))
                }
            }
        } else {
            for opening in set.clusterOpenings {
                lines.append(accept(opening, in: chain.node))
            }
        }
        if let port = set.multicastMembershipPort {
            let udp = "-A INPUT -p udp -m udp --dport \(port)"
            let comment = "-m comment --comment \"\(FirewallRuleSet.multicastMembershipComment)\" -j ACCEPT"
            lines += addresses.map { $0.map { "\(udp) -s \($0.description) \(comment)" } } ?? ["\(udp) \(comment)"]
            lines.append((ipv4 ? "-A INPUT -p igmp" : "-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 130")
                + " -m comment --comment \"\(FirewallRuleSet.groupQueryComment)\" -j ACCEPT")
        }
        // The driver's callback ports, from the nodes and the external cluster only.
        if externalChainUsed {
            for address in external {
                lines.append("-A \(chain.node) -s \(address.description) -j \(chain.external)")
            }
            for opening in set.externalClusterOpenings {
                lines.append(accept(opening, in: chain.external))
            }
        }
        lines.append("COMMIT")
        return lines
    }

    /// The node's chain, its cluster chain and its external cluster chain: `dasaudit-NODE`,
    /// `dasaudit-NODE-cl` and `dasaudit-NODE-ex` (`dasaudit-any-node` without nodes), the
    /// node's name made an identifier that fits iptables' 28 characters with a suffix.
    static func chainNames(for nodeName: String?) -> (node: String, cluster: String, external: String) {
        let prefix = "dasaudit-", suffixLength = 3
        let id = nodeName.map { FirewallText.identifier($0, maxLength: maximumChainLength - prefix.count - suffixLength) }
            ?? "any-node"
        return (prefix + id, prefix + id + "-cl", prefix + id + "-ex")
    }

    /// `-A CHAIN -p tcp -m tcp --dport 12002:12004 -m comment --comment "..." -j ACCEPT`.
    static func accept(_ opening: FirewallRuleSet.Opening, in chain: String) -> String {
        let ports = opening.ports.lowerBound == opening.ports.upperBound
            ? "\(opening.ports.lowerBound)" : "\(opening.ports.lowerBound):\(opening.ports.upperBound)"
        return "-A \(chain) -p tcp -m tcp --dport \(ports) -m comment --comment \"\(opening.comment)\" -j ACCEPT"
    }
}
