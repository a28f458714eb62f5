import Policy
import Protocols

/// What changed between two audits of the same cluster (`dasaudit diff BASELINE CURRENT`),
/// as written to JSON (`dasaudit.diff/1`, docs/diff.md): services that appeared or
/// vanished, services whose classification, catalog key or protocol changed, findings
/// that are new or resolved, findings in both whose waiver lapsed or began, the
/// current audit's `no-traffic` findings that are not new, and the fields in which the
/// policies the two results were audited under differ.
///
/// Only what describes the cluster is compared: a service is its server endpoint (address
/// and port), a finding its kind, severity, host and port (its node when it names no host),
/// and whether a waiver
/// covers it (a finding no longer waived fails the audit again, so the diff must see it).
/// Client ports, timestamps,
/// traffic counts and messages (which quote counts) are left out, so two captures of an
/// unchanged cluster give an empty diff whatever their length.
public struct ResultDiff: Codable, Sendable {
    public static let schemaName = "dasaudit.diff/1"

    public var schema = ResultDiff.schemaName
    /// The two results compared: what they were read from and the policy each applied.
    public var baseline: Side
    public var current: Side
    /// The fields of the `policy` section in which the two results differ
    /// (`PolicySummary.changes`): another node list, other allowed ports, waivers,
    /// features or dependencies make findings new or resolved, and services changed, that
    /// the traffic did not. Empty when both were audited under one policy.
    public var policyChanges: [PolicyChange]
    /// Services in the current result only, and in the baseline only, by address then port.
    public var newServices: [ServiceState]
    public var vanishedServices: [ServiceState]
    /// Services in both whose classification, catalog key, node or protocol differ (a
    /// protocol only when both results say what the service speaks: older results have
    /// none, and `unknown` and `none` say nothing about it).
    public var changedServices: [ServiceChange]
    /// Findings in the current result only (most severe first), and in the baseline only.
    public var newFindings: [Finding]
    public var resolvedFindings: [Finding]
    /// Findings in both results that the baseline waived and the current one does not (the
    /// waiver expired or was removed), as the current result has them.
    public var unwaivedFindings: [Finding]
    /// Findings in both results that the current one waives and the baseline did not.
    public var waivedFindings: [Finding]
    /// The current result's audit of nothing when it is not new: its `no-traffic` findings
    /// that the baseline had too, or, for a result that judged nothing but lacks the finding
    /// (hand-edited, or older), the one the audit would have made. An audit of nothing
    /// fails every time, not only the first (`NoTraffic`).
    public var repeatedNoTraffic: [Finding]
    public var failOn: FailThreshold
    /// True when the current result fails where the baseline did not: a new finding or one
    /// no longer waived that is at or above `fail_on` and not waived, or any `no-traffic`
    /// (new or repeated): the exit 1 of `dasaudit diff`.
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

    /// True when nothing changed at all (and the current audit did not see nothing again).
    public var isEmpty: Bool {
        newServices.isEmpty && vanishedServices.isEmpty && changedServices.isEmpty && newFindings.isEmpty
            && resolvedFindings.isEmpty && unwaivedFindings.isEmpty && waivedFindings.isEmpty && repeatedNoTraffic.isEmpty
    }

    /// The findings that make the diff worse, in the order the reports list them: new ones,
    /// ones no longer waived, repeated `no-traffic`.
    public var failing: [Finding] {
        (newFindings + unwaivedFindings).filter { $0.fails(under: failOn) } + repeatedNoTraffic
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
                           ("protocol", Self.saysWhatItSpeaks(old.protocol) && Self.saysWhatItSpeaks(new.protocol)
                                && old.protocol != new.protocol),
                           ("node", old.node != new.node)]
                .filter(\.1).map(\.0)
            return changed.isEmpty ? nil : ServiceChange(address: endpoint.address, port: endpoint.port, before: old, after: new, changed: changed)
        }
        // Findings the same in both, waiver included, are no change. Of the rest, one whose
        // identity the other side still has changed only its waiver: one side has more of
        // that identity waived, the other more unwaived.
        func waived(_ finding: Finding) -> WaivedIdentity { WaivedIdentity(FindingIdentity(finding), finding.isWaived) }
        let currentLeft = FindingIdentity.unmatched(current.findings, against: baseline.findings, by: waived)
        let baselineLeft = FindingIdentity.unmatched(baseline.findings, against: current.findings, by: waived)
        newFindings = FindingIdentity.unmatched(currentLeft, against: baselineLeft, by: FindingIdentity.init)
        resolvedFindings = FindingIdentity.unmatched(baselineLeft, against: currentLeft, by: FindingIdentity.init)
        let rewaived = FindingIdentity.unmatched(currentLeft, against: newFindings, by: FindingIdentity.init)
        unwaivedFindings = rewaived.filter { !$0.isWaived }
        waivedFindings = rewaived.filter(\.isWaived)
        let newNoTraffic = newFindings.filter { $0.kind == .noTraffic }
        repeatedNoTraffic = FindingIdentity.unmatched(current.noTrafficFindings, against: newNoTraffic, by: FindingIdentity.init)
        self.failOn = failOn
        policyChanges = PolicySummary.changes(from: baseline.policy, to: current.policy)
        self.baseline = Side(path: baselinePath, baseline)
        self.current = Side(path: currentPath, current)
        worse = false
        worse = !failing.isEmpty
    }
}

extension ResultDiff {
    /// Whether a service's recorded protocol says what the service speaks, so that another
    /// one in the other result is a change: not nil (a result made before protocols were
    /// recognized), `unknown` (the start of its payload was not captured: a capture started
    /// on running connections, a snapshot length that cut it) nor `none` (no payload in the
    /// window). Compared as they were, a window of heartbeats on connections opened before
    /// the capture made every service "changed" from `other` or `http` to `unknown`.
    static func saysWhatItSpeaks(_ name: String?) -> Bool {
        guard let name else { return false }
        return name != ProtocolName.unknown.name && name != ProtocolName.none.name
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

/// What makes two findings of two audits the same finding: kind, severity, host and port,
/// and the node only for a finding that names no host (an unused opening listed per node),
/// not the message (which quotes counts and times) nor the waiver (the diff compares that
/// apart, `WaivedIdentity`). A host's node is the policy's name for its address: renaming
/// the node (`host-127.0.0.2` of an `infer` draft to `worker1`) changes no finding, and made
/// every finding on the host new, the diff WORSE for a cluster that did not change; the
/// services still list the rename (`changed: node`).
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
        node = finding.address == nil ? finding.node : nil
    }

    /// The findings of `findings` that `others` has no counterpart for under `key`, in
    /// their order; a finding present twice in one and once in the other leaves one unmatched.
    static func unmatched<Key: Hashable>(_ findings: [Finding], against others: [Finding],
                                         by key: (Finding) -> Key) -> [Finding] {
        var available: [Key: Int] = [:]
        for finding in others { available[key(finding), default: 0] += 1 }
        return findings.filter { finding in
            let identity = key(finding)
            guard let count = available[identity], count > 0 else { return true }
            available[identity] = count - 1
            return false
        }
    }
}

/// A finding's identity and whether a waiver covers it: what the diff compares first, so
/// that a finding whose waiver lapsed is a change and not the same finding.
struct WaivedIdentity: Hashable {
    var identity: FindingIdentity
    var waived: Bool

    init(_ identity: FindingIdentity, _ waived: Bool) {
        self.identity = identity
        self.waived = waived
    }
}
