@testable import Flows
import Wire
import XCTest

/// Each client's own failed connects to an attempted endpoint (`ClientAttemptTally`), kept
/// beside the endpoint's counts of every client's: folded, merged, and bounded as the
/// client addresses are.
final class ClientAttemptTallyTests: XCTestCase {
    private let host = IPAddress(ipv4: 0x0A00_0001)

    private func failed(client: UInt32, port: UInt16, refused: Bool, at time: Int64 = 1_000) -> Connection {
        Connection(client: Endpoint(address: IPAddress(ipv4: client), port: 40000), server: Endpoint(address: host, port: port),
                   directionBasis: .handshake, state: refused ? .refused : .attempted,
                   packetsToServer: 1, packetsToClient: refused ? 1 : 0, bytesToServer: 60, bytesToClient: refused ? 54 : 0,
                   payloadBytesToServer: 0, payloadBytesToClient: 0, firstSeen: time, lastSeen: time + 1, evidence: .none)
    }

    /// The tallies of `statistics`' attempts by (port, client), and the attempts' counts.
    private func tallies(_ statistics: ServiceStatistics, ports: [UInt16], clients: [UInt32])
        -> (tallies: [String: ClientAttemptTally], refused: [UInt64], unanswered: [UInt64]) {
        var statistics = statistics
        let (_, attempts, tallies) = statistics.takeServicesAndAttempts(inParallel: false, keepingAttemptTallies: true)
        var found: [String: ClientAttemptTally] = [:]
        for port in ports {
            let place = attempts.endpoints.firstIndex(of: Endpoint(address: host, port: port))!
            for client in clients {
                if let tally = tallies.tally(at: place, client: IPAddress(ipv4: client)) { found["\(port) \(client)"] = tally }
            }
        }
        return (found, attempts.values.map(\.refused), attempts.values.map(\.unanswered))
    }

    func testEachClientsFailedConnectsAreTalliedApartFromTheEndpointsCounts() {
        let statistics = ServiceStatistics([
            failed(client: 1, port: 81, refused: true), failed(client: 1, port: 81, refused: true),
            failed(client: 2, port: 81, refused: true), failed(client: 2, port: 81, refused: false),
            failed(client: 2, port: 82, refused: false),
        ])
        let read = tallies(statistics, ports: [81, 82], clients: [1, 2, 3])
        XCTAssertEqual(read.refused, [3, 0], "the endpoints count every client's")
        XCTAssertEqual(read.unanswered, [1, 1])
        XCTAssertEqual(read.tallies, [
            "81 1": ClientAttemptTally(refused: 2, unanswered: 0),
            "81 2": ClientAttemptTally(refused: 1, unanswered: 1),
            "82 2": ClientAttemptTally(refused: 0, unanswered: 1),
        ], "each client its own; none for a client that did not try the endpoint")
    }

    func testMergedStatisticsTallyAsOneFoldDoes() {
        var random = SystemRandomNumberGenerator()
        let connections = (0..<2_000).map { _ in
            failed(client: UInt32.random(in: 1...20, using: &random), port: UInt16.random(in: 80...90, using: &random),
                   refused: Bool.random(using: &random))
        }
        let whole = ServiceStatistics(connections)
        let cut = Int.random(in: 0...connections.count, using: &random)
        var merged = ServiceStatistics(connections[..<cut])
        merged.merge(ServiceStatistics(connections[cut...]))
        let ports = Array(UInt16(80)...90), clients = Array(UInt32(1)...20)
        let expected = tallies(whole, ports: ports, clients: clients)
        XCTAssertEqual(tallies(merged, ports: ports, clients: clients).tallies, expected.tallies)
        XCTAssertEqual(expected.tallies.values.reduce(0) { $0 + Int($1.refused) + Int($1.unanswered) }, connections.count)
    }

    /// A recorded pair's tally grows while the budget has room or the pair is found without
    /// it; once a new pair is refused, nothing more is looked up and the tallies are lower
    /// bounds, as the client counts are.
    func testPastTheClientBudgetTalliesAreLowerBounds() {
        var statistics = ServiceStatistics(limits: FlowLimits(maxClientAddresses: 1))
        statistics.add(failed(client: 1, port: 81, refused: true))
        statistics.add(failed(client: 1, port: 81, refused: true))
        XCTAssertFalse(statistics.clientAddressesOverflowed)
        statistics.add(failed(client: 2, port: 81, refused: true))
        XCTAssertTrue(statistics.clientAddressesOverflowed)
        statistics.add(failed(client: 1, port: 81, refused: false))
        let read = tallies(statistics, ports: [81], clients: [1, 2])
        XCTAssertEqual(read.tallies, ["81 1": ClientAttemptTally(refused: 2, unanswered: 0)])
        XCTAssertEqual([read.refused, read.unanswered], [[3], [1]], "the endpoint's own counts are exact")
    }

    /// The services' pairs stay a word each; the attempts' carry their tally in a second.
    func testAPairTakesEightBytesAndItsTally() {
        XCTAssertEqual(MemoryLayout<IPv4ClientPair<NoClientTally>>.stride, 8)
        XCTAssertEqual(MemoryLayout<IPv4ClientPair<ClientAttemptTally>>.stride, 16)
    }

    func testTalliesStopAtTheirBound() {
        var tally = ClientAttemptTally(refused: .max - 1, unanswered: 3)
        tally.merge(ClientAttemptTally(refused: 5, unanswered: 4))
        XCTAssertEqual(tally, ClientAttemptTally(refused: .max, unanswered: 7))
    }
}
