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

    mutating func addService(_ connection: Connection) {
        serviceConnections += 1
        servicePackets += connection.packets
        serviceBytes += connection.bytes
    }

    mutating func addService(_ traffic: ServiceTraffic) {
        serviceConnections += traffic.connections
        servicePackets += traffic.packets
        serviceBytes += traffic.bytes
    }

    mutating func merge(_ other: UnlistedEndpoints) {
        serviceConnections += other.serviceConnections
        servicePackets += other.servicePackets
        serviceBytes += other.serviceBytes
        attemptConnections += other.attemptConnections
    }
}
