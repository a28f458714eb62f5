import Flows
import Policy
import Wire

/// The cluster's egress: servers outside the cluster that its nodes use. Checked before
/// the port rules, because a dependency's port means nothing in the DAS catalog (5432 is
/// PostgreSQL on the database host, not a DAS port):
/// 1. a server endpoint a declared dependency matches is `dependency`: listed apart,
///    never a finding;
/// 2. when the policy declares nodes, a server outside them that a node connects to is
///    `undeclared-dependency` (a medium finding), not an unexpected port of the cluster;
/// 3. when the policy declares nodes, a server on a loopback address that is no node's,
///    whose clients are all loopback, is `host-local`: a process serving its own host
///    (PySpark's Py4J gateway, its callback server and its authenticated local servers,
///    each on a random port of 127.0.0.1), unreachable from the network and so listed,
///    never a finding. Without declared nodes, or where a node has a loopback address
///    (a cluster recorded on one host, whose loopback is its network), the port rules
///    judge it as any server;
/// 4. anything else is left to the port rules (`PortClassifier.classify(_:on:)`).
extension PortClassifier {
    /// Classifies the server endpoint `server` on `node` (nil: no declared node holds its
    /// address), whose clients came from `clients`.
    public func classify(server: Endpoint, on node: Node?, clients: some Sequence<IPAddress>) -> Verdict {
        egressVerdict(server: server, on: node, clients: clients) ?? classify(server.port, on: node)
    }

    /// The verdict of rules 1 and 2, nil where the port rules decide.
    func egressVerdict(server: Endpoint, on node: Node?, clients: some Sequence<IPAddress>) -> Verdict? {
        if let dependency = policy.dependency(at: server.address, port: server.port) {
            return Verdict(classification: .dependency, catalogKey: nil, dependency: dependency.name)
        }
        if node == nil, !policy.nodes.isEmpty, clients.contains(where: { policy.node(for: $0) != nil }) {
            return Verdict(classification: .undeclaredDependency, catalogKey: nil)
        }
        if node == nil, !policy.nodes.isEmpty, server.address.isLoopback, !policy.hasLoopbackNode,
           Self.allLoopback(clients) {
            return Verdict(classification: .hostLocal, catalogKey: nil)
        }
        return nil
    }

    /// Whether there are clients and every one is a loopback address.
    static func allLoopback(_ clients: some Sequence<IPAddress>) -> Bool {
        var any = false
        for client in clients {
            guard client.isLoopback else { return false }
            any = true
        }
        return any
    }
}
