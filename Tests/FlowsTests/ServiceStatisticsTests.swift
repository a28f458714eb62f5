@testable import Flows
import TestSupport
import Protocols
import Wire
import XCTest

/// `ServiceStatistics` on its flat tables: the client budget's edge, merging in either
/// order, and random connections folded in and merged, checked against a model built the
/// way the statistics were before, on `Dictionary` and `Set`.
final class ServiceStatisticsTests: XCTestCase {
    private func connection(client: UInt32, server: UInt32 = 0x0A00_0001, port: UInt16, state: ConnectionState = .closed,
                            basis: DirectionBasis = .handshake, at time: Int64 = 1_000, evidence: ProtocolEvidence = .none) -> Connection {
        let traffic = state.isTraffic
        return Connection(client: Endpoint(address: IPAddress(ipv4: client), port: 40000),
                          server: Endpoint(address: IPAddress(ipv4: server), port: port),
                          directionBasis: basis, state: state,
                          packetsToServer: traffic ? 4 : 1, packetsToClient: traffic ? 3 : 0,
                          bytesToServer: traffic ? 400 : 66, bytesToClient: traffic ? 300 : 0,
                          payloadBytesToServer: traffic ? 10 : 0, payloadBytesToClient: 0,
                          firstSeen: time, lastSeen: time + 10, evidence: evidence)
    }

    private func endpoint(_ port: UInt16, server: UInt32 = 0x0A00_0001) -> Endpoint {
        Endpoint(address: IPAddress(ipv4: server), port: port)
    }

    func testTheClientBudgetRecordsExactlyMaxClientAddressesOverServicesAndAttempts() {
        var statistics = ServiceStatistics(limits: FlowLimits(maxClientAddresses: 3))
        statistics.add(connection(client: 1, port: 80))
        statistics.add(connection(client: 2, port: 80))
        statistics.add(connection(client: 3, port: 81, state: .refused))
        XCTAssertEqual(statistics.clientAddressesRecorded, 3)
        XCTAssertFalse(statistics.clientAddressesOverflowed, "the budget is used up, not exceeded")

        statistics.add(connection(client: 1, port: 80))
        XCTAssertFalse(statistics.clientAddressesOverflowed, "a client already recorded for the service costs nothing")

        statistics.add(connection(client: 1, port: 82))
        XCTAssertTrue(statistics.clientAddressesOverflowed, "a known address on another service is a new pair")
        XCTAssertEqual(statistics.services[endpoint(82)]?.connections, 1, "the service is still listed and counted")
        XCTAssertEqual(statistics.services[endpoint(82)]?.clients, [], "its client count is a lower bound")
        XCTAssertEqual(statistics.services[endpoint(80)]?.clients, [IPAddress(ipv4: 1), IPAddress(ipv4: 2)])
        XCTAssertEqual(statistics.attempts[endpoint(81)]?.clients, [IPAddress(ipv4: 3)])
        XCTAssertEqual(statistics.clientAddressesRecorded, 3)
    }

    func testTheServicesReadAreThoseOfTheValueReadEvenWhenACopySharedThemBefore() {
        var original = ServiceStatistics()
        original.add(connection(client: 1, port: 80))
        let copy = original
        XCTAssertEqual(copy.services[endpoint(80)]?.connections, 1)
        original.add(connection(client: 2, port: 80))
        original.add(connection(client: 2, port: 81, state: .refused))
        XCTAssertEqual(original.services[endpoint(80)]?.connections, 2, "built again after a change")
        XCTAssertEqual(original.services[endpoint(80)]?.clients.count, 2)
        XCTAssertEqual(original.attempts.count, 1)
        XCTAssertEqual(copy.services[endpoint(80)]?.connections, 1, "the copy keeps its own")
        XCTAssertEqual(copy.attempts.count, 0)
        var other = copy
        other.merge(original)
        XCTAssertEqual(other.services[endpoint(80)]?.connections, 3)
        XCTAssertEqual(copy.services[endpoint(80)]?.connections, 1)
        // Two copies changed as many times each: the same count of changes, not the same services.
        var third = copy
        third.add(connection(client: 9, port: 90))
        XCTAssertEqual(third.services.keys.sorted(), [endpoint(80), endpoint(90)])
        XCTAssertNil(other.services[endpoint(90)])
    }

