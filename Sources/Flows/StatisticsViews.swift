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
        lock.withLock {
            if let services, services.generation == generation { return services.value }
            let value = build()
            services = (generation, value)
            return value
        }
    }

    /// The attempts of `generation`, built by `build` unless already built.
    func attempts(generation: UInt64, _ build: () -> [Endpoint: ServiceAttempts]) -> [Endpoint: ServiceAttempts] {
        lock.withLock {
            if let attempts, attempts.generation == generation { return attempts.value }
            let value = build()
            attempts = (generation, value)
            return value
        }
    }
}
