import Flows
import Wire
import XCTest

/// The caps on listed endpoints: past `maxServices` service endpoints and `maxAttempts`
/// attempted endpoints, connections are counted (`unlisted`) but not listed, so a scan of
/// a million endpoints costs the memory of the cap, not of the scan.
final class EndpointCapTests: XCTestCase {
    private let limits = FlowLimits(maxServices: 4, maxAttempts: 3)

    private func connection(to server: UInt32, port: UInt16, state: ConnectionState, at time: Int64 = 1_000) -> Connection {
        let traffic = state.isTraffic
        return Connection(client: Endpoint(address: IPAddress(ipv4: 0x0A09_0001), port: 40000),
                          server: Endpoint(address: IPAddress(ipv4: server), port: port),
                          directionBasis: .handshake, state: state,
                          packetsToServer: traffic ? 4 : 1, packetsToClient: traffic ? 3 : 0,
                          bytesToServer: traffic ? 400 : 66, bytesToClient: traffic ? 300 : 0,
                          payloadBytesToServer: 0, payloadBytesToClient: 0, firstSeen: time, lastSeen: time + 10)
    }

    /// Ten service endpoints and eight attempted ones under caps of four and three.
    private func scanned() -> [Connection] {
        (0..<10).map { connection(to: 0x0A00_0001, port: UInt16(20000 + $0), state: .closed, at: Int64($0)) }
            + (0..<8).map { connection(to: 0x0A00_0002, port: UInt16(30000 + $0), state: .attempted, at: Int64(100 + $0)) }
    }

    func testEndpointsPastTheCapsAreCountedNotListed() {
        let statistics = ServiceStatistics(scanned(), limits: limits)
        XCTAssertEqual(statistics.services.count, 4)
        XCTAssertEqual(Set(statistics.services.keys.map(\.port)), [20000, 20001, 20002, 20003], "the first endpoints seen are listed")
        XCTAssertEqual(statistics.attempts.count, 3)
        XCTAssertEqual(statistics.unlisted.serviceConnections, 6)
        XCTAssertEqual(statistics.unlisted.servicePackets, 6 * 7)
        XCTAssertEqual(statistics.unlisted.serviceBytes, 6 * 700)
        XCTAssertEqual(statistics.unlisted.attemptConnections, 5)
        XCTAssertEqual(statistics.connections, 18, "every connection is still counted")
    }

    func testAListedEndpointKeepsCountingAfterTheCapIsReached() {
        var statistics = ServiceStatistics(scanned(), limits: limits)
        statistics.add(connection(to: 0x0A00_0001, port: 20002, state: .reset))
        statistics.add(connection(to: 0x0A00_0002, port: 30001, state: .refused))
        XCTAssertEqual(statistics.services[Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 20002)]?.connections, 2)
        XCTAssertEqual(statistics.attempts[Endpoint(address: IPAddress(ipv4: 0x0A00_0002), port: 30001)]?.refused, 1)
        XCTAssertEqual(statistics.unlisted.serviceConnections, 6)
        XCTAssertEqual(statistics.unlisted.attemptConnections, 5)
    }

    func testMergingKeepsTheCapsAndAddsWhatEachLeftOut() {
        let all = scanned()
        var first = ServiceStatistics(all.filter { $0.server.port % 2 == 0 }, limits: limits)
        let second = ServiceStatistics(all.filter { $0.server.port % 2 == 1 }, limits: limits)
        XCTAssertEqual(first.unlisted.serviceConnections + second.unlisted.serviceConnections, 2)
        first.merge(second)
        XCTAssertEqual(first.services.count, 4)
        XCTAssertEqual(first.attempts.count, 3)
        XCTAssertEqual(first.unlisted.serviceConnections, 6)
        XCTAssertEqual(first.unlisted.servicePackets, 6 * 7)
        XCTAssertEqual(first.unlisted.attemptConnections, 5)
        XCTAssertEqual(first.connections, 18)
        let listed = first.services.values.reduce(0) { $0 + $1.connections }
        XCTAssertEqual(listed + first.unlisted.serviceConnections, 10)
    }

    /// A flow table folds evicted connections into capped statistics too: a scan through
    /// the table leaves lists no longer than the caps.
    func testAFlowTableScannedPastTheCapsListsOnlyTheCaps() {
        let rules = DirectionRules(expectedServerPorts: [])
        var table = FlowTable(rules: rules, limits: FlowLimits(maxConnections: 16, maxServices: 5, maxAttempts: 5))
        let scanner = IPAddress(ipv4: 0x0A09_0009), target = IPAddress(ipv4: 0x0A00_0003)
        var time: Int64 = 1_700_000_000 * FlowLimits.second
        for port in UInt16(1)...2000 {
            time += 1_000_000
            table.add(TCPSegment(source: scanner, destination: target, sourcePort: 50000, destinationPort: port, flags: [.syn]),
                      timestamp: time, wireLength: 60)
            if port % 2 == 0 {  // every other port answers and serves one exchange
                table.add(TCPSegment(source: target, destination: scanner, sourcePort: port, destinationPort: 50000, flags: [.syn, .ack]),
                          timestamp: time + 10, wireLength: 60)
                table.add(TCPSegment(source: scanner, destination: target, sourcePort: 50000, destinationPort: port, flags: [.ack]),
                          timestamp: time + 20, wireLength: 60)
            }
        }
        let statistics = table.statistics()
        XCTAssertEqual(statistics.services.count, 5)
        XCTAssertEqual(statistics.attempts.count, 5)
        XCTAssertEqual(statistics.connections, 2000)
        XCTAssertEqual(UInt64(statistics.services.count) + statistics.unlisted.serviceConnections, 1000)
        XCTAssertEqual(UInt64(statistics.attempts.count) + statistics.unlisted.attemptConnections, 1000)
    }
}
