import Policy

/// What changed between two audits of the same cluster (`dasaudit diff BASELINE CURRENT`),
/// as written to JSON (`dasaudit.diff/1`, docs/diff.md): services that appeared or
/// vanished, services whose classification, catalog key or protocol changed, and findings
/// that are new or resolved.
///
/// Only what describes the cluster is compared: a service is its server endpoint (address
/// and port), a finding its kind, severity, host, port and node. Client ports, timestamps,
/// traffic counts and messages (which quote counts) are left out, so two captures of an
/// unchanged cluster give an empty diff whatever their length.
public struct ResultDiff: Codable, Sendable {
    public static let schemaName = "dasaudit.diff/1"

    public var schema = ResultDiff.schemaName
    /// The two results compared: what they were read from and the policy each applied.
    public var baseline: Side
    public var current: Side
    /// Services in the current result only, and in the baseline only, by address then port.
    public var newServices: [ServiceState]
    public var vanishedServices: [ServiceState]
    /// Services in both whose classification, catalog key, node or protocol differ (a
    /// protocol only when both results recognized one: older results have none).
    public var changedServices: [ServiceChange]
    /// Findings in the current result only (most severe first), and in the baseline only.
    public var newFindings: [Finding]
    public var resolvedFindings: [Finding]
    public var failOn: FailThreshold
    /// True when a new finding that is not waived is at or above `fail_on`: the exit 1 of
    /// `dasaudit diff`.
    public var worse: Bool

    /// One result as the diff names it.
    public struct Side: Codable, Sendable {
        /// The path the result was read from, as given.
        public var path: String
        public var profile: String
        public var offset: Int
        public var mode: SparkMode
        public var cores: Int
        public var services: Int
        public var findings: Int
        public var compliant: Bool
    }

    /// What a service is, without its traffic.
    public struct ServiceState: Codable, Sendable {
        public var address: String
        public var port: UInt16
        @Nullable public var node: String?
        public var classification: Classification
        @Nullable public var catalogKey: String?
        /// The protocol the result recognized on the service (docs/protocols.md); null in
        /// results made before protocols were recognized.
        @Nullable public var `protocol`: String?
    }

    /// A service in both results that is no longer what it was.
    public struct ServiceChange: Codable, Sendable {
        public var address: String
        public var port: UInt16
        public var before: ServiceState
        public var after: ServiceState
        /// Which of `classification`, `catalog_key`, `protocol` and `node` changed.
        public var changed: [String]
    }

    /// True when nothing changed at all.
    public var isEmpty: Bool {
        newServices.isEmpty && vanishedServices.isEmpty && changedServices.isEmpty && newFindings.isEmpty
            && resolvedFindings.isEmpty
    }
}

extension ResultDiff {
    /// Compares `current` with `baseline`, named by the paths they were read from;
    /// `failOn` decides which new findings make the diff worse.
    public init(baseline: AuditResult, at baselinePath: String, current: AuditResult, at currentPath: String,
                failOn: FailThreshold) {
        func states(_ result: AuditResult) -> [ServiceEndpoint: ServiceState] {
            var states: [ServiceEndpoint: ServiceState] = [:]
            for service in result.services {
                let endpoint = ServiceEndpoint(address: service.address, port: service.port)
                states[endpoint] = ServiceState(address: service.address, port: service.port, node: service.node,
                                                classification: service.classification, catalogKey: service.catalogKey,
                                                protocol: service.protocol)
            }
            return states
        }
        let before = states(baseline), after = states(current)
        newServices = after.filter { before[$0.key] == nil }.sorted { $0.key < $1.key }.map(\.value)
        vanishedServices = before.filter { after[$0.key] == nil }.sorted { $0.key < $1.key }.map(\.value)
        changedServices = after.keys.sorted().compactMap { endpoint in
            guard let old = before[endpoint], let new = after[endpoint] else { return nil }
            let changed = [("classification", old.classification != new.classification), ("catalog_key", old.catalogKey != new.catalogKey),
                           ("protocol", old.protocol != nil && new.protocol != nil && old.protocol != new.protocol), ("node", old.node != new.node)]
                .filter(\.1).map(\.0)
            return changed.isEmpty ? nil : ServiceChange(address: endpoint.address, port: endpoint.port, before: old, after: new, changed: changed)
        }
        newFindings = FindingIdentity.unmatched(current.findings, against: baseline.findings)
        resolvedFindings = FindingIdentity.unmatched(baseline.findings, against: current.findings)
        self.failOn = failOn
        worse = newFindings.contains { $0.fails(under: failOn) }
        self.baseline = Side(path: baselinePath, baseline)
        self.current = Side(path: currentPath, current)
    }
}

extension ResultDiff.Side {
    init(path: String, _ result: AuditResult) {
        self.init(path: path, profile: result.policy.profile, offset: result.policy.offset, mode: result.policy.mode,
                  cores: result.policy.cores, services: result.services.count, findings: result.findings.count,
                  compliant: result.summary.compliant)
    }
}

/// A server endpoint as a result writes it, ordered by address text then port.
public struct ServiceEndpoint: Hashable, Comparable, Sendable {
    public var address: String
    public var port: UInt16

    public init(address: String, port: UInt16) {
        self.address = address
        self.port = port
    }

    public static func < (lhs: ServiceEndpoint, rhs: ServiceEndpoint) -> Bool { (lhs.address, lhs.port) < (rhs.address, rhs.port) }
}

/// What makes two findings of two audits the same finding: kind, severity, host, port and
/// node, not the message (which quotes counts and times) nor the waiver.
struct FindingIdentity: Hashable {
    var kind: Finding.Kind
    var severity: Severity
    var address: String?
    var port: UInt16?
    var node: String?

    init(_ finding: Finding) {
        kind = finding.kind
        severity = finding.severity
        address = finding.address
        port = finding.port
        node = finding.node
    }

    /// The findings of `findings` that `others` has no counterpart for, in their order; a
    /// finding present twice in one and once in the other leaves one unmatched.
    static func unmatched(_ findings: [Finding], against others: [Finding]) -> [Finding] {
        var available: [FindingIdentity: Int] = [:]
        for finding in others { available[FindingIdentity(finding), default: 0] += 1 }
        return findings.filter { finding in
            let identity = FindingIdentity(finding)
            guard let count = available[identity], count > 0 else { return true }
            available[identity] = count - 1
            return false
        }
    }
}
