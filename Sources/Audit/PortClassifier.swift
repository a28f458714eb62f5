import Policy

/// What a server port means under a policy, on a given node: its classification, its
/// catalog keys and, for unexpected ports, a hint. The rules, in order:
/// 1. the executor band: allowed on this node, else out of range (or a role mismatch on a
///    node that runs no executors);
/// 2. a catalog port expected on this node;
/// 3. a catalog port expected on other nodes only (role mismatch);
/// 4. a catalog port of another Spark mode or of a group not expected;
/// 5. a port the policy allows;
/// 6. the shuffle service where DAS binds it once its key is set, when not expected
///    (`shuffleServiceMovedByOffset`): not in mode, as on its unset port (not asked by
///    the offset fit, `readsMovedShuffleService`);
/// 7. unexpected, with a Spark port-retry hint where one fits.
public struct PortClassifier: Sendable {
    public let policy: Policy
    /// Whether rule 6 applies. The offset fit leaves it out: 7337 plus an offset is
    /// evidence of that offset only under a reading of a configuration it has not read
    /// (`CaptureOffsetFit`, `OffsetFit.key(for:at:)`).
    public let readsMovedShuffleService: Bool

    public init(policy: Policy, readingMovedShuffleService: Bool = true) {
        self.policy = policy
        readsMovedShuffleService = readingMovedShuffleService
    }

    public struct Verdict: Equatable, Sendable {
        public var classification: Classification
        public var catalogKey: String?
        public var alsoCatalogKeys: [String] = []
        public var hint: String?
        /// For `not-in-mode`: whether the port belongs to another mode or group, or to
        /// other nodes' roles.
        public var mismatch: Mismatch?
        /// For `dependency`: the name of the declared dependency.
        public var dependency: String?

        public enum Mismatch: Sendable {
            case mode, role
        }

        /// Whether the policy explains the port: expected, an allowed executor, allowed, a
        /// declared dependency, or a host-local server.
        public var isExplained: Bool {
            switch classification {
            case .expected, .executor, .allowed, .dependency, .hostLocal: true
            case .executorOutOfRange, .notInMode, .unexpected, .undeclaredDependency: false
            }
        }
    }

    /// Classifies `port` on `node` (nil: a host no declared node covers, or no nodes declared).
    public func classify(_ port: UInt16, on node: Node? = nil) -> Verdict {
        if let band = policy.executorBandEntry, policy.executorBand?.contains(port) == true {
            if let allowed = policy.executorAllowed(on: node), allowed.contains(port) {
                return Verdict(classification: .executor, catalogKey: band.key)
            }
            if policy.executorAllowed(on: node) == nil {
                return Verdict(classification: .notInMode, catalogKey: band.key, mismatch: .role)
            }
            return Verdict(classification: .executorOutOfRange, catalogKey: band.key)
        }
        let expected = policy.expectedEntries(at: port, on: node)
        if !expected.isEmpty {
            let keys = Self.ordered(expected)
            return Verdict(classification: .expected, catalogKey: keys.first, alsoCatalogKeys: Array(keys.dropFirst()))
        }
        if let node {
            let elsewhere = policy.entriesExpectedElsewhere(at: port, on: node)
            if !elsewhere.isEmpty {
                let keys = Self.ordered(elsewhere)
                return Verdict(classification: .notInMode, catalogKey: keys.first, alsoCatalogKeys: Array(keys.dropFirst()),
                               mismatch: .role)
            }
        }
        let otherMode = policy.unexpectedCatalogEntries(at: port)
        if !otherMode.isEmpty {
            let keys = Self.ordered(otherMode)
            return Verdict(classification: .notInMode, catalogKey: keys.first, alsoCatalogKeys: Array(keys.dropFirst()),
                           mismatch: .mode)
        }
        if policy.allowedPorts[port] != nil {
            return Verdict(classification: .allowed, catalogKey: nil)
        }
        if movedShuffleServicePort == port, let shuffle = shuffleServiceMovedByOffset {
            return Verdict(classification: .notInMode, catalogKey: shuffle.key, mismatch: .mode)
        }
        return Verdict(classification: .unexpected, catalogKey: nil, hint: policy.ignoredSettingHint(port) ?? retryHint(port))
    }

    /// Keys of entries sharing a port, Spark cluster keys first: where 11000 is both the
    /// worker and the HA presenter, `spark.worker.port` names it and the other follows.
    static func ordered(_ entries: [CatalogEntry]) -> [String] {
        entries.sorted { ($0.group == .sparkCluster ? 0 : 1) < ($1.group == .sparkCluster ? 0 : 1) }.map(\.key)
    }

