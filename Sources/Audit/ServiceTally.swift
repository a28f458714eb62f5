import Flows

/// Connections folded into their server endpoints: the per-service statistics of the
/// Flows module (a flow table evicts connections into the same statistics).
typealias ServiceTally = ServiceStatistics

extension ServiceStatistics {
    typealias Traffic = ServiceTraffic
    typealias Attempts = ServiceAttempts
}
