import Flows
import Policy

/// Everything one audit found, as written to JSON (`dasaudit.result/1`, documented in
/// docs/result-schema.md). Keys are encoded in snake_case; arrays are in a stable order.
public struct AuditResult: Codable, Sendable {
    public static let schemaName = "dasaudit.result/1"

    public var schema = AuditResult.schemaName
    public var tool: ToolInfo
    public var inputs: [InputSummary]
    /// Where the packets were captured (`CapturePoint`): one for an audit, every source's
    /// for a merge, by name; null in results of older versions.
    @Nullable public var capturePoints: [CapturePoint]? = nil
    public var policy: PolicySummary
    public var coverage: Coverage
    /// Server endpoints that carried traffic, by address then port.
    public var services: [ServiceSummary]
    /// Server endpoints that only saw refused or unanswered connection attempts.
    public var attempts: [AttemptSummary]
    /// Connections whose server side no rule could tell.
    public var unresolved: [UnresolvedConnection]
    /// Port scans, their probes aggregated (`PortScans`); null in results of older versions.
    @Nullable public var scans: [PortScanSummary]? = nil
    public var unusedOpenings: [UnusedOpening]
    /// Most severe first.
    public var findings: [Finding]
    public var summary: Summary
    /// Where the numbers came from (command line, policy digest, input hashes); nil until
    /// the command line collects it, since only it knows how the audit was asked for.
    @Nullable public var evidence: Evidence? = nil
    /// Every connection, one by one: only with `dasaudit audit --connections`, for
    /// `dasaudit merge` to count a connection captured at both ends once (docs/merge.md).
    @Nullable public var connections: [ConnectionEntry]? = nil
}

public struct ToolInfo: Codable, Sendable {
    public var name = "dasaudit"
    public var version: String
}

/// The policy the audit applied.
public struct PolicySummary: Codable, Sendable {
    /// The built-in profile (`das`, `das-3.1`, ...).
    public var profile: String
    public var offset: Int
    public var mode: SparkMode
    public var cores: Int
    public var groups: [String]
    public var ephemeralRange: String
    /// The executor ports allowed (on the master: the driver's slot and one per core) and
    /// the band watched for out-of-range executors; null when the policy has no executor
    /// band (the `spark` profile without a pinned `spark.blockManager.port`).
    @Nullable public var executorAllowed: String?
    @Nullable public var executorBand: String?

    /// The executor ranges in words for the report headers: "executors 12002-12006 (band
    /// 12002-12018)", or "no executor band" when the policy has none.
    public var executorsText: String {
        guard let executorAllowed else { return "no executor band (spark.blockManager.port not pinned)" }
        return "executors \(executorAllowed) (band \(executorBand ?? "none"))"
    }
    public var failOn: FailThreshold
    /// Ports allowed beyond the catalog, with their reasons, by port.
    public var allowedPorts: [AllowedPortSummary]
    /// Declared nodes; empty when the policy declares none.
    public var nodes: [NodeSummary]
    /// In mode `client`, the external Spark cluster's addresses the policy names
    /// (`external_cluster`); absent when it names none.
    public var externalCluster: [String]? = nil
    public var waivers: [WaiverSummary]
    /// Catalog keys whose base port the policy moved from the profile's (a DAS
    /// installation's spark-defaults.conf, a policy file), with the new base port: with
    /// the fields above, all a policy is, so `merge` can audit again under it. Nil in
    /// results of versions that did not record it.
    @Nullable public var basePorts: [String: UInt16]? = nil
    /// Servers outside the cluster its nodes are meant to use; always written, null only
    /// in results from before dependencies existed.
    @Nullable public var dependencies: [DependencySummary]? = nil
    /// The deployment features the policy says are on (true) or off (false), by name
    /// (`ha`, `clustering`, `embedded-ldap`, `jmx`, `spark-ui-https`); a feature not said is absent. Null only in
    /// results from before features existed.
    @Nullable public var features: [String: Bool]? = nil
    /// Port-like keys the DAS installation (`--das-home`) sets that dasaudit did not read
    /// (`spark.driver.blockManager.port`), each with its file and line: no part of the
    /// policy, so a reader sees why a port the file pins is not expected. Empty when none
    /// (or no `--das-home`); null in results from before it was recorded.
    @Nullable public var ignoredKeys: [IgnoredKeySummary]? = nil
}

