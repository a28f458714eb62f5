import Policy
import Wire

/// Whether the capture saw the cluster it is judged against. An audit that judged
/// services can still have seen nothing of the cluster: a capture taken on the wrong host
/// (traffic, but none of the declared nodes in it), or one whose only traffic is a port
/// scan's probes (what answered, not what the cluster uses). Every rule would pass such a
/// capture, the declared nodes' ports all merely "unused"; like an audit of nothing
/// (`NoTraffic`), it gets a `no-traffic` finding, which no waiver covers and which fails
/// the audit whatever `--fail-on` says.
///
/// A declared node that took part in no connection while others did is a coverage fact,
/// not an audit of nothing: one low `node-not-seen` finding per such node (a node that is
/// down, or whose traffic does not pass the capture point), waivable by its name.
///
/// "Took part" is as server or client of a service, a connection attempt, or a
/// connection of unknown direction; scan probes do not count, for or against. When the
/// capture overflowed a bound (clients per service capped, services, attempts or
/// connections of unknown direction not listed), the lists cannot show that a node was
/// absent, and no finding is made.
public struct ClusterPresence {
    let policy: Policy

    /// The no-traffic finding of a capture that saw nothing of the cluster (`nothing`), or
    /// else one `node-not-seen` finding per declared node it never saw.
    func findings(services: [ClassifiedService], attempts: [ClassifiedAttempt], unresolved: [UnresolvedConnection],
                  scans: [PortScanSummary], coverage: Coverage) -> (nothing: Finding?, notSeen: [Finding]) {
        guard !Self.boundsOverflowed(coverage) else { return (nil, []) }
        if Self.onlyScanned(services: services.lazy.map { (endpoint: $0.endpointText, payloadBytes: $0.traffic.payloadBytes) },
                            attempts: attempts.count, scans: scans) {
            return (Self.scanOnlyFinding(answered: services.count, scans: scans), [])
        }
        guard !policy.nodes.isEmpty else { return (nil, []) }
        let seen = seenNodes(services: services, attempts: attempts, unresolved: unresolved)
        if seen.isEmpty { return (noNodeFinding(services: services, attempts: attempts, unresolved: unresolved), []) }
        return (nil, policy.nodes.filter { !seen.contains($0.name) }.map(notSeenFinding))
    }

    /// Whether a bound left the lists short of what the capture held.
    public static func boundsOverflowed(_ coverage: Coverage) -> Bool {
        coverage.clientCountsCapped || coverage.serviceConnectionsNotListed > 0 || coverage.attemptsNotListed > 0
            || coverage.unresolvedNotListed > 0
    }

    /// Whether the only connections were port scans' probes: there were scans, no
    /// connection attempt besides their folded probes, and every service (`endpoint` as
    /// `address:port`, IPv6 in brackets) is an open port a scan lists that carried no
    /// payload byte either way (a version scan's probes carry some, and count as traffic).
    /// The reports apply it to a result too (`Verdict`), for one made before the rule.
    public static func onlyScanned(services: some Sequence<(endpoint: String, payloadBytes: UInt64)>, attempts: Int,
                                   scans: [PortScanSummary]) -> Bool {
        guard !scans.isEmpty, attempts == 0 else { return false }
        return services.allSatisfy { service in
            service.payloadBytes == 0 && scans.contains { $0.openPorts.contains(service.endpoint) }
        }
    }

    /// The names of the declared nodes that served, were tried, or were a client.
    private func seenNodes(services: [ClassifiedService], attempts: [ClassifiedAttempt],
                           unresolved: [UnresolvedConnection]) -> Set<String> {
        var seen = Set<String>()
        let all = policy.nodes.count
        func note(_ address: IPAddress) {
            if let node = policy.node(for: address) { seen.insert(node.name) }
        }
        for service in services where seen.count < all {
            if let node = service.node { seen.insert(node.name) }
            service.traffic.clients.forEach(note)
        }
        for attempt in attempts where seen.count < all {
            if let node = attempt.node { seen.insert(node.name) }
            attempt.tries.clients.forEach(note)
        }
        for connection in unresolved where seen.count < all {
            for text in [connection.addressA, connection.addressB] { IPAddress(text).map(note) }
        }
        return seen
    }

    /// The `no-traffic` finding of a capture that held only `scans`, with `answered` open
    /// ports among their probes.
    public static func scanOnlyFinding(answered: Int, scans: [PortScanSummary]) -> Finding {
        let probes = scans.probes
        let scanners = Array(Set(scans.map(\.scanner))).sorted(by: AddressOrder.less)
        return Finding(
            kind: .noTraffic, severity: .high, port: nil, address: nil,
            message: "no cluster traffic was audited: the capture's only connections were \(probes) port-scan probe"
                + "\(probes == 1 ? "" : "s") from \(listed(scanners))"
                + (answered == 0 ? "" : " (\(answered) port\(answered == 1 ? "" : "s") answered them)")
                + "; a scan shows what answered, not what the cluster uses, so no port of it can be judged used or unused",
            remediation: "Audit a capture taken while the cluster was in use (its own connections between nodes and "
                + "clients), not only while it was scanned.")
    }

    private func noNodeFinding(services: [ClassifiedService], attempts: [ClassifiedAttempt],
                               unresolved: [UnresolvedConnection]) -> Finding {
        var addresses = Set<String>()
        for service in services { addresses.insert(service.address) }
        for attempt in attempts { addresses.insert("\(attempt.endpoint.address)") }
        for connection in unresolved { addresses.formUnion([connection.addressA, connection.addressB]) }
        let nodes = policy.nodes.map { node in "\(node.name) (\(node.addresses.map(\.description).joined(separator: ", ")))" }
        return Finding(
            kind: .noTraffic, severity: .high, port: nil, address: nil,
            message: "none of the policy's \(nodes.count) declared node\(nodes.count == 1 ? "" : "s"), "
                + "\(nodes.joined(separator: ", ")), took part in any connection of the capture, as server or client; "
                + "its servers were \(Self.listed(addresses.sorted(by: AddressOrder.less))) instead: the capture says "
                + "nothing of the declared cluster",
            remediation: "Check that the capture was taken on (or in front of) the declared nodes, and that the "
                + "policy's node addresses are theirs as the capture sees them (after NAT or inside a tunnel); then "
                + "audit a capture of the cluster, or the policy of the cluster captured.")
    }

    private func notSeenFinding(_ node: Node) -> Finding {
        let addresses = node.addresses.map(\.description).joined(separator: ", ")
        return Finding(
            kind: .nodeNotSeen, severity: .low, port: nil, address: node.addresses.count == 1
                && node.addresses[0].isSingleAddress ? addresses : nil, node: node.name,
            message: "declared node \(node.name) (\(addresses)) took part in no connection of the capture, as server "
                + "or client, while other declared nodes did: the audit says nothing of its services, and its "
                + "openings are unused only in that nothing reached them",
            remediation: "Check that the node is up and that its traffic passes the capture point (capture on it too "
                + "and merge the results); if it has left the cluster, drop it from the policy.")
    }

    /// "a, b, c and 4 more": the first few of `items`.
    static func listed(_ items: [String], first: Int = 5) -> String {
        let shown = items.prefix(first)
        let rest = items.count - shown.count
        if rest > 0 { return shown.joined(separator: ", ") + " and \(rest) more" }
        guard shown.count > 1 else { return shown.first ?? "none" }
        return shown.dropLast().joined(separator: ", ") + " and " + shown.last!
    }
}
