import Policy

/// The text of `dasaudit ports`: the ports the policy expects open under its offset, mode
/// and cores, per node when it declares nodes, with each port's catalog key, group, summary
/// and notes, and the executor band the audit watches. Every line is `terminalEscaped`.
public enum ExpectedPortsText {
    /// Width of the port column, right-aligned: a range such as `12002-12005`.
    static let portColumn = 11
    /// Width of the group column: the longest group name, `spark-cluster`.
    static let groupColumn = 13

    public static func render(policy: Policy, openings: ExpectedOpenings) -> String {
        var lines = ["Expected openings: profile \(policy.profileName), offset \(policy.offset), mode \(policy.mode.rawValue), "
            + "\(policy.coresPerNode) core\(policy.coresPerNode == 1 ? "" : "s") per node"]
        for scope in openings.scopes {
            if let node = scope.node {
                lines.append("")
                lines.append("node \(node.name) (\(node.addresses.map(\.description).joined(separator: ", "))): \(roles(of: node))")
            }
            let width = scope.openings.map(\.key.count).max() ?? 0
            for opening in scope.openings {
                let notes = notes(on: opening, policy: policy)
                lines.append("  \(padded(opening.ports.portText, to: portColumn, left: true))  \(padded(opening.key, to: width))  "
                    + "\(padded(opening.group.rawValue, to: groupColumn))  \(opening.summary)"
                    + (notes.isEmpty ? "" : " [\(notes.joined(separator: ", "))]"))
            }
        }
        lines.append("")
        if let band = policy.executorBand {
            lines.append("Executor band watched for out-of-range executors: \(band) "
                + "(spark.blockManager.port + spark.port.maxRetries \(policy.portRetries))")
        } else {
            lines.append("No executor band: the policy pins no spark.blockManager.port (Spark picks random ports)")
        }
        // Reasons and names come from the policy: shown escaped, they cannot act on the terminal.
        return lines.map(\.terminalEscaped).joined(separator: "\n") + "\n"
    }

    /// A node's roles in words: `all roles` when it declares none.
    static func roles(of node: Node) -> String {
        node.roles.isEmpty ? "all roles" : NodeRole.allCases.filter(node.roles.contains).map(\.rawValue).joined(separator: ", ")
    }

    /// What to know about an opening beyond its summary: what it speaks, whether the offset
    /// moves it, and whether it opens only with a feature or is normally unbound.
    static func notes(on opening: ExpectedOpenings.Opening, policy: Policy) -> [String] {
        var notes: [String] = []
        if let spoken = policy.expectedProtocol(of: opening) {
            // "or tls" where Spark can encrypt the port itself (spark.ssl.rpc.enabled and the like).
            let wrapped = policy.mayWrapInTLS(port: opening.ports.lowerBound, key: opening.key)
            notes.append("speaks \(spoken.name)" + (wrapped ? " or tls" : ""))
        }
        if !opening.shifted { notes.append("not shifted") }
        if let feature = opening.feature {
            notes.append("only with \(feature.switchedOnBy)")
        } else if !opening.normallyBound {
            notes.append("normally unbound")
        }
        return notes
    }

    static func padded(_ text: String, to width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? padding + text : text + padding
    }
}
