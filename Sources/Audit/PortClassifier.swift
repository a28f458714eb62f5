import Policy

/// What a server port means under a policy: its classification, catalog keys and, for
/// unexpected ports, a hint. Decided by port alone; the rules, in order:
/// executor band, expected catalog port, catalog port of another mode or group, allowed
/// port, unexpected (with a Spark port-retry hint where one fits).
public struct PortClassifier: Sendable {
    public let policy: Policy

    public init(policy: Policy) { self.policy = policy }

    public struct Verdict: Equatable, Sendable {
        public var classification: Classification
        public var catalogKey: String?
        public var alsoCatalogKeys: [String] = []
        public var hint: String?
    }

    public func classify(_ port: UInt16) -> Verdict {
        let executorKey = policy.catalog.first(where: \.isExecutorBand)?.key
        let bandExpected = policy.catalog.contains { $0.isExecutorBand && policy.expects($0) }
        if bandExpected && policy.executorAllowed.contains(port) {
            return Verdict(classification: .executor, catalogKey: executorKey)
        }
        if bandExpected && policy.executorBand.contains(port) {
            return Verdict(classification: .executorOutOfRange, catalogKey: executorKey)
        }
        let expected = policy.expectedEntries(at: port)
        if let first = expected.first {
            // Cluster-mode keys first: where 11000 is both, the Spark key names the port.
            let keys = expected.sorted { ($0.group == .sparkCluster ? 0 : 1) < ($1.group == .sparkCluster ? 0 : 1) }.map(\.key)
            return Verdict(classification: .expected, catalogKey: keys.first ?? first.key, alsoCatalogKeys: Array(keys.dropFirst()))
        }
        let otherMode = policy.unexpectedCatalogEntries(at: port)
        if let first = otherMode.first {
            return Verdict(classification: .notInMode, catalogKey: first.key, alsoCatalogKeys: otherMode.dropFirst().map(\.key))
        }
        if policy.allowedPorts[port] != nil {
            return Verdict(classification: .allowed, catalogKey: nil)
        }
        return Verdict(classification: .unexpected, catalogKey: nil, hint: retryHint(port))
    }

    /// "spark.ui.port+1": the nearest Spark port below `port` within `spark.port.maxRetries`.
    func retryHint(_ port: UInt16) -> String? {
        let candidates = policy.catalog
            .filter { $0.key.hasPrefix("spark.") && !$0.isExecutorBand }
            .compactMap { entry -> (CatalogEntry, Int)? in
                let distance = Int(port) - Int(entry.port(offset: policy.offset))
                return (1...max(1, policy.portRetries)).contains(distance) ? (entry, distance) : nil
            }
        guard let (entry, distance) = candidates.min(by: { $0.1 < $1.1 }) else { return nil }
        return "\(entry.key)+\(distance): a Spark port retry (the service found \(entry.port(offset: policy.offset)) busy)"
    }
}