/// One key a DAS installation sets that dasaudit did not read (`IgnoredSetting`).
public struct IgnoredKeySummary: Codable, Sendable {
    public var key: String
    public var value: String
    public var file: String
    @Nullable public var line: Int?
}

/// A declared dependency: what, where, and why.
public struct DependencySummary: Codable, Sendable {
    public var name: String
    /// An address or a CIDR block.
    public var address: String
    public var port: UInt16
    public var reason: String
}

public struct AllowedPortSummary: Codable, Sendable {
    public var port: UInt16
    public var reason: String
    /// What the entry says the port speaks (`allow: {protocol: tls}`), checked like a
    /// catalog port's and over it; null when it says nothing, and in results made before
    /// it was recorded. `merge` audits under it again.
    @Nullable public var `protocol`: String? = nil
}

public struct NodeSummary: Codable, Sendable {
    public var name: String
    public var addresses: [String]
    /// Empty: the node may play every role.
    public var roles: [String]
    /// The executor ports allowed on the node, or null where it runs no executors.
    @Nullable public var executorAllowed: String?
}

public struct WaiverSummary: Codable, Sendable {
    public var kind: String
    @Nullable public var port: UInt16?
    @Nullable public var host: String?
    public var reason: String
    /// `YYYY-MM-DD`, the last day the waiver holds.
    public var expires: String
    public var expired: Bool
}

