import ArgumentParser
import Policy
import Reports

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
            if let warning = rules.randomPortsWarning { StandardError.write("dasaudit: warning: --firewall: \(warning)\n") }
            try write(FirewallRules.render(rules, dialect: firewall), to: nil)
            return
        }
        let openings = ExpectedOpenings(policy: policy)
        switch format {
        case .json: try write(ExpectedPortsDocument(policy: policy, openings: openings).render(), to: nil)
        case .text: try write(ExpectedPortsText.render(policy: policy, openings: openings), to: nil)
        }
    }
}

extension FirewallRules.Dialect: ExpressibleByArgument {}
