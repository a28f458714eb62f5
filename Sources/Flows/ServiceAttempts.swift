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

    /// The refused connects a service of refused bare ACKs only was
    /// (`TrafficCounts.onlyRefusedAcks`): each ACK refused by its RST, from the same clients
    /// and client ports.
    public init(refusedAcksOf traffic: ServiceTraffic) {
        var counts = AttemptCounts()
        counts.refused = traffic.counts.refusedAcks
        counts.firstSeen = traffic.counts.firstSeen
        counts.lastSeen = traffic.counts.lastSeen
        counts.clientPorts = traffic.counts.probeClientPorts
        self.init(counts: counts, clients: traffic.clients)
    }

    /// Both endpoints' connects as one (an endpoint refused SYNs and bare ACKs).
    public mutating func merge(_ other: ServiceAttempts) {
        counts.merge(other.counts)
        clients = ClientAddresses(Array(clients) + Array(other.clients))
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
        firstSeen = min(firstSeen, connection.firstSeen)
        lastSeen = max(lastSeen, connection.lastSeen)
    }

    mutating func merge(_ other: AttemptCounts) {
        clientPorts.merge(other.clientPorts)
        refused += other.refused
        unanswered += other.unanswered
        firstSeen = min(firstSeen, other.firstSeen)
        lastSeen = max(lastSeen, other.lastSeen)
    }
}
