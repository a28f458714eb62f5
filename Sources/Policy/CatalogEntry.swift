/// One port of the catalog: a base port, the key that configures it, and when it applies.
public struct CatalogEntry: Hashable, Sendable {
    /// The configuration key (`spark.master.port`) or, for WSO2 ports without one, a
    /// dotted name in the same spirit (`thrift.receiver.port`).
    public let key: String
    /// The port before the offset is applied.
    public let basePort: UInt16
    public let group: CatalogGroup
    /// The Spark modes in which the port is opened.
    public let modes: Set<SparkMode>
    /// Whether the cluster's port offset shifts this port.
    public let shiftedByOffset: Bool
    /// False for ports Spark normally leaves unbound (HttpBroadcast, the REPL class
    /// server): their "unused opening" is expected rather than a sign of drift.
    public let normallyBound: Bool
    /// True for `spark.blockManager.port`: the first port of the executor band.
    public let isExecutorBand: Bool
    /// What listens on the port, in a few words.
    public let summary: String

    public init(
        key: String, basePort: UInt16, group: CatalogGroup, modes: Set<SparkMode> = Set(SparkMode.allCases),
        shiftedByOffset: Bool = true, normallyBound: Bool = true, isExecutorBand: Bool = false, summary: String
    ) {
        self.key = key
        self.basePort = basePort
        self.group = group
        self.modes = modes
        self.shiftedByOffset = shiftedByOffset
        self.normallyBound = normallyBound
        self.isExecutorBand = isExecutorBand
        self.summary = summary
    }

    /// The port this entry opens under `offset`.
    public func port(offset: Int) -> UInt16 {
        shiftedByOffset ? UInt16(clamping: Int(basePort) + offset) : basePort
    }
}