/// What the audit saw, so a reader can judge how much the verdict rests on.
public struct Coverage: Codable, Sendable {
    public var packets: UInt64
    public var tcpSegments: UInt64
    public var skipped: [String: UInt64]
    /// TCP segments taken out of a tunnel, by tunnel (`InputSummary.tunneled`): the capture
    /// was made on an underlay, and these segments' addresses are the inner packets'. Null
    /// in older results.
    @Nullable public var tunneled: [String: UInt64]? = nil
    /// Connections audited once although captured before and after address translation, by
    /// translation (`InputSummary.translated`). Null in older results.
    @Nullable public var translated: [String: UInt64]? = nil
    /// The UDP datagrams not opened as tunnels, by destination port, over every input
    /// (`UDPCoverage.combined`); null when there were none, and in older results.
    @Nullable public var udp: UDPCoverage? = nil
    @Nullable public var captureStart: Timestamp?
    @Nullable public var captureEnd: Timestamp?
    public var durationSeconds: Double
    public var connections: Int
    /// False when any input was cut short or unusable, a live capture dropped packets, or
    /// packets were cut inside a tunnel before their inner TCP header (`InputSummary.complete`).
    public var complete: Bool
    /// Packets lost, summed over the live inputs; null when every input is a file.
    @Nullable public var drops: Drops?
    /// Connections with an unknown direction counted but not listed in `unresolved`
    /// (past the listing cap, which only a flood reaches).
    public var unresolvedNotListed: Int = 0
    /// True when more distinct client addresses were seen than the audit records (a flood):
    /// the services' `clients` counts are then lower bounds.
    public var clientCountsCapped: Bool = false
    /// Connections that carried traffic to server endpoints past the cap on listed
    /// services (a scan or a flood), with their packets and bytes: counted in
    /// `connections` and `packets`, in no `services` entry.
    public var serviceConnectionsNotListed: UInt64 = 0
    public var servicePacketsNotListed: UInt64 = 0
    public var serviceBytesNotListed: UInt64 = 0
    /// Refused or unanswered connects to endpoints past the cap on listed attempts.
    public var attemptsNotListed: UInt64 = 0
    /// Connections already open when the window starts (no handshake seen) and still open
    /// when it ends: long-lived traffic the window caught only part of. Null in older results.
    @Nullable public var openAtStart: UInt64? = nil
    @Nullable public var openAtEnd: UInt64? = nil
    /// Connections the connection table evicted while still open, because it held its cap
    /// of connections at once (a flood, a scan, or millions of short connections within a
    /// minute): the one memory bound that can change what is counted, since a later packet
    /// of such a connection starts a new, mid-stream one. Null in older results.
    @Nullable public var openConnectionsEvictedAtCap: UInt64? = nil
    /// Connections of which the capture holds one side's packets only although the other
    /// side took part (`Connection.seenOneWay`): the capture may hold one direction (a SPAN
    /// port mirroring one way, asymmetric routing, `tcpdump -Q in`), so refusals cannot
    /// be told from unanswered connects, nor what the unseen side sent. Null in older results.
    @Nullable public var connectionsSeenOneWay: UInt64? = nil
    /// Packets that were a connection's only packets and RSTs without ACK from one side
    /// (`Connection.loneReset`): what a spoofed RST flood (`hping3 -R --rand-source`)
    /// sends. Such a RST answered no SYN (a refusal's carries an ACK) and ended no
    /// connection the capture holds, so it is counted here and made no connection,
    /// service, attempt or finding. Null in older results.
    @Nullable public var loneResets: UInt64? = nil
    /// Connections of which one side acknowledged bytes the capture never held, and those
    /// bytes over every connection (`CaptureLoss`, as Zeek's `missed_bytes`): packets lost
    /// before they were captured, which a pcap file does not record. Past
    /// `CaptureLoss.incompleteFraction` of the bytes sent, `complete` is false. Null when
    /// the inputs overlap in time (`CaptureLoss.inputsOverlap`: no measure of a loss), and
    /// in older results.
    @Nullable public var connectionsWithMissedData: UInt64? = nil
    @Nullable public var missedBytes: UInt64? = nil
    /// Unanswered connects the end of the capture cut (`AttemptsCutByEnd`), on every
    /// endpoint: no evidence of a service not answering. Null in older results.
    @Nullable public var connectsCutByEnd: UInt64? = nil
    /// How many times, over the inputs, the packet time went back by more than 1 s
    /// (`InputSummary.clockStepsBack`): the window is then not how long the capture ran.
    /// Null in older results.
    @Nullable public var clockStepsBack: UInt64? = nil
    /// A merge's connections seen at two capture points whose windows each reach past the
    /// other's (`MergeObservations.countedLow`): each end saw packets the other did not, so
    /// their packet and byte counts, the larger sighting's, are lower bounds. Null in an
    /// audit (one capture point) and in older results.
    @Nullable public var connectionsCountedLow: UInt64? = nil
    /// A merge's stretches of time one capture point's inputs leave uncovered, longer than
    /// `CaptureGaps.tolerance`, by point then time: nothing that point captured then is
    /// audited (each an `incomplete-input` finding, and `complete` is false). Empty in a
    /// merge without any; null in an audit and in older results.
    @Nullable public var captureGaps: [CaptureGap]? = nil
    /// A merge's gaps between windows of one capture point up to `CaptureGaps.tolerance`,
    /// joined: how many, and their seconds in all. Null in an audit and in older results.
    @Nullable public var captureGapsJoined: JoinedGaps? = nil
    /// A merge's clock (`MergeClock`): the capture point whose clock its times are in
    /// (`capture_start`, `capture_end`, the services' and connections' first and last
    /// packets, the gaps). Null in an audit (its inputs' own clock) and in older results.
    @Nullable public var clockOf: String? = nil
    /// A merge's capture points whose times were moved into another's clock, by name, with
    /// the offset taken out; a point not listed keeps its own times. Null in an audit and in
    /// older results.
    @Nullable public var clockOffsets: [ClockShift]? = nil
}

/// How a service endpoint relates to the policy.
public enum Classification: String, CaseIterable, Codable, Sendable {
    /// A catalog port the policy expects.
    case expected
    /// An executor (block manager) port in the allowed 1200x range.
    case executor
    /// An executor port above the allowed range, within Spark's retry band.
    case executorOutOfRange = "executor-out-of-range"
    /// A catalog port that opens only in another Spark mode or a group not expected.
    case notInMode = "not-in-mode"
    /// A port the policy allows explicitly.
    case allowed
    /// A port nothing in the policy explains.
    case unexpected
    /// A server outside the cluster that the policy declares as a dependency: egress.
    case dependency
    /// A server outside the declared nodes that a node connects to, declared by no
    /// dependency.
    case undeclaredDependency = "undeclared-dependency"
    /// A server on a loopback address that is no declared node's, whose clients are all
    /// loopback too: a process talking to its own host (PySpark's Py4J gateway and local
    /// servers), unreachable from the network. Listed, never a finding.
    case hostLocal = "host-local"
}

