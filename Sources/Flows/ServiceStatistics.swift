import Protocols
import Wire

/// Connections folded into their server endpoints: the traffic of each service, the
/// attempts on each endpoint that only saw refused or unanswered connects, and the
/// connections no rule could orient.
///
/// This is what an audit needs of the connections, and it is what a `FlowTable` evicts
/// connections into: its size grows with the services and their clients, not with the
/// connections or the packets. Folding is exact (sums, minimum and maximum times, sets of
/// clients), so the order in which connections are added or statistics merged does not
/// change the outcome, up to the bounds that only a flood or a scan reaches, which keep
/// memory bounded whatever the capture holds:
///
/// - at most `FlowLimits.maxServices` service endpoints and `FlowLimits.maxAttempts`
///   attempted endpoints are listed, the first ones seen; connections to endpoints past a
///   cap are still counted (`connections`, and `unlisted` by kind with their packets and
///   bytes), but not per endpoint. Which endpoints are listed then depends on the order
///   in which connections were folded in;
/// - at most `FlowLimits.maxClientAddresses` client addresses are recorded (past it,
///   `clients` counts are lower bounds and `clientAddressesOverflowed` is set);
/// - at most `FlowLimits.maxUnresolved` unresolved connections are listed (the rest are
///   counted in `unresolvedNotListed`).
public struct ServiceStatistics: Sendable {
    /// Server endpoints that carried traffic.
    public var services: [Endpoint: ServiceTraffic] = [:]
    /// Server endpoints that only saw refused or unanswered connection attempts.
    public var attempts: [Endpoint: ServiceAttempts] = [:]
    /// Connections whose server side no rule could tell, in the order of their first
    /// packet once `sortUnresolved()` has run (FlowTable's statistics are sorted).
    public var unresolved: [Connection] = []
    /// Every connection folded in, unresolved ones included.
    public var connections: Int = 0
    /// Unresolved connections counted but not listed (past `maxUnresolved`).
    public var unresolvedNotListed: Int = 0
    /// Whether some client addresses went unrecorded (past `maxClientAddresses`).
    public var clientAddressesOverflowed = false
    /// What was folded in but not listed per endpoint, past `maxServices` and `maxAttempts`.
    public var unlisted = UnlistedEndpoints()
    /// Connections a `FlowTable` evicted while still open because it held
    /// `FlowLimits.maxConnections` at once (a flood, a scan, or millions of short
    /// connections within a minute): the one bound on the table that can change what is
    /// counted, since a later packet of such a connection starts a new, mid-stream one.
    /// Zero when the cap was never reached or evicted only connections that had ended.
    public var openConnectionsEvictedAtCap: UInt64 = 0

    /// Client addresses recorded, summed over services and attempts.
    public private(set) var clientAddressesRecorded = 0
    public var maxClientAddresses: Int
    public var maxUnresolved: Int
    public var maxServices: Int
    public var maxAttempts: Int

    public init(limits: FlowLimits = .standard) {
        maxClientAddresses = limits.maxClientAddresses
        maxUnresolved = limits.maxUnresolved
        maxServices = limits.maxServices
        maxAttempts = limits.maxAttempts
    }

    /// Folds in `connections`.
    public init(_ connections: some Sequence<Connection>, limits: FlowLimits = .standard) {
        self.init(limits: limits)
        for connection in connections { add(connection) }
        sortUnresolved()
    }

    /// Folds in one connection.
    public mutating func add(_ connection: Connection) {
        connections += 1
        if connection.directionBasis == .unknown {
            if unresolved.count < maxUnresolved {
                unresolved.append(connection)
            } else {
                unresolvedNotListed += 1
            }
        } else if connection.state.isTraffic {
            guard services.count < maxServices || services[connection.server] != nil else {
                unlisted.addService(connection)
                return
            }
            var budget = clientBudget
            services[connection.server, default: ServiceTraffic()].add(connection, budget: &budget)
            settle(budget)
        } else {
            guard attempts.count < maxAttempts || attempts[connection.server] != nil else {
                unlisted.addAttempts(1)
                return
            }
            var budget = clientBudget
            attempts[connection.server, default: ServiceAttempts()].add(connection, budget: &budget)
            settle(budget)
        }
    }

    /// Folds in another set of statistics (of other connections).
    public mutating func merge(_ other: ServiceStatistics) {
        connections += other.connections
        openConnectionsEvictedAtCap.addSaturated(other.openConnectionsEvictedAtCap)
        clientAddressesOverflowed = clientAddressesOverflowed || other.clientAddressesOverflowed
        unlisted.merge(other.unlisted)
        for (endpoint, traffic) in other.services {
            guard services.count < maxServices || services[endpoint] != nil else {
                unlisted.addService(traffic)
                continue
            }
            var budget = clientBudget
            services[endpoint, default: ServiceTraffic()].merge(traffic, budget: &budget)
            settle(budget)
        }
        for (endpoint, tries) in other.attempts {
            guard attempts.count < maxAttempts || attempts[endpoint] != nil else {
                unlisted.addAttempts(tries.refused.addingSaturated(tries.unanswered))
                continue
            }
            var budget = clientBudget
            attempts[endpoint, default: ServiceAttempts()].merge(tries, budget: &budget)
            settle(budget)
        }
        for connection in other.unresolved {
            if unresolved.count < maxUnresolved { unresolved.append(connection) } else { unresolvedNotListed += 1 }
        }
        unresolvedNotListed += other.unresolvedNotListed
    }

