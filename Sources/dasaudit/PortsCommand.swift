import ArgumentParser
import Foundation
import Policy

struct PortsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ports",
        abstract: "Print the ports the policy expects open, or firewall rules that open them.",
        discussion: """
        Lists every catalog port the cluster is expected to open under the offset and mode, \
        with its configuration key, and the allowed executor range; per node when the \
        policy declares nodes.

        --firewall writes the complete inbound rules of one node instead (--node NAME when \
        the policy declares nodes): established traffic, loopback and the node's expected \
        ports accepted, cluster-internal ports from the nodes' addresses only, everything \
        else dropped. Review, then load with nft -f, iptables-restore or ip6tables-restore \
        (docs/firewall.md).

        Examples:
          dasaudit ports --offset 2 --mode cluster --cores 2
          dasaudit ports --policy das.yaml --node das1 --firewall nftables >das1.nft
          dasaudit ports --policy das.yaml --node das1 --firewall iptables >das1.v4
          dasaudit ports --policy das.yaml --node das1 --firewall ip6tables >das1.v6
        """
    )

    @OptionGroup var policyOptions: PolicyOptions

    @Option(help: ArgumentHelp("Output format: text or json.", valueName: "format"))
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp("Write one node's inbound firewall rules instead: nftables (IPv4 and IPv6), iptables (IPv4) or ip6tables (IPv6).",
                               valueName: "dialect"))
    var firewall: FirewallRules.Dialect?

    @Option(help: ArgumentHelp("With --firewall, the declared node the rules are for.", valueName: "name"))
    var node: String?

    @Flag(help: "With --firewall, open the ports normally left unbound too (spark.history.ui.port, the broadcast and REPL servers, embedded LDAP).")
    var includeUnbound = false

    func validate() throws {
        if firewall == nil && (node != nil || includeUnbound) {
            throw ValidationError("--node and --include-unbound choose what --firewall writes; give --firewall too")
        }
    }

    func run() throws {
        let policy = try policyOptions.makePolicy()
        if let firewall {
            let rules = try FirewallRuleSet(policy: policy, nodeName: node, includeUnbound: includeUnbound)
            try write(FirewallRules.render(rules, dialect: firewall), to: nil)
            return
        }
        let openings = ExpectedOpenings(policy: policy)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let document = ExpectedPortsDocument(policy: policy, openings: openings)
            try write(String(decoding: try encoder.encode(document), as: UTF8.self) + "\n", to: nil)
        case .text:
            try write(text(policy: policy, openings: openings), to: nil)
        }
    }

    private func text(policy: Policy, openings: ExpectedOpenings) -> String {
        var lines = ["Expected openings: profile \(policy.profileName), offset \(policy.offset), mode \(policy.mode.rawValue), "
            + "\(policy.coresPerNode) core\(policy.coresPerNode == 1 ? "" : "s") per node"]
        for scope in openings.scopes {
            if let node = scope.node {
                let roles = node.roles.isEmpty ? "all roles" : NodeRole.allCases.filter(node.roles.contains).map(\.rawValue).joined(separator: ", ")
                lines.append("")
                lines.append("node \(node.name) (\(node.addresses.map(\.description).joined(separator: ", "))): \(roles)")
            }
            let width = scope.openings.map(\.key.count).max() ?? 0
            for opening in scope.openings {
                let key = opening.key + String(repeating: " ", count: width - opening.key.count)
                let group = opening.group.rawValue + String(repeating: " ", count: 13 - opening.group.rawValue.count)
                var notes: [String] = []
                if let spoken = policy.expectedProtocol(key: opening.key) { notes.append("speaks \(spoken.name)") }
                if !opening.shifted { notes.append("not shifted") }
                if let feature = opening.feature {
                    notes.append("only with \(feature.switchedOnBy)")
                } else if !opening.normallyBound {
                    notes.append("normally unbound")
                }
                lines.append("  \(opening.ports.portText.leftPadded(11))  \(key)  \(group)  \(opening.summary)"
                    + (notes.isEmpty ? "" : " [\(notes.joined(separator: ", "))]"))
            }
        }
        lines.append("")
        lines.append("Executor band watched for out-of-range executors: \(policy.executorBand) "
            + "(spark.blockManager.port + spark.port.maxRetries \(policy.portRetries))")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The JSON form of `dasaudit ports`.
struct ExpectedPortsDocument: Encodable {
    struct Opening: Encodable {
        var ports: String
        var key: String
        var group: String
        var shifted: Bool
        var normallyBound: Bool
        /// `cluster` (the nodes only) or `clients` (any source): what the firewall rules allow.
        var exposure: String
        var summary: String
        /// What the port speaks (docs/protocols.md); absent where the catalog states nothing.
        var `protocol`: String?
    }

    struct Scope: Encodable {
        var node: String?
        var openings: [Opening]
    }

    var profile: String
    var offset: Int
    var mode: String
    var cores: Int
    var executorBand: String
    var scopes: [Scope]

    init(policy: Policy, openings: ExpectedOpenings) {
        profile = policy.profileName
        offset = policy.offset
        mode = policy.mode.rawValue
        cores = policy.coresPerNode
        executorBand = "\(policy.executorBand)"
        scopes = openings.scopes.map { scope in
            Scope(node: scope.node?.name, openings: scope.openings.map {
                Opening(ports: $0.ports.portText, key: $0.key, group: $0.group.rawValue, shifted: $0.shifted,
                        normallyBound: $0.normallyBound, exposure: $0.exposure.rawValue, summary: $0.summary,
                        protocol: policy.expectedProtocol(key: $0.key)?.name)
            })
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}

extension FirewallRules.Dialect: ExpressibleByArgument {}
