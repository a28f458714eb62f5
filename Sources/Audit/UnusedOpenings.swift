import Policy

/// Expected ports that carried no traffic in the capture window: per declared node when
/// the policy declares nodes, else across all hosts. The executor band counts as used when
/// any executor port of the node (or cluster) carried traffic. Ports normally unbound, and
/// conditional ports whose feature the policy does not say is on, are marked so (info);
/// those of a feature that lists none then (`DeploymentFeature.listsUnusedWhenNotSaid`) are left out.
struct UnusedOpenings {
    let policy: Policy

    func find(services: [ClassifiedService]) -> [UnusedOpening] {
        let scopes: [Node?] = policy.nodes.isEmpty ? [nil] : policy.nodes
        var openings: [UnusedOpening] = []
        for node in scopes {
            // The ports in use on this scope, read in place (through a buffer, so that no
            // service is copied): a filtered copy of the services cost 68 MB at 40,000 services.
            var usedPorts = Set<UInt16>()
            var executorUsed = false
            services.withUnsafeBufferPointer { services in
                for index in services.indices where node.map({ $0.contains(services[index].endpoint.address) }) ?? true {
                    usedPorts.insert(services[index].endpoint.port)
                    executorUsed = executorUsed || services[index].verdict.classification == .executor
                }
            }
            for entry in policy.catalog where policy.expects(entry, on: node) {
                let used = entry.isExecutorBand ? executorUsed : policy.ports(of: entry).contains { usedPorts.contains($0) }
                guard !used, entry.feature.map({ policy.isOn($0) || $0.listsUnusedWhenNotSaid }) ?? true else { continue }
                let featureNotSaid = entry.feature.flatMap { policy.isOn($0) ? nil : $0.rawValue }
                openings.append(UnusedOpening(
                    port: entry.port(offset: policy.offset), node: node?.name, catalogKey: entry.key,
                    group: entry.group.rawValue, normallyBound: policy.mustBeBound(entry), summary: entry.summary,
                    feature: featureNotSaid))
            }
        }
        return openings.sorted { ($0.node ?? "", $0.port, $0.catalogKey) < ($1.node ?? "", $1.port, $1.catalogKey) }
    }
}
