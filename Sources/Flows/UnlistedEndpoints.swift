/// The connections a `ServiceStatistics` counted but did not list per endpoint, because
/// their endpoint came after the cap on listed services (`FlowLimits.maxServices`) or
/// attempted endpoints (`FlowLimits.maxAttempts`) was reached: a port scan or a flood. The
/// audit reports them in its coverage, so that a reader knows how much traffic no service
/// line accounts for.
public struct UnlistedEndpoints: Sendable, Equatable {
    /// Connections that carried traffic to endpoints not listed as services.
    public var serviceConnections: UInt64 = 0
    /// Their packets, both directions.
    public var servicePackets: UInt64 = 0
    /// Their frame bytes, both directions.
    public var serviceBytes: UInt64 = 0
    /// Refused or unanswered connects to endpoints not listed as attempts.
    public var attemptConnections: UInt64 = 0

    public init() {}

    /// Whether anything went unlisted.
    public var isEmpty: Bool { serviceConnections == 0 && attemptConnections == 0 }

    // Saturating, as `ServiceTraffic` is: statistics merged from results are outside input.
    mutating func addService(_ connection: Connection) {
        serviceConnections.addSaturated(1)
        servicePackets.addSaturated(connection.packets)
        serviceBytes.addSaturated(connection.bytes)
    }

    mutating func addService(_ traffic: TrafficCounts) {
        serviceConnections.addSaturated(traffic.connections)
        servicePackets.addSaturated(traffic.packets)
        serviceBytes.addSaturated(traffic.bytes)
    }

    mutating func addAttempts(_ count: UInt64) {
        attemptConnections.addSaturated(count)
    }

    mutating func merge(_ other: UnlistedEndpoints) {
        serviceConnections.addSaturated(other.serviceConnections)
        servicePackets.addSaturated(other.servicePackets)
        serviceBytes.addSaturated(other.serviceBytes)
        attemptConnections.addSaturated(other.attemptConnections)
    }
}
