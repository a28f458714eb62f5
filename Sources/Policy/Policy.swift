import Protocols
import Wire

/// What the cluster is supposed to do on the network: a profile's catalog under an offset,
/// the Spark mode, the cores per node, the declared nodes and their roles, the ports
/// allowed on top, and the approved exceptions.
public struct Policy: Sendable {
    /// The built-in profile the catalog came from.
    public var profileName: String
    /// The port offset of every DAS node (`<Ports><Offset>` or `-DportOffset`).
    public var offset: Int
    public var mode: SparkMode
    /// Cores each node gives Spark: one executor port each in the 1200x band.
    public var coresPerNode: Int
    /// The catalog groups the cluster is expected to open.
    public var groups: Set<CatalogGroup>
    /// Client ports the operating system hands out; used to tell the server side of a
    /// connection picked up mid-stream.
    public var ephemeralRange: PortRange
    /// `spark.port.maxRetries`: how far past its port a busy Spark service may bind, and
    /// so the width of the executor band watched above the allowed range.
    public var portRetries: Int
    /// Ports allowed beyond the catalog, each with the reason it was allowed.
    public var allowedPorts: [UInt16: String]
    /// The protocol an allowed port must speak, where the policy states one
    /// (`allow: [{port: 8443, protocol: tls, reason: ...}]`), checked like the catalog's.
    public var allowedProtocols: [UInt16: ProtocolName] = [:]
    public var catalog: [CatalogEntry]
    /// Declared cluster members. Empty: every host may open every expected port.
    public var nodes: [Node]
    /// In mode `client`, the addresses of the external Spark cluster whose executors call
    /// the driver back: with the nodes', the only sources the driver's callback ports accept
    /// (`exposure(of:)`). Empty: those ports face every source.
    public var externalCluster: [AddressPattern] = []
    /// How the Hazelcast members of a clustered node find each other (`membership:`,
    /// axis2.xml's `membershipScheme`): by multicast on a UDP port the firewall rules must
    /// accept from the nodes, as DAS's stock configuration does, unless said otherwise.
    public var hazelcastMembership = HazelcastMembership.stock
    public var waivers: [Waiver]
    /// When connection attempts are a port scan (the policy file's `scan:` section).
    public var scanThresholds = ScanThresholds()
    /// Deployment features the policy says are on (true) or off (false); a feature it
    /// says nothing of is neither, and its conditional ports are explained but optional.
    public var features: [DeploymentFeature: Bool]
    /// Catalog keys not expected although their feature is on, because the installation
    /// says its node never binds them (an HA worker's `ha.presenter.port`). Applied only
    /// when no nodes are declared: declared nodes' roles say which node binds what.
    public var unboundKeys: Set<String> = []
    /// Servers outside the cluster its nodes are meant to use (its egress).
    public var dependencies: [Dependency]
    /// Port-like keys of the DAS installation that dasaudit did not read
    /// (`PolicySettings.ignoredSettings`): no part of what is expected, kept so the
    /// result records them.
    public var ignoredSettings: [IgnoredSetting] = []

    public init(
        profile: Profile = .default, offset: Int = 0, mode: SparkMode? = nil, coresPerNode: Int = 1,
        groups: Set<CatalogGroup>? = nil, ephemeralRange: PortRange = .linuxEphemeral, portRetries: Int = 16,
        allowedPorts: [UInt16: String] = [:], nodes: [Node] = [], waivers: [Waiver] = [],
        features: [DeploymentFeature: Bool] = [:], dependencies: [Dependency] = []
    ) {
        self.profileName = profile.name
        self.offset = offset
        self.mode = mode ?? profile.mode
        self.coresPerNode = coresPerNode
        self.groups = groups ?? profile.groups
        self.ephemeralRange = ephemeralRange
        self.portRetries = portRetries
        self.allowedPorts = allowedPorts
        self.catalog = profile.catalog
        self.nodes = nodes
        self.waivers = waivers
        self.features = features
        self.dependencies = dependencies
    }

    /// The cores per node a policy may give, wherever from (a policy file, `--cores`, an installation).
    public static let coresRange = 1...1024

