/// Connections on their way into a `ServiceStatistics`, folded in `capacity` at a time
/// (`ServiceStatistics.add(batch:)`, whose lookups of a batch overlap their cache misses):
/// how a bulk eviction and the end's fold of the held connections add them. Whoever fills
/// one calls `flush` at the end; until then the last connections are held.
///
/// The connections lie in a buffer of the batch's own, allocated once, and are folded
/// where they lie: appending to an array checked its capacity and uniqueness for each
/// connection, and reading them back through a slice its bounds, 59 of the 1,280
/// instructions an evicted connection cost on the short shape (docs/performance-log.md,
/// "December 7, tracking per connection").
struct FoldingBatch: ~Copyable {
    /// What `ServiceStatistics.add(batch:)` folds at once.
    static var capacity: Int { ServiceStatistics.foldedAtOnce }

    private let connections = UnsafeMutablePointer<Connection>.allocate(capacity: FoldingBatch.capacity)
    private var count = 0

    init() {}

    deinit {
        connections.deinitialize(count: count)  // a batch dropped unflushed (a thrown read)
        connections.deallocate()
    }

    /// Adds `connection`, folding the batch into `statistics` once it is full.
    @inline(__always)
    mutating func add(_ connection: Connection, into statistics: inout ServiceStatistics) {
        (connections + count).initialize(to: connection)
        count += 1
        if count == Self.capacity { flush(into: &statistics) }
    }

    /// Folds the connections held into `statistics`.
    mutating func flush(into statistics: inout ServiceStatistics) {
        statistics.add(batch: UnsafeBufferPointer(start: connections, count: count))
        connections.deinitialize(count: count)
        count = 0
    }
}
