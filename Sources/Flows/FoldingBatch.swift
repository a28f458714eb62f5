/// Connections on their way into a `ServiceStatistics`, folded in `capacity` at a time
/// (`ServiceStatistics.add(contentsOf:)`, whose lookups of a batch overlap their cache
/// misses): how a bulk eviction and the end's fold of the held connections add them.
/// Whoever fills one calls `flush` at the end; until then the last connections are held.
struct FoldingBatch {
    /// What `ServiceStatistics.add(contentsOf:)` folds at once.
    static let capacity = ServiceStatistics.foldedAtOnce

    private var connections: [Connection] = []

    init() { connections.reserveCapacity(Self.capacity) }

    /// Adds `connection`, folding the batch into `statistics` once it is full.
    mutating func add(_ connection: Connection, into statistics: inout ServiceStatistics) {
        connections.append(connection)
        if connections.count == Self.capacity { flush(into: &statistics) }
    }

    /// Folds the connections held into `statistics`.
    mutating func flush(into statistics: inout ServiceStatistics) {
        statistics.add(contentsOf: connections)
        connections.removeAll(keepingCapacity: true)
    }
}
