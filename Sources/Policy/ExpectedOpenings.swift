/// The ports a policy expects open, per declared node (or for the whole cluster when no
/// nodes are declared): what `dasaudit ports` prints and the firewall rules allow.
public struct ExpectedOpenings: Sendable {
    public struct Opening: Hashable, Sendable {
        public var ports: ClosedRange<UInt16>
        public var key: String
        public var group: CatalogGroup
        public var shifted: Bool
        /// Whether the port must be bound under the policy (`Policy.mustBeBound`): false for
        /// ports normally left unbound and for conditional ones whose feature is not said on,
        /// which firewall rules leave out unless asked.
        public var normallyBound: Bool
        /// The deployment feature the port needs when the policy does not say it is on.
        public var feature: DeploymentFeature? = nil
        /// Who connects: the cluster's nodes only, or clients too (allowed ports are for
        /// clients, and so are the driver's ports in client mode: `Policy.exposure(of:)`).
        public var exposure: PortExposure
        /// Whether clients reach it because the external cluster's executors call the driver
        /// back there (client mode; `Policy.isCalledBackByExternalExecutors`).
        public var calledBackByExternalExecutors = false
        public var summary: String
    }

    public struct Scope: Sendable {
        /// Nil when the policy declares no nodes: every host.
        public var node: Node?
        public var openings: [Opening]
    }

    public let scopes: [Scope]

    public init(policy: Policy) {
        let nodes: [Node?] = policy.nodes.isEmpty ? [nil] : policy.nodes
        scopes = nodes.map { node in
            var openings: [Opening] = []
            for entry in policy.catalog where policy.expects(entry, on: node) {
                var ports = policy.ports(of: entry)
                var summary = entry.summary
                if entry.isExecutorBand {
                    guard let allowed = policy.executorAllowed(on: node) else { continue }
                    ports = allowed.lowerBound...allowed.upperBound
                    summary += (node?.hostsDriver ?? true) ? ": driver + one per core" : ": one per core"
                }
                openings.append(Opening(ports: ports, key: entry.key, group: entry.group, shifted: entry.shiftedByOffset,
                                        normallyBound: policy.mustBeBound(entry),
                                        feature: entry.feature.flatMap { policy.isOn($0) ? nil : $0 },
                                        exposure: policy.exposure(of: entry),
                                        calledBackByExternalExecutors: policy.isCalledBackByExternalExecutors(entry),
                                        summary: summary))
            }
            for (port, reason) in policy.allowedPorts.sorted(by: { $0.key < $1.key }) {
                openings.append(Opening(ports: port...port, key: "allowed", group: .carbon, shifted: false,
                                        normallyBound: true, exposure: .clients, summary: reason))
            }
            return Scope(node: node, openings: openings.sorted { ($0.ports.lowerBound, $0.key) < ($1.ports.lowerBound, $1.key) })
        }
    }
}

extension ClosedRange where Bound == UInt16 {
    /// `7079` or `12002-12004`, as firewalls and people write ports.
    public var portText: String { lowerBound == upperBound ? "\(lowerBound)" : "\(lowerBound)-\(upperBound)" }
}
