/// The named shapes of the benchmark matrix (`scripts/bench.sh`, docs/performance.md),
/// and the small one the report scripts use. A preset is a starting point: any parameter
/// can still be changed after it.
public enum TrafficPreset: String, CaseIterable, Sendable {
    /// A DAS/Spark cluster at low concurrency (the shape of the C generator the benchmark
    /// used first): 256 connections in flight, 28 packets each, over 51 services
    /// on 17 hosts, 3 of them unexpected; a few refused, unanswered, reset and left-open
    /// connections. What the budget was first measured on.
    case cluster
    /// 50,000 connections in flight, interleaved, 20 packets each, to 7,000 services on 128
    /// hosts (half of them unexpected).
    case concurrent
    /// Millions of short connections (4 packets: SYN, SYN-ACK, a request and an answer with
    /// the FINs) to 1,000 services on 32 hosts (half unexpected).
    case short
    /// Port-scan-like: 40,000 services on 64 hosts, nearly all unexpected, each connection 10
    /// packets, 1,024 in flight.
    case services
    /// A handful of services, one short connection each: the report scripts' small audits.
    case report

    /// The shape for `packets` packets (the connections follow from the packets per
    /// connection, except for `report`: one connection per service, whatever `packets`).
    public func shape(packets: Int) -> TrafficShape {
        var shape = TrafficShape()
        shape.packets = packets
        switch self {
        case .cluster:
            shape.services = 51
            shape.unexpectedShare = 0.06
            shape.serverHosts = 17
            shape.clientHosts = 16
            shape.connectionsInFlight = 256
            shape.packetsPerConnection = 28
            shape.refusedShare = 0.05
            shape.unansweredShare = 0.03
            shape.resetShare = 0.04
            shape.openShare = 0.03
            shape.rate = 5_000
        case .concurrent:
            shape.services = 7_000
            shape.unexpectedShare = 0.5
            shape.serverHosts = 128
            shape.clientHosts = 1_024
            shape.connectionsInFlight = 50_000
            shape.packetsPerConnection = 20
            shape.rate = 100_000
        case .short:
            shape.services = 1_000
            shape.unexpectedShare = 0.5
            shape.serverHosts = 32
            shape.clientHosts = 1_024
            shape.connectionsInFlight = 256
            shape.packetsPerConnection = 4
            shape.rate = 100_000
        case .services:
            shape.services = 40_000
            shape.unexpectedShare = 0.95
            shape.serverHosts = 64
            shape.clientHosts = 1_024
            shape.connectionsInFlight = 1_024
            shape.packetsPerConnection = 10
            shape.rate = 100_000
        case .report:
            shape.services = 500
            shape.unexpectedShare = 0.9
            shape.serverHosts = 10
            shape.clientHosts = 1
            shape.connectionsInFlight = 1
            shape.packetsPerConnection = 5
            shape.rate = 4_000
            shape.connections = 500
            shape.servicesInTurn = true
            shape.packets = nil
        }
        return shape
    }
}
