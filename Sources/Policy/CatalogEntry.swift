/// One port of the catalog: a base port, the key that configures it, and when it applies.
public struct CatalogEntry: Hashable, Sendable {
    /// The configuration key (`spark.master.port`) or, for WSO2 ports without one, a
    /// dotted name in the same spirit (`thrift.tcp.port`).
    public let key: String
    /// The port before the offset is applied.
    public var basePort: UInt16
    public let group: CatalogGroup
    /// The Spark modes in which the port is opened.
    public let modes: Set<SparkMode>
    /// The node roles that open it.
    public let roles: Set<NodeRole>
    /// Whether the cluster's port offset shifts this port.
    public var shiftedByOffset: Bool
    /// False for ports normally left unbound (HttpBroadcast, the REPL class server,
    /// embedded LDAP): their "unused opening" is expected rather than a sign of drift.
    public let normallyBound: Bool
    /// True for `spark.blockManager.port`: the first port of the executor band.
    public let isExecutorBand: Bool
    /// True when each executor opens its own port: base ... base + cores - 1
    /// (`spark.executor.port` in Spark 1.6).
    public let perCore: Bool
    /// Who connects to it: the cluster's own nodes only, or clients too.
    public let exposure: PortExposure
    /// The deployment feature the port needs, for ports the stock configuration leaves
    /// closed (HA, clustering, embedded LDAP); nil for ports every node opens.
    public let feature: DeploymentFeature?
    /// How many ports above its own the service may take when its port is busy (Hazelcast
    /// moves to 4001, 4002, ... for each further member on one host).
    public let autoIncrement: Int
    /// What listens on the port, in a few words.
    public let summary: String

    public init(
        key: String, basePort: UInt16, group: CatalogGroup, modes: Set<SparkMode> = Set(SparkMode.allCases),
        roles: Set<NodeRole> = Set(NodeRole.allCases), shiftedByOffset: Bool = true, normallyBound: Bool = true,
        isExecutorBand: Bool = false, perCore: Bool = false, exposure: PortExposure = .cluster,
        feature: DeploymentFeature? = nil, autoIncrement: Int = 0, summary: String
    ) {
        self.key = key
        self.basePort = basePort
        self.group = group
        self.modes = modes
        self.roles = roles
        self.shiftedByOffset = shiftedByOffset
        self.normallyBound = normallyBound
        self.isExecutorBand = isExecutorBand
        self.perCore = perCore
        self.exposure = exposure
        self.feature = feature
        self.autoIncrement = autoIncrement
        self.summary = summary
    }

    /// The (first) port this entry opens under `offset`.
    public func port(offset: Int) -> UInt16 {
        shiftedByOffset ? UInt16(clamping: Int(basePort) + offset) : basePort
    }

    /// The port under `offset` once a configuration sets the key to the base port: the
    /// shuffle service's 7337 is not shifted until a policy sets its key, and then is
    /// (`Catalog.shuffleService`); every other entry's is its `port(offset:)`.
    public func portWhenSet(offset: Int) -> UInt16 {
        key == Catalog.shuffleServiceKey ? UInt16(clamping: Int(basePort) + offset) : port(offset: offset)
    }

    /// Every port the entry opens under `offset` with `cores` per node.
    public func ports(offset: Int, cores: Int) -> ClosedRange<UInt16> {
        let first = port(offset: offset)
        let extra = (perCore ? max(cores, 1) - 1 : 0) + autoIncrement
        return first...UInt16(clamping: Int(first) + extra)
    }
}