    /// Why the cores per node cannot be used, or nil when they can. Checked before the
    /// offset, whose largest value depends on them: an absurd count is named as itself.
    public var coresProblem: String? {
        Self.coresRange.contains(coresPerNode) ? nil
            : "cores \(coresPerNode) is outside \(Self.coresRange.lowerBound)-\(Self.coresRange.upperBound)"
    }

    /// Why a policy cannot be used, in words for the user.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if let coresProblem { errors.append(coresProblem) }
        if let offsetProblem { errors.append(offsetProblem) }
        if !(0...1000).contains(portRetries) { errors.append("port retries \(portRetries) is outside 0-1000") }
        var seen = Set<String>()
        for name in nodes.map(\.name) {
            if let problem = NameRules.problem(with: name) {
                errors.append("node name '\(name.escapedForMessage)' \(problem); a node name is \(NameRules.description)")
            }
            if !seen.insert(name).inserted { errors.append("node name '\(name.escapedForMessage)' is declared twice") }
        }
        for (index, later) in nodes.enumerated() {
            for earlier in nodes[..<index] {
                if let overlap = later.overlap(with: earlier) { errors.append(Self.overlapProblem(earlier: earlier, later: later, overlap)) }
            }
        }
        var dependencyNames = Set<String>()
        for name in dependencies.map(\.name) {
            if let problem = NameRules.problem(with: name) {
                errors.append("dependency name '\(name.escapedForMessage)' \(problem); a dependency name is \(NameRules.description)")
            }
            if !dependencyNames.insert(name).inserted { errors.append("dependency name '\(name.escapedForMessage)' is declared twice") }
        }
        return errors
    }

    /// Two nodes sharing an address, in words: each captured address is labelled with one
    /// node (the first that holds it), so the other would lose its services and be
    /// reported `node-not-seen`.
    static func overlapProblem(earlier: Node, later: Node, _ overlap: (mine: AddressPattern, theirs: AddressPattern)) -> String {
        let shared = overlap.mine == overlap.theirs ? "is also an address of" : "overlaps \(overlap.theirs), an address of"
        return "node '\(later.name)': \(overlap.mine) \(shared) node '\(earlier.name)'; an address belongs to one node "
            + "(dasaudit labels each host with one node, so the other would be reported node-not-seen): give each node "
            + "only its own addresses"
    }

    // MARK: - The catalog under this policy

    /// Whether an entry applies to this cluster: its group is expected, it opens in this
    /// mode, the feature it needs (if any) is not switched off (nor, for the shuffle
    /// service, left unsaid: `DeploymentFeature.isExpectedWhenNotSaid`), without declared nodes the
    /// installation does not say its node never binds it, and its port is known: a Spark
    /// port set to 0 (`spark.ui.port 0`) under offset 0 is any free port, which no catalog
    /// port can name (under offset N, DAS makes it port N).
    public func expects(_ entry: CatalogEntry) -> Bool {
        groups.contains(entry.group) && entry.modes.contains(mode)
            && featureKeepingOut(entry) == nil
            && (!nodes.isEmpty || !unboundKeys.contains(entry.key))
            && entry.port(offset: offset) != 0
    }

    /// The feature that keeps `entry` from being expected: the one it needs, when the policy
    /// says it is off, or says nothing of one expected only when said on (the shuffle service).
    public func featureKeepingOut(_ entry: CatalogEntry) -> DeploymentFeature? {
        entry.feature.flatMap { (features[$0] ?? $0.isExpectedWhenNotSaid) ? nil : $0 }
    }

    /// Whether an expected entry must be bound, so that its unused opening is a sign of
    /// drift (low) rather than the stock configuration (info): it is normally bound, and
    /// the feature it needs (if any) is switched on by the policy or the installation.
    public func mustBeBound(_ entry: CatalogEntry) -> Bool {
        entry.normallyBound && entry.feature.map(isOn) ?? true
    }

    /// Whether a feature is on: as the policy says, else as the stock configuration has it
    /// (`jmx` and `rest-submission` are on there).
    public func isOn(_ feature: DeploymentFeature) -> Bool { features[feature] ?? feature.isOnInStockConfiguration }

    /// Whether `node` (nil: any host) should open `entry`.
    public func expects(_ entry: CatalogEntry, on node: Node?) -> Bool {
        expects(entry) && (node?.plays(any: entry.roles) ?? true)
    }

    /// The catalog entries this cluster is expected to open, in catalog order.
    public var expectedEntries: [CatalogEntry] { catalog.filter(expects) }

    /// Every port an entry opens under this policy.
    public func ports(of entry: CatalogEntry) -> ClosedRange<UInt16> { entry.ports(offset: offset, cores: coresPerNode) }

    /// The expected entries listening at `port` on `node` (nil: any host). Two where
    /// 11000 is both the HA presenter and `spark.worker.port`. The executor band is left
    /// to `executorAllowed`. (Each of these three checks the port, two comparisons, before
    /// the set lookups of `expects`: most entries are not at the port.)
    public func expectedEntries(at port: UInt16, on node: Node? = nil) -> [CatalogEntry] {
        catalog.filter { ports(of: $0).contains(port) && !$0.isExecutorBand && expects($0, on: node) }
    }

    /// Entries at `port` that the cluster expects, but on other nodes than `node`.
    public func entriesExpectedElsewhere(at port: UInt16, on node: Node) -> [CatalogEntry] {
        catalog.filter { ports(of: $0).contains(port) && !$0.isExecutorBand && expects($0) && !expects($0, on: node) }
    }

    /// Catalog entries at `port` that this cluster does not expect (another mode or group),
    /// but those whose feature leaves their port to the retry rule when not expected
    /// (`DeploymentFeature.namesItsPortWhenNotExpected`).
    public func unexpectedCatalogEntries(at port: UInt16) -> [CatalogEntry] {
        catalog.filter {
            ports(of: $0).contains(port) && !expects($0) && $0.feature.map(\.namesItsPortWhenNotExpected) ?? true
        }
    }

    // MARK: - The executor band

    /// The block manager entry, when the profile has one and the policy expects it.
    public var executorBandEntry: CatalogEntry? { catalog.first { $0.isExecutorBand && expects($0) } }

    /// The first port of the executor band: `spark.blockManager.port` under the offset, or
    /// nil when the policy expects no block manager port (the `spark` profile leaves it
    /// random unless the policy pins it; a policy that does not expect the `spark` group).
    public var executorBase: UInt16? { executorBandEntry?.port(offset: offset) }

    /// The executor ports allowed on the Spark master: the driver takes the base port and
    /// N executors the next N, so base...base+N; nil without an executor band.
    public var executorAllowed: PortRange? { executorAllowed(on: nil) }

    /// The executor ports allowed on `node`: base...base+N where it hosts the driver (or
    /// when no node is known), base...base+N-1 on a worker, none on other nodes.
    public func executorAllowed(on node: Node?) -> PortRange? {
        guard let entry = executorBandEntry, let base = executorBase else { return nil }
        if let node, !node.plays(any: entry.roles) { return nil }
        let extra = (node?.hostsDriver ?? true) ? coresPerNode : coresPerNode - 1
        return PortRange(base, UInt16(clamping: Int(base) + extra))
    }

    /// Every port a block manager can end up on: the base port plus Spark's retries
    /// (or the cores, if more). Traffic here above the allowed range is out of range.
    /// Nil without an executor band.
    public var executorBand: PortRange? {
        executorBase.map { PortRange($0, UInt16(clamping: Int($0) + max(portRetries, coresPerNode))) }
    }

    // MARK: - Nodes

    /// The declared node `address` belongs to, if any.
    public func node(for address: IPAddress) -> Node? { nodes.first { $0.contains(address) } }

    /// Ports the policy says servers listen on: expected catalog ports, the allowed executor
    /// ports and the explicitly allowed ones. Used to tell the server side mid-stream.
    public var expectedPorts: Set<UInt16> {
        var ports = Set<UInt16>()
        for entry in expectedEntries where !entry.isExecutorBand { ports.formUnion(self.ports(of: entry)) }
        if let allowed = executorAllowed { ports.formUnion(allowed.lowerBound...allowed.upperBound) }
        ports.formUnion(allowedPorts.keys)
        return ports
    }
}
