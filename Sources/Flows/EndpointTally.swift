import CPrefetch
import Wire

/// What an `EndpointTally` keeps per endpoint: fixed counters that merge by addition, and
/// what it keeps per client of each endpoint (`PairTally`).
protocol EndpointCounts: Sendable {
    associatedtype PairTally: ClientTally = NoClientTally
    init()
    /// Adds `other`'s counts (of other connections to the same endpoint).
    mutating func merge(_ other: Self)
}

/// Per-endpoint counters and clients: the services (or the attempted endpoints) of a
/// `ServiceStatistics`.
///
/// Endpoints are numbered in the order they are first seen (`EndpointIndex`); their
/// counters sit in a dense array by number and their client addresses in one flat set of
/// (number, address) pairs (`ClientAddressPairs`), each with its `PairTally`. Folding a
/// connection in is two probes of flat tables and a few additions, and merging is linear
/// in the other tally.
struct EndpointTally<Counts: EndpointCounts>: Sendable {
    private(set) var index = EndpointIndex()
    /// The counters, by endpoint number.
    var rows: [Counts] = []
    private(set) var clients = ClientAddressPairs<Counts.PairTally>()

    /// Endpoints listed.
    var count: Int { rows.count }

    /// The row number of `endpoint`, a new row if it is new and fewer than `cap` are
    /// listed; nil if it is new and `cap` are.
    @inline(__always)
    mutating func row(for endpoint: Endpoint, cap: Int) -> Int? {
        guard let number = index.number(of: endpoint, addingBelow: cap) else { return nil }
        if number == rows.count { rows.append(Counts()) }
        return number
    }

    /// Asks for what `row(for:cap:)` of `endpoint` reads first.
    @inline(__always)
    func prefetchRow(for endpoint: Endpoint) { index.prefetch(endpoint) }

    /// Asks for the counters of row `row` (every cache line of them: a service's run to
    /// several) and the slot that `recordClient` of `address` for it reads first.
    @inline(__always)
    func prefetch(row: Int, client address: IPAddress) {
        if row < rows.count {
            rows.withUnsafeBufferPointer { rows in
                let start = UnsafeRawPointer(rows.baseAddress! + row)
                for offset in stride(from: 0, to: MemoryLayout<Counts>.stride, by: 64) { prefetch_for_write(start + offset) }
            }
        }
        clients.prefetch(address, owner: row)
    }

    /// Records `address` as a client of row `row` with `tally`, within `budget`.
    @inline(__always)
    mutating func recordClient(_ address: IPAddress, row: Int, tally: Counts.PairTally = .init(),
                               budget: inout ClientBudget) {
        budget.record(address, owner: row, tally: tally, in: &clients)
    }

    /// Adds `other`'s endpoints in their order (new ones while fewer than `cap` are listed),
    /// then their clients within `budget`; hands the counters of endpoints past the cap to
    /// `unlisted`. Returns each of `other`'s rows' row here (-1: past the cap).
    @discardableResult
    mutating func merge(_ other: EndpointTally, cap: Int, budget: inout ClientBudget, unlisted: (Counts) -> Void) -> [Int] {
        var rowOf = [Int](repeating: -1, count: other.count)
        for (number, endpoint) in other.index.endpoints.enumerated() {
            if let row = row(for: endpoint, cap: cap) {
                rows[row].merge(other.rows[number])
                rowOf[number] = row
            } else {
                unlisted(other.rows[number])
            }
        }
        other.clients.forEach { owner, address, tally in
            let row = rowOf[owner]
            if row >= 0 { budget.record(address, owner: row, tally: tally, in: &clients) }
        }
        return rowOf
    }

    /// The endpoints in (address, port) order with what `make` builds of their counters and
    /// client addresses (each endpoint's sorted, `ClientAddressPairs.grouped`): the form the
    /// audit's end stage reads (`EndpointList`). Sorting is of the endpoint numbers; each
    /// value is built once, in its place.
    ///
    /// Consuming: a tally handed over (`ServiceStatistics.takeServicesAndAttempts`) lets its
    /// client pairs go as soon as they are grouped, before the values are built, so the
    /// flat pairs, the grouped addresses and the list are never all held at once.
    ///
    /// `inParallel`: sort the clients on two threads (`ClientAddressPairs.grouped`).
    @inline(__always)
    consuming func sorted<Value>(_ make: (Counts, ClientAddresses) -> Value, inParallel: Bool = false) -> EndpointList<Value> {
        sorted(make, inParallel: inParallel, keepingPairs: false).list
    }

    /// `sorted(_:inParallel:)`, and, when `keepingPairs`, the client pairs with each
    /// endpoint's row by its place in the list (`rowOfPlace`): what the end stage looks
    /// the pairs' tallies up in (`AttemptClientTallies`). Otherwise they go once grouped.
    @inline(__always)
    consuming func sorted<Value>(_ make: (Counts, ClientAddresses) -> Value, inParallel: Bool, keepingPairs: Bool)
        -> (list: EndpointList<Value>, pairs: ClientAddressPairs<Counts.PairTally>, rowOfPlace: [Int]) {
        let endpoints = index.endpoints
        let order = endpoints.indices.sorted { endpoints[$0] < endpoints[$1] }
        let clientsByRow = clients.grouped(owners: count, layout: order, inParallel: inParallel)
        let kept = keepingPairs ? (clients, order) : (ClientAddressPairs(), [])
        clients = ClientAddressPairs()
        // Each value made in its place (a service's is about 400 bytes), the rows read in
        // their order (a gather in endpoint order missed the cache on every row).
        var placeOf = [Int](repeating: 0, count: order.count)
        for (place, number) in order.enumerated() { placeOf[number] = place }
        let values = rows.withUnsafeBufferPointer { rows in
            [Value](unsafeUninitializedCapacity: order.count) { buffer, initialized in
                for number in rows.indices {
                    (buffer.baseAddress! + placeOf[number]).initialize(to: make(rows[number], clientsByRow[number]))
                }
                initialized = order.count
            }
        }
        return (EndpointList(sortedEndpoints: order.map { endpoints[$0] }, values: values), kept.0, kept.1)
    }

    /// `sorted(make)` as a dictionary (`ServiceStatistics.services`).
    consuming func dictionary<Value>(_ make: (Counts, ClientAddresses) -> Value) -> [Endpoint: Value] {
        sorted(make).dictionary
    }
}
