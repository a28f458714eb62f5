import Wire

/// The refused and unanswered connects on one endpoint: counters and client addresses,
/// built when `ServiceStatistics.attempts` is read (as `ServiceTraffic` is). The counters
/// read and write as fields (`tries.refused`).
@dynamicMemberLookup
public struct ServiceAttempts: Sendable, Equatable {
    public var counts = AttemptCounts()
    /// Distinct client addresses, sorted (see `ServiceStatistics` for the bound).
    public var clients: ClientAddresses = []

    public init() {}

    init(counts: AttemptCounts, clients: ClientAddresses) {
        self.counts = counts
        self.clients = clients
    }

    @inlinable
    public subscript<Value>(dynamicMember field: WritableKeyPath<AttemptCounts, Value>) -> Value {
        get { counts[keyPath: field] }
        set { counts[keyPath: field] = newValue }
    }
}

/// The counters of one attempted endpoint.
public struct AttemptCounts: Sendable, Equatable, EndpointCounts {
    /// Each client's own refused and unanswered connects (`ClientAttemptTally`).
    typealias PairTally = ClientAttemptTally

    public var refused: UInt64 = 0
    public var unanswered: UInt64 = 0
    /// Nanoseconds since the Unix epoch; `Int64.max` / `Int64.min` while empty.
    public var firstSeen = Int64.max
    public var lastSeen = Int64.min
    /// The client port every connect came from (`SoleClientPort`).
    var clientPorts = SoleClientPort()
    /// Connects that were probes without a SYN (`Connection.probeWithoutSyn`): a bare ACK a
    /// RST refused (`Connection.isRefusedAck`), an ACK or Window scan's probe of a closed port.
    public var probesWithoutSyn: UInt64 = 0
    /// Whether every connect was such a probe.
    public var onlyProbesWithoutSyn: Bool { probesWithoutSyn > 0 && probesWithoutSyn == refused.addingSaturated(unanswered) }

    /// The client port every connect came from; nil with several (or none).
    public var clientPort: UInt16? { clientPorts.port }
    /// The two client ports the connects came from, when there were exactly two.
    public var clientPortPair: (UInt16, UInt16)? { clientPorts.pair }

    public init() {}

    /// Counts one refused or unanswered connect (its client is recorded apart).
    @inline(__always)
    mutating func add(_ connection: Connection) {
        clientPorts.add(connection.client.port)
        if connection.state == .refused { refused += 1 } else { unanswered += 1 }
        if connection.probeWithoutSyn { probesWithoutSyn += 1 }
        firstSeen = min(firstSeen, connection.firstSeen)
        lastSeen = max(lastSeen, connection.lastSeen)
    }

    mutating func merge(_ other: AttemptCounts) {
        clientPorts.merge(other.clientPorts)
        refused += other.refused
        unanswered += other.unanswered
        probesWithoutSyn.addSaturated(other.probesWithoutSyn)
        firstSeen = min(firstSeen, other.firstSeen)
        lastSeen = max(lastSeen, other.lastSeen)
    }
}
