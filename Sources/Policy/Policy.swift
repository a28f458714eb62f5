/// What the cluster is supposed to do on the network: the catalog under an offset, the
/// Spark mode, the cores per node and the ports allowed on top.
public struct Policy: Sendable {
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
    /// `spark.port.maxRetries`: how far past its port a busy Spark service may bind.
    public var portRetries: Int
    /// Ports allowed beyond the catalog, each with the reason it was allowed.
    public var allowedPorts: [UInt16: String]
    public var catalog: [CatalogEntry]

    public init(
        offset: Int = 0, mode: SparkMode = .local, coresPerNode: Int = 1,
        groups: Set<CatalogGroup> = Set(CatalogGroup.allCases), ephemeralRange: PortRange = .linuxEphemeral,
        portRetries: Int = 16, allowedPorts: [UInt16: String] = [:], catalog: [CatalogEntry] = Catalog.das
    ) {
        self.offset = offset
        self.mode = mode
        self.coresPerNode = coresPerNode
        self.groups = groups
        self.ephemeralRange = ephemeralRange
        self.portRetries = portRetries
        self.allowedPorts = allowedPorts
        self.catalog = catalog
    }

    /// Why a policy cannot be used, in words for the user.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if !(0...55535).contains(offset) { errors.append("offset \(offset) is outside 0-55535") }
        if !(1...1024).contains(coresPerNode) { errors.append("cores \(coresPerNode) is outside 1-1024") }
        if !(0...1000).contains(portRetries) { errors.append("port retries \(portRetries) is outside 0-1000") }
        return errors
    }

    /// Whether an entry applies to this cluster (its group is expected and it opens in this mode).
    public func expects(_ entry: CatalogEntry) -> Bool {
        groups.contains(entry.group) && entry.modes.contains(mode)
    }

    /// The catalog entries this cluster is expected to open, in catalog order.
    public var expectedEntries: [CatalogEntry] { catalog.filter(expects) }

    /// The expected entries listening at `port` (two where 11000 is both the HA presenter
    /// and `spark.worker.port`).
    public func expectedEntries(at port: UInt16) -> [CatalogEntry] {
        expectedEntries.filter { $0.port(offset: offset) == port }
    }

    /// Catalog entries at `port` that this cluster does not expect (another mode or group).
    public func unexpectedCatalogEntries(at port: UInt16) -> [CatalogEntry] {
        catalog.filter { !expects($0) && $0.port(offset: offset) == port }
    }

    /// The first port of the executor band: `spark.blockManager.port` under the offset.
    public var executorBase: UInt16 {
        let entry = catalog.first(where: \.isExecutorBand)
        return entry?.port(offset: offset) ?? UInt16(clamping: 12000 + offset)
    }

    /// The executor ports allowed: on the Spark master the driver takes the base port and
    /// N executors the next N, so base...base+N; a worker uses base...base+N-1, inside it.
    public var executorAllowed: PortRange {
        PortRange(executorBase, UInt16(clamping: Int(executorBase) + coresPerNode))
    }

    /// Every port a block manager can end up on: the base port plus Spark's retries
    /// (or the cores, if more). Traffic here above `executorAllowed` is out of range.
    public var executorBand: PortRange {
        PortRange(executorBase, UInt16(clamping: Int(executorBase) + max(portRetries, coresPerNode)))
    }

    /// Ports the policy says servers listen on: expected catalog ports, the allowed executor
    /// ports and the explicitly allowed ones. Used to tell the server side mid-stream.
    public var expectedPorts: Set<UInt16> {
        var ports = Set(expectedEntries.map { $0.port(offset: offset) })
        if expectedEntries.contains(where: \.isExecutorBand) {
            ports.formUnion(executorAllowed.lowerBound...executorAllowed.upperBound)
        }
        ports.formUnion(allowedPorts.keys)
        return ports
    }
}