/// One server endpoint (address and port) and the traffic it served.
public struct ServiceSummary: Codable, Sendable {
    /// How many client addresses a result's `sample_clients` names at most.
    public static let sampleClientCount = 5

    public var address: String
    public var port: UInt16
    /// The declared node the address belongs to, or null.
    @Nullable public var node: String?
    public var classification: Classification
    /// The catalog key of the port, or nil for ports outside the catalog.
    @Nullable public var catalogKey: String?
    /// Other catalog keys at the same port (11000 is both HA presenter and spark.worker.port).
    public var alsoCatalogKeys: [String]
    /// For unexpected ports: the likeliest explanation (a Spark port retry).
    @Nullable public var hint: String?
    public var connections: UInt64
    public var packets: UInt64
    /// Frame bytes as captured on the wire, both directions.
    public var bytes: UInt64
    public var payloadBytes: UInt64
    /// Distinct client addresses.
    public var clients: Int
    /// Up to five client addresses (`sampleClientCount`), lowest first.
    public var sampleClients: [String]
    /// How each connection's server side was decided.
    public var directionBasis: [String: UInt64]
    /// Connections by final state.
    public var states: [String: UInt64]
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    /// What the service speaks: the recognized protocol of most of its connections, else
    /// `other`, `unknown` or `none`, port scanners' connections left out unless only they
    /// carried payload (docs/protocols.md); null in results made before it.
    @Nullable public var `protocol`: String? = nil
    /// Connections per protocol, port scanners' included.
    @Nullable public var protocols: [String: UInt64]? = nil
    /// Negotiated TLS versions seen ("1.0" ... "1.3", "SSLv3"), lowest first.
    @Nullable public var tlsVersions: [String]? = nil
    /// The declared dependency the endpoint is (classification `dependency`), or null.
    @Nullable public var dependency: String? = nil
}

/// A server endpoint that was only tried: its connections were refused or never answered.
public struct AttemptSummary: Codable, Sendable {
    public var address: String
    public var port: UInt16
    @Nullable public var catalogKey: String?
    public var refused: UInt64
    public var unanswered: UInt64
    public var clients: Int
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    /// Of `unanswered`, the connects whose every try came in the last 3 s before the capture
    /// ended (`AttemptsCutByEnd`): cut by its end, their answer not captured; no finding is
    /// made of them. Null in older results.
    @Nullable public var cutByEnd: UInt64? = nil

    /// Whether a connect to it was refused or went unanswered while the capture ran on: the
    /// evidence that nothing listened, which connects cut by the capture's end are not.
    public var failedWhileCaptured: Bool {
        Self.failedWhileCaptured(refused: refused, unanswered: unanswered, cutByEnd: cutByEnd ?? 0)
    }

    static func failedWhileCaptured(refused: UInt64, unanswered: UInt64, cutByEnd: UInt64) -> Bool {
        refused > 0 || unanswered > cutByEnd
    }
}

/// A connection no rule could orient: both endpoints as seen, lower first.
public struct UnresolvedConnection: Codable, Sendable {
    public var addressA: String
    public var portA: UInt16
    public var addressB: String
    public var portB: UInt16
    public var packets: UInt64
    public var bytes: UInt64
    public var firstSeen: Timestamp
}

/// A port the policy expects open that carried no traffic in the capture window.
public struct UnusedOpening: Codable, Sendable {
    public var port: UInt16
    /// The declared node expected to open it; null when the policy declares no nodes.
    @Nullable public var node: String?
    public var catalogKey: String
    public var group: String
    /// False for ports normally left unbound (Spark's broadcast and REPL class server, the
    /// history UI), and for conditional ports whose feature the policy does not say is on.
    public var normallyBound: Bool
    public var summary: String
    /// The deployment feature the port needs (`ha`, `clustering`, `embedded-ldap`, `spark-ui-https`) when the
    /// policy does not say it is on; null otherwise.
    @Nullable public var feature: String? = nil
}

