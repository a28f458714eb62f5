import Flows
import Policy
import Wire

/// Clients the node's own firewall rules would drop: a declared node's service on a port
/// its rules open to the cluster only (Spark, HA, Hazelcast, JMX: `FirewallRuleSet`'s
/// cluster openings), used by an address that is no declared node.
///
/// The port is expected, so no other finding says a word, yet the policy and the traffic
/// disagree on who may connect: a workstation on the Spark master, a monitoring host on
/// JMX, a node's address the policy does not list. Behind the rules `ports --firewall`
/// writes, those connections are dropped; without them, a port the cluster keeps to itself
/// faces whoever reaches it. Either way the auditor should hear of it. The rule set is the
/// one the firewall writes (`includeUnbound`, so that a normally unbound port's exposure
/// counts too), so the two cannot disagree: in client mode the driver's callback ports face
/// clients, and their external executors earn nothing here.
///
/// Only when the policy declares nodes (else the cluster's addresses are unknown and the
/// rules open every port to every source), for expected and executor services of a node,
/// and not for the port scanners among the clients, whose probes their scan finding reports.
struct ClientsOutsideCluster {
    /// Each declared node's rules, by name.
    private let rules: [String: FirewallRuleSet]
    /// How many of the outside clients a finding names.
    static let namedClients = 5

    /// The declared nodes' addresses: one lookup per client, whatever the number of nodes.
    private let hosts: Set<IPAddress>
    private let blocks: [AddressPattern]

    init(policy: Policy) {
        rules = FirewallRuleSet.everyNode(of: policy, includeUnbound: true)
        let addresses = policy.nodes.flatMap(\.addresses)
        hosts = Set(addresses.filter(\.isSingleAddress).map(\.network))
        blocks = addresses.filter { !$0.isSingleAddress }
    }

    /// Whether `client` is an address of a declared node.
    private func isNode(_ client: IPAddress) -> Bool {
        hosts.contains(client) || blocks.contains { $0.contains(client) }
    }

    /// The finding of `service`, if clients outside the cluster used it while its node's
    /// rules open its port to the cluster only.
    func finding(for service: ClassifiedService) -> Finding? {
        guard service.verdict.classification == .expected || service.verdict.classification == .executor,
              let node = service.node, let rules = rules[node.name],
              !service.endpoint.address.isLoopback, !service.traffic.servedOnlyScanners
        else { return nil }
        let port = service.endpoint.port
        guard !rules.clientOpenings.contains(where: { $0.ports.contains(port) }) else { return nil }
        // The driver's callback ports, where the policy names the external cluster: its hosts too.
        let external = rules.externalClusterOpenings.first { $0.ports.contains(port) }
        guard let opening = external ?? rules.clusterOpenings.first(where: { $0.ports.contains(port) }) else { return nil }
        let scanners = Set(service.traffic.protocolClients.lazy.filter(\.isScanner).map(\.address))
        let outside = service.traffic.clients.filter { client in
            !client.isLoopback && !scanners.contains(client) && !isNode(client)
                && (external == nil || !rules.externalCluster.contains { $0.contains(client) })
        }
        guard !outside.isEmpty else { return nil }
        return Self.finding(service: service, node: node, opening: opening, toExternalCluster: external != nil,
                            outside: outside, allClients: service.traffic.clients.count)
    }

    private static func finding(service: ClassifiedService, node: Node, opening: FirewallRuleSet.Opening,
                                toExternalCluster: Bool, outside: [IPAddress], allClients: Int) -> Finding {
        let named = outside.prefix(namedClients).map(AddressText.of).joined(separator: ", ")
        let more = outside.count > namedClients ? " and \(outside.count - namedClients) more" : ""
        let clients = outside.count == 1 ? (allClients == 1 ? "its one client is" : "1 of its \(allClients) clients is")
            : outside.count == allClients ? "all \(allClients) of its clients are" : "\(outside.count) of its \(allClients) clients are"
        return Finding(
            kind: .clientOutsideCluster, severity: .medium, port: service.endpoint.port, address: service.address,
            node: node.name,
            message: "\(service.endpointText) (\(opening.labels.joined(separator: ", "))) is open to the cluster's "
                + (toExternalCluster ? "nodes and the external Spark cluster (external_cluster) only, but \(clients) neither: "
                    : "nodes only, but \(clients) no declared node: ") + "\(named)\(more); "
                + "node \(node.name)'s firewall rules (dasaudit ports --firewall ... --node \(node.name)) would drop "
                + "\(outside.count == 1 ? "it" : "them")",
            remediation: (toExternalCluster ? "If they are hosts of the external Spark cluster, add them to external_cluster; "
                : "") + "If they are cluster hosts, declare their addresses under the policy's nodes; if the port "
                + "must face them, give it under allow: with the reason (the rules then open it to every source) or "
                + "waive this finding; otherwise find out how they reach a port the cluster keeps to itself.")
    }
}
