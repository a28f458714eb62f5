/// The inbound rules of one node (or of any DAS node when the policy declares none),
/// before they are written in a firewall's language: which ports every source may reach,
/// which only the cluster's own addresses may, and what was left out. Everything else
/// inbound is dropped; established and related traffic and loopback are accepted.
public struct FirewallRuleSet: Sendable {
    /// Ports opened by one rule, and the catalog keys (or allow reasons) behind them.
    public struct Opening: Hashable, Sendable {
        public var ports: ClosedRange<UInt16>
        public var labels: [String]

        /// The labels as a rule comment, escaped (`FirewallText.comment`).
        var comment: String { FirewallText.comment(labels.joined(separator: ", ")) }
    }

    /// The node the set is for; nil when the policy declares no nodes.
    public let node: Node?
    /// Ports open to every source: receivers, the management console, allowed ports.
    public let clientOpenings: [Opening]
    /// Ports open to the cluster's addresses only: Spark, HA, Hazelcast, JMX.
    public let clusterOpenings: [Opening]
    /// Ports open to the nodes and the external Spark cluster's hosts only: the driver's
    /// callback ports in client mode, when the policy names that cluster (`external_cluster`).
    public let externalClusterOpenings: [Opening]
    /// In client mode, the driver's ports the external cluster's executors call back on,
    /// among `clientOpenings` (every source) or `externalClusterOpenings`: the header says why.
    public let executorCallbacks: [Opening]
    /// The addresses of every declared node; nil when none are declared, and then the
    /// cluster ports are open to every source, since the cluster is not known.
    public let clusterAddresses: [AddressPattern]?
    /// The external Spark cluster's addresses the policy names (`external_cluster`); empty
    /// when it names none.
    public let externalCluster: [AddressPattern]
    /// Expected ports normally left unbound, not opened (unless asked for), and no rule
    /// opens them for another entry either: the header's "Left closed" list.
    public let leftOut: [Opening]
    /// Expected ports left out for their own entry, but opened by another entry's rule on
    /// the same port: without HA, 11000+offset is `ha.presenter.port` left out and
    /// `spark.worker.port` opened; with 600 cores the executor band 12000-12600 covers
    /// `spark.broadcast.port`. Listed apart, since calling them closed would be false.
    public let openedByOthers: [SharedPort]
    /// The UDP port the node's Hazelcast members multicast their joins to
    /// (`Policy.hazelcastMembership`), accepted from the cluster's addresses with the IGMP
    /// and MLD queries that keep a switch forwarding the group; nil when the node runs no
    /// Hazelcast or its members find each other over TCP.
    public let multicastMembershipPort: UInt16?
    /// The comment of the rule that accepts `multicastMembershipPort`.
    static let multicastMembershipComment = "Hazelcast multicast membership (axis2.xml membershipScheme, mcastPort)"
    /// The comment of the rules that accept IGMP and MLD queries with it.
    static let groupQueryComment = "multicast group queries, for Hazelcast multicast membership"
    /// Keys of ports the node's roles need that Spark picks at random (`Policy.randomEntries`):
    /// no rule opens them, and the header and a warning say so.
    public let randomKeys: [String]
    /// One line on the policy the set comes from, for the file's header.
    public let policySummary: String

    /// The rule set for the node named `nodeName`. Throws a `PolicyError` when the policy
    /// declares nodes and `nodeName` is nil or none of them, or when it names a node and
    /// the policy declares none: a rule set is for one machine.
    public init(policy: Policy, nodeName: String?, includeUnbound: Bool = false) throws {
        let names = policy.nodes.map { "'\($0.name)'" }.joined(separator: ", ")
        let node: Node?
        switch (nodeName, policy.nodes.isEmpty) {
        case (nil, true):
            node = nil
        case (nil, false):
            throw PolicyError(source: "--firewall", message: "the policy declares nodes and each needs its own rules; "
                + "choose one with --node NAME (one of \(names))")
        case (let name?, true):
            throw PolicyError(source: "--node", message: "'\(name)' is not a node of the policy: it declares none "
                + "(leave --node out for rules that fit any DAS node)")
        case (let name?, false):
            guard let found = policy.nodes.first(where: { $0.name == name }) else {
                throw PolicyError(source: "--node", message: "'\(name)' is not a node of the policy; its nodes are \(names)")
            }
            node = found
        }
        self.init(policy: policy, node: node, openings: ExpectedOpenings(policy: policy).scopes.first { $0.node == node }?.openings ?? [],
                  clusterAddresses: Self.clusterAddresses(of: policy), includeUnbound: includeUnbound)
    }

    /// Every declared node's rule set, by node name (empty when the policy declares none):
    /// the openings worked out once for all of them, where a set at a time works them out
    /// for every node again (a thousand nodes: a million scopes).
    public static func everyNode(of policy: Policy, includeUnbound: Bool = false) -> [String: FirewallRuleSet] {
        let addresses = clusterAddresses(of: policy)
        var sets: [String: FirewallRuleSet] = [:]
        for scope in ExpectedOpenings(policy: policy).scopes {
            guard let node = scope.node else { continue }
            sets[node.name] = FirewallRuleSet(policy: policy, node: node, openings: scope.openings,
                                              clusterAddresses: addresses, includeUnbound: includeUnbound)
        }
        return sets
    }