/// Something the auditor should look at.
public struct Finding: Codable, Sendable {
    public var kind: Kind
    public var severity: Severity
    @Nullable public var port: UInt16?
    /// The host concerned, or nil where the finding concerns no one host.
    @Nullable public var address: String?
    /// The declared node concerned, or null.
    @Nullable public var node: String? = nil
    public var message: String
    public var remediation: String
    /// The waiver that suppresses this finding, or null. Waived findings never fail an audit.
    @Nullable public var waiver: AppliedWaiver? = nil

    /// Whether a waiver covers this finding. One on a kind no waiver may cover (a result
    /// edited by hand) covers nothing.
    public var isWaived: Bool { waiver != nil && kind.isWaivable }

    /// Whether this finding fails the audit under `failOn`: the one rule that the verdict
    /// and every report read. A `no-traffic` finding always does (an audit of nothing has
    /// nothing to pass on, `NoTraffic`); any other when it is at or above the threshold
    /// and not waived.
    public func fails(under failOn: FailThreshold) -> Bool {
        kind == .noTraffic || !isWaived && failOn.fails(severity)
    }

    /// The approved exception a finding is shown under.
    public struct AppliedWaiver: Codable, Sendable, Hashable {
        public var reason: String
        public var expires: String
    }

    public enum Kind: String, CaseIterable, Codable, Sendable {
        case unexpectedPort = "unexpected-port"
        case executorOutOfRange = "executor-out-of-range"
        case notInMode = "not-in-mode"
        case unusedOpening = "unused-opening"
        case directionUnknown = "direction-unknown"
        case incompleteInput = "incomplete-input"
        case packetsDropped = "packets-dropped"
        case roleMismatch = "role-mismatch"
        case offsetMismatch = "offset-mismatch"
        case expectedServiceNotAnswering = "expected-service-not-answering"
        case waiverExpired = "waiver-expired"
        case protocolMismatch = "protocol-mismatch"
        case plaintextOnTLSPort = "plaintext-on-tls-port"
        case deprecatedTLS = "deprecated-tls"
        /// Nothing was audited: no TCP segment, no connection to a server (`NoTraffic`), or
        /// nothing of the cluster: a port scan alone, none of the declared nodes (`ClusterPresence`).
        case noTraffic = "no-traffic"
        /// One client probed many ports of a host, or one port of many hosts (`PortScans`).
        case portScan = "port-scan"
        /// The window or the connections are too few to call an opening unused (`TrafficSufficiency`).
        case insufficientTraffic = "insufficient-traffic"
        case undeclaredDependency = "undeclared-dependency"
        /// A waiver in force matched no finding (`WaiverBook`).
        case waiverUnused = "waiver-unused"
        /// A declared node took part in no connection while others did (`ClusterPresence`).
        case nodeNotSeen = "node-not-seen"
        /// UDP on a port not opened as a tunnel was shaped like VXLAN (`UndeclaredTunnels`):
        /// the TCP inside it was not audited.
        case undeclaredTunnel = "undeclared-tunnel"
        /// A node's port its firewall rules open to the cluster only served clients that are
        /// no declared node (`ClientsOutsideCluster`).
        case clientOutsideCluster = "client-outside-cluster"

        /// Whether a waiver may cover findings of this kind: every kind but `no-traffic`,
        /// since an audit of nothing cannot be approved into a pass, `waiver-unused`,
        /// whose remedy is removing the waiver, not a second one, and `waiver-expired`,
        /// made after the waivers apply, so none could match it. (Policy lists these as
        /// `Waiver.kinds`, the kinds a policy file may name, and the others as
        /// `Waiver.unwaivableKinds`.)
        public var isWaivable: Bool { self != .noTraffic && self != .waiverUnused && self != .waiverExpired }
    }
}

/// Counts for a glance, and the verdict.
public struct Summary: Codable, Sendable {
    public var services: Int
    /// Services by classification (every classification present, zero included).
    public var classifications: [String: Int]
    public var attempts: Int
    public var unresolved: Int
    public var unusedOpenings: Int
    /// Findings by severity (every severity present, zero included), waived ones excluded.
    public var findings: [String: Int]
    /// Findings suppressed by a waiver.
    public var waived: Int
    public var failOn: FailThreshold
    /// True when no finding that is not waived is at or above `fail_on`.
    public var compliant: Bool
}
