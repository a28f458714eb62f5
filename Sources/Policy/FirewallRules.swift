/// Firewall rules that open exactly the policy's expected ports: nftables or iptables,
/// one block per declared node (to run on that node), or one for every node.
public enum FirewallRules {
    public enum Dialect: String, CaseIterable, Sendable {
        case nftables, iptables
    }

    public static func render(_ openings: ExpectedOpenings, dialect: Dialect, policy: Policy) -> String {
        var lines = [
            "# dasaudit: inbound TCP ports of the \(policy.profileName) policy, offset \(policy.offset), "
                + "mode \(policy.mode.rawValue), \(policy.coresPerNode) core\(policy.coresPerNode == 1 ? "" : "s") per node.",
            "# Apply each block on its node. They accept the expected ports; add your own rules for",
            "# administration (ssh) and choose the default policy for everything else.",
        ]
        for scope in openings.scopes {
            lines.append("")
            if let node = scope.node {
                lines.append("# node \(node.name) (\(node.addresses.map(\.description).joined(separator: ", ")))")
            } else {
                lines.append("# every DAS node")
            }
            // One rule per port range; 11000+offset may carry two keys.
            var keysByPorts: [(ports: ClosedRange<UInt16>, keys: [String])] = []
            for opening in scope.openings {
                if let index = keysByPorts.firstIndex(where: { $0.ports == opening.ports }) {
                    keysByPorts[index].keys.append(opening.key)
                } else {
                    keysByPorts.append((opening.ports, [opening.key]))
                }
            }
            let ports = keysByPorts.map(\.ports.portText)
            switch dialect {
            case .nftables:
                let table = "dasaudit" + (scope.node.map { "_" + sanitized($0.name) } ?? "")
                lines += [
                    "table inet \(table) {",
                    "  chain input {",
                    "    type filter hook input priority 0; policy accept;",
                    "    tcp dport { \(ports.joined(separator: ", ")) } accept",
                    "  }",
                    "}",
                ]
            case .iptables:
                let chain = "DASAUDIT" + (scope.node.map { "_" + sanitized($0.name).uppercased() } ?? "")
                lines.append("iptables -N \(chain)")
                for (range, keys) in keysByPorts {
                    let port = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound):\(range.upperBound)"
                    lines.append("iptables -A \(chain) -p tcp --dport \(port) -j ACCEPT  # \(keys.joined(separator: ", "))")
                }
                lines.append("iptables -A INPUT -p tcp -j \(chain)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A node name as an nftables table or iptables chain name: letters, digits, `_`.
    static func sanitized(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}