    func testMergingInEitherOrderEqualsFoldingEverythingIntoOne() {
        var random = SplitMix64(seed: 11)
        let all = randomConnections(5_000, using: &random)
        let parts = [all.prefix(1_700), all.dropFirst(1_700).prefix(2_000), all.dropFirst(3_700)].map { ServiceStatistics(Array($0)) }
        var forward = parts[0]
        forward.merge(parts[1])
        forward.merge(parts[2])
        var backward = parts[2]
        backward.merge(parts[1])
        backward.merge(parts[0])
        let whole = ServiceStatistics(all)
        for merged in [forward, backward] {
            XCTAssertEqual(merged.services, whole.services)
            XCTAssertEqual(merged.attempts, whole.attempts)
            XCTAssertEqual(merged.connections, whole.connections)
            XCTAssertEqual(merged.clientAddressesRecorded, whole.clientAddressesRecorded)
            XCTAssertEqual(merged.unresolved.count, whole.unresolved.count)
        }
    }

    func testMergingAtTheBudgetRecordsNoMoreThanItAllowsAndSaysSo() {
        var random = SplitMix64(seed: 12)
        let all = randomConnections(4_000, using: &random)
        let limits = FlowLimits(maxClientAddresses: 500)
        var merged = ServiceStatistics(all.prefix(2_000), limits: limits)
        merged.merge(ServiceStatistics(all.dropFirst(2_000), limits: limits))
        let exact = ServiceStatistics(all).services
        XCTAssertGreaterThan(exact.values.reduce(0) { $0 + $1.clients.count }, 500)
        XCTAssertEqual(merged.clientAddressesRecorded, 500)
        XCTAssertTrue(merged.clientAddressesOverflowed)
        let recorded = merged.services.values.reduce(0) { $0 + $1.clients.count } + merged.attempts.values.reduce(0) { $0 + $1.clients.count }
        XCTAssertEqual(recorded, 500)
        for (endpoint, traffic) in merged.services {
            XCTAssertTrue(traffic.clients.allSatisfy(exact[endpoint]!.clients.contains), "only true clients, as lower bounds")
            XCTAssertEqual(traffic.counts, exact[endpoint]!.counts, "the counters are exact past the budget")
        }
    }

    /// Random connections folded in one by one, under random caps and budgets, give what
    /// the model gives: the same endpoints, counters, clients, overflow and unlisted counts.
    func testRandomConnectionsAgreeWithTheDictionaryAndSetModel() {
        var random = SplitMix64(seed: 13)
        for _ in 0..<30 {
            let limits = randomLimits(using: &random)
            let connections = randomConnections(Int.random(in: 0...3_000, using: &random), using: &random)
            let statistics = ServiceStatistics(connections, limits: limits)
            var model = StatisticsModel(limits: limits)
            for connection in connections { model.add(connection) }
            XCTAssertEqual(statistics.services, model.services.mapValues { ServiceTraffic(counts: $0.counts, clients: ClientAddresses($0.clients)) })
            XCTAssertEqual(statistics.attempts, model.attempts.mapValues { ServiceAttempts(counts: $0.counts, clients: ClientAddresses($0.clients)) })
            XCTAssertEqual(statistics.serviceCount, model.services.count)
            XCTAssertEqual(statistics.attemptCount, model.attempts.count)
            XCTAssertEqual(statistics.clientAddressesRecorded, limits.maxClientAddresses - model.left)
            XCTAssertEqual(statistics.clientAddressesOverflowed, model.overflowed)
            XCTAssertEqual(statistics.unlisted, model.unlisted)
            XCTAssertEqual(statistics.connections, connections.count)
        }
    }