    /// The addresses of every declared node, each once; nil when none are declared.
    static func clusterAddresses(of policy: Policy) -> [AddressPattern]? {
        policy.nodes.isEmpty ? nil : policy.nodes.flatMap(\.addresses).uniqued()
    }

    private init(policy: Policy, node: Node?, openings: [ExpectedOpenings.Opening], clusterAddresses: [AddressPattern]?,
                 includeUnbound: Bool) {
        self.node = node
        let opened = openings.filter { includeUnbound || $0.normallyBound }
        clientOpenings = FirewallRuleSet.merged(opened.filter { $0.exposure == .clients })
        clusterOpenings = FirewallRuleSet.merged(opened.filter { $0.exposure == .cluster })
        externalClusterOpenings = FirewallRuleSet.merged(opened.filter { $0.exposure == .externalCluster })
        executorCallbacks = FirewallRuleSet.merged(opened.filter(\.calledBackByExternalExecutors))
        externalCluster = policy.externalCluster
        let notOpened = FirewallRuleSet.merged(openings.filter { !opened.contains($0) })
        (leftOut, openedByOthers) = FirewallRuleSet.split(notOpened, by: clientOpenings + clusterOpenings + externalClusterOpenings)
        randomKeys = policy.randomEntries(on: node).map(\.key).uniqued()
        let runsHazelcast = clusterOpenings.contains { $0.labels.contains(Catalog.hazelcastMemberKey) }
        multicastMembershipPort = runsHazelcast ? policy.hazelcastMembership.multicastPort : nil
        self.clusterAddresses = clusterAddresses
        policySummary = "profile \(policy.profileName), offset \(policy.offset), mode \(policy.mode.rawValue), "
            + "\(policy.coresPerNode) core\(policy.coresPerNode == 1 ? "" : "s") per node"
    }

    /// A port range left out for its own entries (`labels`) that rules for other entries
    /// open (`openedAs`: their labels).
    public struct SharedPort: Hashable, Sendable {
        public var ports: ClosedRange<UInt16>
        public var labels: [String]
        public var openedAs: [String]
    }

    /// `notOpened` cut by the ranges `opened` covers: the pieces no rule opens, and the
    /// pieces a rule opens with that rule's labels.
    static func split(_ notOpened: [Opening], by opened: [Opening]) -> (closed: [Opening], shared: [SharedPort]) {
        var closed: [Opening] = [], shared: [SharedPort] = []
        for opening in notOpened {
            var next = Int(opening.ports.lowerBound)
            let end = Int(opening.ports.upperBound)
            // In order of their first port, so each piece is taken from the rule reaching it first.
            for rule in opened.sorted(by: { $0.ports.lowerBound < $1.ports.lowerBound }) where next <= end {
                let lower = max(next, Int(rule.ports.lowerBound)), upper = min(end, Int(rule.ports.upperBound))
                guard lower <= upper else { continue }
                if next < lower { closed.append(Opening(ports: UInt16(next)...UInt16(lower - 1), labels: opening.labels)) }
                shared.append(SharedPort(ports: UInt16(lower)...UInt16(upper), labels: opening.labels, openedAs: rule.labels))
                next = upper + 1
            }
            if next <= end { closed.append(Opening(ports: UInt16(next)...UInt16(end), labels: opening.labels)) }
        }
        return (closed, shared)
    }

    /// What the header and the warning say of `randomKeys`; nil when there are none.
    public var randomPortsWarning: String? {
        guard !randomKeys.isEmpty else { return nil }
        return "Not opened, because Spark picks them at random at every start (their keys are unset, or 0), so no rule "
            + "can name them: connections to them are dropped, and no job runs without the driver port and the block "
            + "manager ports. Pin them under ports: in the policy, as in spark-defaults.conf: "
            + randomKeys.joined(separator: ", ")
    }

    /// Who the set is for, in words: `node das1 (10.0.0.1, 10.0.0.0/24)` or `any DAS node`.
    public var target: String {
        guard let node else { return "any DAS node" }
        return "node \(node.name) (\(node.addresses.map(\.description).joined(separator: ", ")))"
    }

    /// The cluster's addresses of one family (IPv4 when `ipv4`).
    func clusterAddresses(ipv4: Bool) -> [AddressPattern]? {
        clusterAddresses?.filter { $0.isIPv4 == ipv4 }
    }

    /// The sources `externalClusterOpenings` accept: the nodes' addresses and the external
    /// cluster's, each once.
    public var externalClusterSources: [AddressPattern] { ((clusterAddresses ?? []) + externalCluster).uniqued() }

    /// `externalClusterSources` of one family (IPv4 when `ipv4`).
    func externalClusterSources(ipv4: Bool) -> [AddressPattern] {
        externalClusterSources.filter { $0.isIPv4 == ipv4 }
    }

    /// One opening per port range, in port order, with every key at that range
    /// (11000+offset can be both `ha.presenter.port` and `spark.worker.port`).
    static func merged(_ openings: [ExpectedOpenings.Opening]) -> [Opening] {
        var merged: [Opening] = []
        for opening in openings {
            let label = opening.key == "allowed" ? "allowed: \(opening.summary)" : opening.key
            if let index = merged.firstIndex(where: { $0.ports == opening.ports }) {
                if !merged[index].labels.contains(label) { merged[index].labels.append(label) }
            } else {
                merged.append(Opening(ports: opening.ports, labels: [label]))
            }
        }
        return merged.sorted { $0.ports.lowerBound < $1.ports.lowerBound }
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
