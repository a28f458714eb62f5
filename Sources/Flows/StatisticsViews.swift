import Foundation

/// The dictionaries `ServiceStatistics.services` and `.attempts` return, built from the
/// flat tallies the first time they are read and kept until the statistics change: the
/// audit reads them several times, and a reader may look services up one by one.
///
/// Shared by copies of the same statistics (it is a reference), so each entry remembers
/// the `generation` of the statistics it was built from; `ServiceStatistics` counts its
/// changes and takes a new, empty cache when it changes while a copy shares this one.
/// Reads may come from several threads at once, hence the lock.
final class StatisticsViews: @unchecked Sendable {
    private let lock = NSLock()
    private var services: (generation: UInt64, value: [Endpoint: ServiceTraffic])?
    private var attempts: (generation: UInt64, value: [Endpoint: ServiceAttempts])?

    /// The services of `generation`, built by `build` unless already built.
    func services(generation: UInt64, _ build: () -> [Endpoint: ServiceTraffic]) -> [Endpoint: ServiceTraffic] {
        lock.withLock { Self.kept(&services, generation: generation, build) }
    }

    /// The attempts of `generation`, built by `build` unless already built.
    func attempts(generation: UInt64, _ build: () -> [Endpoint: ServiceAttempts]) -> [Endpoint: ServiceAttempts] {
        lock.withLock { Self.kept(&attempts, generation: generation, build) }
    }

    /// `entry`'s value if it was built at `generation`, else a new one from `build`, kept.
    private static func kept<Value>(_ entry: inout (generation: UInt64, value: Value)?, generation: UInt64,
                                    _ build: () -> Value) -> Value {
        if let entry, entry.generation == generation { return entry.value }
        let value = build()
        entry = (generation, value)
        return value
    }
}