    /// Folding in batches (`add(contentsOf:)`, as the end of an audit does) is folding one
    /// by one: the same endpoints in the same numbering, counters, clients within the same
    /// budget, unlisted counts and unresolved connections, under caps that batches cross.
    func testBatchesFoldAsOneByOne() {
        var random = SplitMix64(seed: 29)
        for _ in 0..<30 {
            let limits = randomLimits(using: &random)
            let connections = randomConnections(Int.random(in: 0...3_000, using: &random), using: &random)
            var oneByOne = ServiceStatistics(limits: limits)
            for connection in connections { oneByOne.add(connection) }
            var batched = ServiceStatistics(limits: limits)
            var start = 0
            while start < connections.count {
                let end = min(connections.count, start + Int.random(in: 1...100, using: &random))
                batched.add(contentsOf: Array(connections[start..<end]))
                start = end
            }
            batched.add(contentsOf: [])
            XCTAssertEqual(batched.services, oneByOne.services)
            XCTAssertEqual(batched.attempts, oneByOne.attempts)
            XCTAssertEqual(batched.unresolved.map { "\($0.client) \($0.server) \($0.firstSeen)" },
                           oneByOne.unresolved.map { "\($0.client) \($0.server) \($0.firstSeen)" })
            XCTAssertEqual(batched.unresolvedNotListed, oneByOne.unresolvedNotListed)
            XCTAssertEqual(batched.clientAddressesRecorded, oneByOne.clientAddressesRecorded)
            XCTAssertEqual(batched.clientAddressesOverflowed, oneByOne.clientAddressesOverflowed)
            XCTAssertEqual(batched.unlisted, oneByOne.unlisted)
            XCTAssertEqual(batched.connections, oneByOne.connections)
            var mergedAfterBatches = ServiceStatistics(limits: limits), mergedAfterOne = ServiceStatistics(limits: limits)
            mergedAfterBatches.merge(batched)
            mergedAfterOne.merge(oneByOne)
            XCTAssertEqual(mergedAfterBatches.services, mergedAfterOne.services, "the endpoints are numbered alike")
        }
    }

    /// Caps and a client budget small enough for random connections to reach them.
    private func randomLimits(using random: inout SplitMix64) -> FlowLimits {
        FlowLimits(maxClientAddresses: Int.random(in: 1...3_000, using: &random),
                   maxUnresolved: 50, maxServices: Int.random(in: 1...400, using: &random),
                   maxAttempts: Int.random(in: 1...200, using: &random))
    }

    /// Connections to a few hundred endpoints from a few thousand clients: traffic,
    /// attempts and some unresolved, with protocols and TLS versions.
    private func randomConnections(_ count: Int, using random: inout SplitMix64) -> [Connection] {
        let states: [ConnectionState] = [.closed, .reset, .established, .midstream, .attempted, .refused]
        let evidence: [ProtocolEvidence] = [.none, ProtocolEvidence(.http), ProtocolEvidence(.tls, tlsVersion: .tls12),
                                            ProtocolEvidence(.tls, tlsVersion: .tls13)]
        return (0..<count).map { _ in
            connection(client: 0xC0A8_0000 | UInt32.random(in: 0..<2_000, using: &random),
                       server: 0x0A00_0000 | UInt32.random(in: 0..<8, using: &random),
                       port: UInt16.random(in: 7000..<7060, using: &random),
                       state: states.randomElement(using: &random)!,
                       basis: Int.random(in: 0..<50, using: &random) == 0 ? .unknown : .policy,
                       at: Int64.random(in: 0..<1_000_000, using: &random),
                       evidence: evidence.randomElement(using: &random)!)
        }
    }
}

/// The statistics as they were folded before the flat tables: a `Dictionary` of services
/// and of attempts, a `Set` of clients each, one budget over both.
private struct StatisticsModel {
    let limits: FlowLimits
    var services: [Endpoint: (counts: TrafficCounts, clients: Set<IPAddress>)] = [:]
    var attempts: [Endpoint: (counts: AttemptCounts, clients: Set<IPAddress>)] = [:]
    var unlisted = UnlistedEndpoints()
    var left: Int
    var overflowed = false

    init(limits: FlowLimits) {
        self.limits = limits
        left = limits.maxClientAddresses
    }

    mutating func add(_ connection: Connection) {
        if connection.directionBasis == .unknown { return }
        if connection.state.isTraffic {
            guard services.count < limits.maxServices || services[connection.server] != nil else {
                unlisted.addService(connection)
                return
            }
            var traffic = services[connection.server, default: (TrafficCounts(), [])]
            traffic.counts.add(connection)
            record(connection.client.address, in: &traffic.clients)
            services[connection.server] = traffic
        } else {
            guard attempts.count < limits.maxAttempts || attempts[connection.server] != nil else {
                unlisted.addAttempts(1)
                return
            }
            var tries = attempts[connection.server, default: (AttemptCounts(), [])]
            tries.counts.add(connection)
            record(connection.client.address, in: &tries.clients)
            attempts[connection.server] = tries
        }
    }

    private mutating func record(_ address: IPAddress, in clients: inout Set<IPAddress>) {
        if left > 0 {
            if clients.insert(address).inserted { left -= 1 }
        } else if !clients.contains(address) {
            overflowed = true
        }
    }
}