    /// Puts the unresolved connections in the order of their first packet (then by
    /// endpoints), which does not depend on the order they were folded in.
    public mutating func sortUnresolved() {
        unresolved.sort { ($0.firstSeen, $0.client, $0.server) < ($1.firstSeen, $1.client, $1.server) }
    }

    private var clientBudget: ClientBudget {
        ClientBudget(left: max(0, maxClientAddresses - clientAddressesRecorded))
    }

    private mutating func settle(_ budget: ClientBudget) {
        clientAddressesRecorded = maxClientAddresses - budget.left
        if budget.overflowed { clientAddressesOverflowed = true }
    }
}

/// How many more client addresses may be recorded.
@usableFromInline
struct ClientBudget {
    var left: Int
    var overflowed = false

    /// Inserts `address` into `clients` if it is new and the budget allows.
    mutating func record(_ address: IPAddress, in clients: inout Set<IPAddress>) {
        if left > 0 {
            if clients.insert(address).inserted { left -= 1 }
        } else if !clients.contains(address) {
            overflowed = true
        }
    }

    mutating func record(_ addresses: Set<IPAddress>, in clients: inout Set<IPAddress>) {
        if clients.isEmpty && addresses.count <= left {
            clients = addresses
            left -= addresses.count
            return
        }
        for address in addresses { record(address, in: &clients) }
    }
}

/// The traffic one server endpoint served.
public struct ServiceTraffic: Sendable {
    public var connections: UInt64 = 0
    public var packets: UInt64 = 0
    /// Frame bytes as on the wire, both directions.
    public var bytes: UInt64 = 0
    public var payloadBytes: UInt64 = 0
    /// Distinct client addresses (see `ServiceStatistics` for the bound).
    public var clients: Set<IPAddress> = []
    /// Connections per direction basis, state, protocol spoken (`Connection.evidence`) and
    /// negotiated TLS version (those whose server hello was captured): fixed counters, so
    /// that folding a connection in hashes nothing but its server and client (`CaseCounts`).
    public var basisCounts = CaseCounts<DirectionBasis>()
    public var stateCounts = CaseCounts<ConnectionState>()
    public var protocolCounts = CaseCounts<ProtocolName>()
    public var tlsVersionCounts = CaseCounts<TLSVersion>()
    /// The same counts as dictionaries (each case counted at least once), as results hold them.
    public var basis: [DirectionBasis: UInt64] { basisCounts.dictionary }
    public var states: [ConnectionState: UInt64] { stateCounts.dictionary }
    public var protocols: [ProtocolName: UInt64] { protocolCounts.dictionary }
    public var tlsVersions: [TLSVersion: UInt64] { tlsVersionCounts.dictionary }
    /// Nanoseconds since the Unix epoch; `Int64.max` / `Int64.min` while empty.
    public var firstSeen = Int64.max
    public var lastSeen = Int64.min

    public init() {}

    mutating func add(_ connection: Connection, budget: inout ClientBudget) {
        protocolCounts.increment(connection.evidence.name)
        if let version = connection.evidence.tlsVersion { tlsVersionCounts.increment(version) }
        connections += 1
        packets.addSaturated(connection.packets)
        bytes.addSaturated(connection.bytes)
        payloadBytes.addSaturated(connection.payloadBytes)
        budget.record(connection.client.address, in: &clients)
        basisCounts.increment(connection.directionBasis)
        stateCounts.increment(connection.state)
        firstSeen = min(firstSeen, connection.firstSeen)
        lastSeen = max(lastSeen, connection.lastSeen)
    }

    mutating func merge(_ other: ServiceTraffic, budget: inout ClientBudget) {
        connections += other.connections
        packets.addSaturated(other.packets)
        bytes.addSaturated(other.bytes)
        payloadBytes.addSaturated(other.payloadBytes)
        budget.record(other.clients, in: &clients)
        basisCounts.add(other.basisCounts)
        stateCounts.add(other.stateCounts)
        protocolCounts.add(other.protocolCounts)
        tlsVersionCounts.add(other.tlsVersionCounts)
        firstSeen = min(firstSeen, other.firstSeen)
        lastSeen = max(lastSeen, other.lastSeen)
    }
}

/// The refused and unanswered connects on one endpoint.
public struct ServiceAttempts: Sendable {
    public var refused: UInt64 = 0
    public var unanswered: UInt64 = 0
    public var clients: Set<IPAddress> = []
    public var firstSeen = Int64.max
    public var lastSeen = Int64.min

    public init() {}

    mutating func add(_ connection: Connection, budget: inout ClientBudget) {
        if connection.state == .refused { refused += 1 } else { unanswered += 1 }
        budget.record(connection.client.address, in: &clients)
        firstSeen = min(firstSeen, connection.firstSeen)
        lastSeen = max(lastSeen, connection.lastSeen)
    }

    mutating func merge(_ other: ServiceAttempts, budget: inout ClientBudget) {
        refused += other.refused
        unanswered += other.unanswered
        budget.record(other.clients, in: &clients)
        firstSeen = min(firstSeen, other.firstSeen)
        lastSeen = max(lastSeen, other.lastSeen)
    }
}
