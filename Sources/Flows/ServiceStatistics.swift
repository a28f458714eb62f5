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
    /// Server endpoints that carried traffic, built from the flat tallies on every read
    /// (linear in the services and their clients): read it once, or take it out with
    /// `takeServicesAndAttempts()`.
    public var services: [Endpoint: ServiceTraffic] { serviceTally.dictionary(ServiceTraffic.init) }
    /// Server endpoints that only saw refused or unanswered connection attempts (built as
    /// `services` is).
    public var attempts: [Endpoint: ServiceAttempts] { attemptTally.dictionary(ServiceAttempts.init) }
    /// Connections whose server side no rule could tell, in the order of their first
    /// packet once `sortUnresolved()` has run (FlowTable's statistics are sorted).
    public var unresolved: [Connection] = []
    /// Every connection folded in, unresolved ones included.
    public var connections: Int = 0
    /// Unresolved connections counted but not listed (past `maxUnresolved`).
    public var unresolvedNotListed: Int = 0
    /// Unanswered connects the end of the capture cut (`AttemptsCutByEnd`): counted in
    /// `attempts` as unanswered too, and told apart there.
    public var cutByEnd = AttemptsCutByEnd()
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

    /// Connections of which one side only was captured (`Connection.seenOneWay`): the
    /// capture may hold one direction (a SPAN port mirroring one way, `tcpdump -Q in`).
    public var connectionsSeenOneWay: UInt64 = 0
    /// Connections still open at their last captured packet (`Connection.isOpenAtEnd`),
    /// unresolved ones included.
    public var connectionsOpenAtEnd: UInt64 = 0
    /// Packets of connections that were nothing but one side's RSTs without ACK
    /// (`Connection.loneReset`: a spoofed RST flood's): counted here, and nowhere else,
    /// no connection, service or attempt made of them.
    public var loneResetPackets: UInt64 = 0
    /// Connections whose packets were lost before they were captured: one side
    /// acknowledged bytes of the other that the capture never held
    /// (`Connection.missedData`, `ConnectionRecord.trackSequence`).
    public var connectionsWithMissedData: UInt64 = 0
    /// The bytes acknowledged that the capture never held, over every connection (as
    /// Zeek's `missed_bytes`): a lower bound of what the capture lost, since a packet lost
    /// whose bytes no captured acknowledgment covers (the last ones of a connection, a
    /// handshake, an ACK) is not counted.
    public var missedBytes: UInt64 = 0
    /// TCP payload bytes of the connections folded in, both directions: what `missedBytes`
    /// is weighed against.
    public var payloadBytes: UInt64 = 0

    /// Client addresses recorded, summed over services and attempts.
    public private(set) var clientAddressesRecorded = 0
    public var maxClientAddresses: Int
    public var maxUnresolved: Int
    public var maxServices: Int
    public var maxAttempts: Int

    /// The services and the attempted endpoints as flat tables (`EndpointTally`): folding a
    /// connection in allocates nothing and hashes with `SeededHash`, not SipHash.
    private var serviceTally = EndpointTally<TrafficCounts>()
    private var attemptTally = EndpointTally<AttemptCounts>()
    /// The first clients of each protocol of each service, by row (`ProtocolClientTable`).
    private var protocolClients = ProtocolClientTable()
    /// The ports each service probed itself, by row (`ServerProbePorts`).
    private var serverProbePorts = ServerProbePorts()

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

    /// Service endpoints listed.
    public var serviceCount: Int { serviceTally.count }
    /// Attempted endpoints listed.
    public var attemptCount: Int { attemptTally.count }

    /// Folds in one connection.
    public mutating func add(_ connection: Connection) {
        var budget = clientBudget
        fold(connection, row: row(for: connection), budget: &budget)
        settle(budget)
    }

    /// Folds in `connections`, in its order, `foldedAtOnce` at a time (`add(batch:)`).
    mutating func add(contentsOf connections: [Connection]) {
        connections.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + Self.foldedAtOnce)
                add(batch: UnsafeBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
    }

    /// Folds in `batch` (at most `foldedAtOnce` connections), in its order: the same as
    /// adding each connection, with each lookup of the whole batch asked for
    /// (`FlatTable.prefetch`) before any is made, so that their cache misses overlap instead
    /// of coming one after another. With tens of thousands of services the endpoint index
    /// and the counters (several cache lines a service) outgrow the caches, and with a scan
    /// the client pairs (tens of MB). Endpoint numbers are handed out in the batch's order,
    /// then everything is folded in that order, so numbers, caps and the client budget fall
    /// as they would one by one. The connections are read where they lie (`FoldingBatch`).
    /// The rows sit in an `InlineArray` on the stack: with a closure around them
    /// (`withUnsafeTemporaryAllocation`), each call on a tally inside it copied the tally.
    mutating func add(batch: UnsafeBufferPointer<Connection>) {
        for connection in batch {
            switch Self.tally(of: connection) {
            case .service: serviceTally.prefetchRow(for: connection.server)
            case .attempt: attemptTally.prefetchRow(for: connection.server)
            case nil: break
            }
        }
        var rows = InlineArray<64, Int>(repeating: -1)  // foldedAtOnce
        precondition(batch.count <= rows.count)
        for (offset, connection) in batch.enumerated() {
            guard let row = row(for: connection) else { continue }
            rows[offset] = row
            switch Self.tally(of: connection) {
            case .service: serviceTally.prefetch(row: row, client: connection.client.address)
            case .attempt: attemptTally.prefetch(row: row, client: connection.client.address)
            case nil: break
            }
        }
        var budget = clientBudget
        for (offset, connection) in batch.enumerated() {
            fold(connection, row: rows[offset] >= 0 ? rows[offset] : nil, budget: &budget)
        }
        settle(budget)
    }

    /// Connections `add(batch:)` folds at once: enough for their lookups' misses to
    /// overlap, few enough that they stay in the cache (the count of its `InlineArray`).
    static let foldedAtOnce = 64

    /// Which tally a connection is folded into: none when no rule could orient it.
    private enum Tally { case service, attempt }

    private static func tally(of connection: Connection) -> Tally? {
        if connection.directionBasis == .unknown || connection.loneReset { return nil }
        return connection.state.isTraffic ? .service : .attempt
    }

    /// The row of the connection's endpoint in its tally, numbered now if the endpoint is
    /// new and the cap allows; nil if unresolved or past the cap.
    @inline(__always)
    private mutating func row(for connection: Connection) -> Int? {
        switch Self.tally(of: connection) {
        case nil: nil
        case .service: serviceTally.row(for: connection.server, cap: maxServices)
        case .attempt: attemptTally.row(for: connection.server, cap: maxAttempts)
        }
    }

    /// Folds `connection` in, at `row` of its tally (`row(for:)`; nil: unresolved, or
    /// counted as unlisted past the cap).
    @inline(__always)
    private mutating func fold(_ connection: Connection, row: Int?, budget: inout ClientBudget) {
        if connection.loneReset { return loneResetPackets.addSaturated(connection.packets) }
        connections += 1
        if connection.seenOneWay { connectionsSeenOneWay += 1 }
        if connection.isOpenAtEnd { connectionsOpenAtEnd += 1 }
        if connection.missedData { connectionsWithMissedData += 1 }
        payloadBytes.addSaturated(connection.payloadBytes)
        switch Self.tally(of: connection) {
        case nil:
            if unresolved.count < maxUnresolved {
                unresolved.append(connection)
            } else {
                unresolvedNotListed += 1
            }
        case .service:
            guard let row else { return unlisted.addService(connection) }
            serviceTally.rows[row].add(connection)
            serviceTally.recordClient(connection.client.address, row: row, budget: &budget)
            if serviceTally.rows[row].protocolCounts[connection.evidence.name] <= ProtocolClientTable.connectionsRecorded {
                protocolClients.add(connection, row: row)
            }
            if connection.probedByServer { serverProbePorts.add(row: row, port: connection.client.port) }
        case .attempt:
            guard let row else { return unlisted.addAttempts(1) }
            attemptTally.rows[row].add(connection)
            attemptTally.recordClient(connection.client.address, row: row, tally: ClientAttemptTally(connection),
                                      budget: &budget)
        }
    }

    /// Folds in another set of statistics (of other connections): linear in `other`'s
    /// endpoints and clients, its endpoints taken in the order it first saw them.
    public mutating func merge(_ other: ServiceStatistics) {
        connections += other.connections
        connectionsSeenOneWay.addSaturated(other.connectionsSeenOneWay)
        connectionsOpenAtEnd.addSaturated(other.connectionsOpenAtEnd)
        loneResetPackets.addSaturated(other.loneResetPackets)
        connectionsWithMissedData.addSaturated(other.connectionsWithMissedData)
        missedBytes.addSaturated(other.missedBytes)
        payloadBytes.addSaturated(other.payloadBytes)
        openConnectionsEvictedAtCap.addSaturated(other.openConnectionsEvictedAtCap)
        clientAddressesOverflowed = clientAddressesOverflowed || other.clientAddressesOverflowed
        unlisted.merge(other.unlisted)
        var budget = clientBudget
        let rowOf = serviceTally.merge(other.serviceTally, cap: maxServices, budget: &budget) { unlisted.addService($0) }
        protocolClients.merge(other.protocolClients, rowOf: rowOf)
        serverProbePorts.merge(other.serverProbePorts, rowOf: rowOf)
        attemptTally.merge(other.attemptTally, cap: maxAttempts, budget: &budget) {
            unlisted.addAttempts($0.refused.addingSaturated($0.unanswered))
        }
        settle(budget)
        for connection in other.unresolved {
            if unresolved.count < maxUnresolved { unresolved.append(connection) } else { unresolvedNotListed += 1 }
        }
        unresolvedNotListed += other.unresolvedNotListed
    }

    /// Puts the unresolved connections in the order of their first packet (then by
    /// endpoints), which does not depend on the order they were folded in.
    public mutating func sortUnresolved() {
        unresolved.sort(by: Connection.beganBefore)
    }

    /// `services` and `attempts`, moved out in endpoint order (`EndpointList`): the
    /// statistics keep their counts (`connections`, `unlisted`, the unresolved connections,
    /// the client budget) but list no endpoint afterwards. The audit's end stage reads each
    /// once; moving them out lets each flat tally go while its list is built
    /// (`EndpointTally.sorted`), instead of holding both until the statistics are dropped.
    ///
    /// `inParallel`: sort each endpoint's clients on two threads, with the same result.
    public mutating func takeServicesAndAttempts(inParallel: Bool = false)
        -> (services: EndpointList<ServiceTraffic>, attempts: EndpointList<ServiceAttempts>) {
        let (services, attempts, _) = takeServicesAndAttempts(inParallel: inParallel, keepingAttemptTallies: false)
        return (services, attempts)
    }

    /// `takeServicesAndAttempts(inParallel:)`, with each attempted endpoint's clients' own
    /// failed connects (`ClientAttemptTally`, by the endpoint's place in `attempts`) when
    /// `keepingAttemptTallies`: what tells one scanner's probes from another's.
    public mutating func takeServicesAndAttempts(inParallel: Bool, keepingAttemptTallies: Bool)
        -> (services: EndpointList<ServiceTraffic>, attempts: EndpointList<ServiceAttempts>,
            attemptTallies: AttemptClientTallies) {
        var services = EndpointTally<TrafficCounts>()
        swap(&services, &serviceTally)
        var attempts = EndpointTally<AttemptCounts>()
        swap(&attempts, &attemptTally)
        var clientsOfProtocols = ProtocolClientTable()
        swap(&clientsOfProtocols, &protocolClients)
        var probedPorts = ServerProbePorts()
        swap(&probedPorts, &serverProbePorts)
        let endpointOfRow = services.index.endpoints
        var serviceList = (consume services).sorted(ServiceTraffic.init, inParallel: inParallel)
        serviceList.attach(clientsOfProtocols, endpointOfRow: endpointOfRow)
        serviceList.attach(probedPorts, endpointOfRow: endpointOfRow)
        let (attemptList, pairs, rowOfPlace) = (consume attempts).sorted(ServiceAttempts.init, inParallel: inParallel,
                                                                         keepingPairs: keepingAttemptTallies)
        return (serviceList, attemptList, AttemptClientTallies(pairs: pairs, rowOfPlace: rowOfPlace))
    }

    private var clientBudget: ClientBudget {
        ClientBudget(left: max(0, maxClientAddresses - clientAddressesRecorded), overflowed: clientAddressesOverflowed)
    }

    private mutating func settle(_ budget: ClientBudget) {
        clientAddressesRecorded = maxClientAddresses - budget.left
        if budget.overflowed { clientAddressesOverflowed = true }
    }
}