    /// "spark.ui.port+1": the nearest Spark port below `port` within `spark.port.maxRetries`.
    func retryHint(_ port: UInt16) -> String? {
        let candidates = retrySources
            .compactMap { entry -> (CatalogEntry, Int)? in
                let distance = Int(port) - Int(policy.ports(of: entry).upperBound)
                return (1...max(1, policy.portRetries)).contains(distance) ? (entry, distance) : nil
            }
        guard let (entry, distance) = candidates.min(by: { $0.1 < $1.1 }) else { return nil }
        var hint = "\(entry.key)+\(distance): " + Self.retryText(base: Int(policy.ports(of: entry).upperBound), distance: distance)
        if distance == 1, let driver = clusterDeployDriver(retrying: entry) {
            hint += ", or \(driver.key): the driver of a --deploy-mode cluster application, which always binds here "
                + "(the policy's cluster-deploy-mode feature expects it)"
        }
        // The shuffle service's port plus the offset is where a configuration that sets its
        // key to Spark's own port has DAS bind it (Catalog.shuffleService).
        if entry.key == Catalog.shuffleServiceKey, !entry.shiftedByOffset, policy.offset > 0,
           entry.portWhenSet(offset: policy.offset) == port {
            hint += ", or \(entry.key) set to \(entry.basePort) in spark-defaults.conf, which DAS moves by the offset "
                + "(say so with ports: in the policy)"
        }
        return hint
    }

    /// The shuffle service's entry, whose port plus the offset is rule 6's, when the policy
    /// does not expect the service (`Policy.featureKeepingOut`: the feature not said on, or
    /// said off) nor sets its key. That is where DAS binds it when spark-defaults.conf sets
    /// the key to Spark's 7337 (DAS adds the offset to the keys the file holds;
    /// `Catalog.shuffleService`), and where a retry past 7337 and 7338 lands: the service
    /// either way. Its unset port, 7337, is then `not-in-mode` (medium, naming the switch),
    /// and so is this one: until December 6, 2026 this was a HIGH `unexpected-port` with a
    /// hint, for the same undeclared service that on 7337 was medium.
    var shuffleServiceMovedByOffset: CatalogEntry? {
        guard readsMovedShuffleService, policy.offset > 0,
              let entry = policy.catalog.first(where: { $0.key == Catalog.shuffleServiceKey }),
              !entry.shiftedByOffset, !policy.expects(entry), policy.featureKeepingOut(entry) != nil
        else { return nil }
        return entry
    }

    /// The port of `shuffleServiceMovedByOffset`, when there is one: 7337 plus the offset.
    var movedShuffleServicePort: UInt16? { shuffleServiceMovedByOffset?.portWhenSet(offset: policy.offset) }

    /// "a Spark port retry (the service found 4042 and 4043 busy)": the retry that took a
    /// port `distance` above `base`, every port it tried before being busy (4042, "4042 and
    /// 4043", "4042 to 4044").
    static func retryText(base: Int, distance: Int) -> String {
        let busy = distance == 1 ? "\(base)" : "\(base)\(distance == 2 ? " and " : " to ")\(base + distance - 1)"
        return "a Spark port retry (the service found \(busy) busy)"
    }

    /// The catalog's cluster-deploy-mode driver when it sits one above `entry`
    /// (`spark.driver.port`): a server there is that driver as often as a retry.
    func clusterDeployDriver(retrying entry: CatalogEntry) -> CatalogEntry? {
        guard entry.key == "spark.driver.port" else { return nil }
        return policy.catalog.first { $0.feature == .clusterDeployMode }
    }

    /// Whether a busy service of `entry` may retry past its port: Spark's ports, but for the
    /// executor band (which has its own rule).
    static func isRetrySource(_ entry: CatalogEntry) -> Bool { entry.key.hasPrefix("spark.") && !entry.isExecutorBand }

    /// The catalog's retry sources with a port: one at port 0 (a random port, the `spark`
    /// profile's unpinned RPC ports) has no port to retry past.
    var retrySources: [CatalogEntry] {
        policy.catalog.filter { Self.isRetrySource($0) && policy.ports(of: $0).upperBound != 0 }
    }

    /// Every port `retryHint(_:)` may name a retry for: the `spark.port.maxRetries` ports
    /// above each Spark port (at least one).
    var retryHintPorts: [ClosedRange<UInt16>] {
        retrySources.compactMap { entry in
            let top = Int(policy.ports(of: entry).upperBound)
            guard top < Int(UInt16.max) else { return nil }
            return UInt16(top + 1)...UInt16(clamping: top + max(1, policy.portRetries))
        }
    }
}
