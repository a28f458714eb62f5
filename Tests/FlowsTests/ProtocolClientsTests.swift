@testable import Flows
import Protocols
import Wire
import XCTest

/// The first clients of each protocol of each service with their own counts
/// (`ProtocolClientTable`), and what a service speaks with its port scanners' connections
/// taken out (`ServiceTraffic+Scanners`): folded, merged, bounded.
final class ProtocolClientsTests: XCTestCase {
    private let server = Endpoint(address: IPAddress(ipv4: 0x0A00_0002), port: 7713)

    private func connection(from client: UInt32, speaking name: ProtocolName, answered: Bool = false,
                            to server: Endpoint? = nil) -> Connection {
        Connection(client: Endpoint(address: IPAddress(ipv4: client), port: 40000), server: server ?? self.server,
                   directionBasis: .handshake, state: .closed,
                   packetsToServer: 4, packetsToClient: 3, bytesToServer: 300, bytesToClient: 200,
                   payloadBytesToServer: 40, payloadBytesToClient: answered ? 30 : 0, firstSeen: 1_000, lastSeen: 2_000,
                   evidence: ProtocolEvidence(name))
    }

    private func traffic(_ statistics: ServiceStatistics, of server: Endpoint? = nil) -> ServiceTraffic {
        var statistics = statistics
        return statistics.takeServicesAndAttempts().services[server ?? self.server]!
    }

    /// Each client's connections of each protocol add up in its own slot, in protocol then
    /// address order; `none` and `unknown` name nothing and are not recorded.
    func testRecordsEachClientsConnectionsPerProtocol() {
        let connections = [connection(from: 3, speaking: .tls), connection(from: 10, speaking: .http),
                           connection(from: 10, speaking: .http), connection(from: 3, speaking: .tls, answered: true),
                           connection(from: 10, speaking: .other), connection(from: 10, speaking: .none),
                           connection(from: 10, speaking: .unknown)]
        let clients = traffic(ServiceStatistics(connections)).protocolClients
        XCTAssertEqual(clients.map { "\($0.protocolName.name) \($0.address) \($0.connections) \($0.unansweredPlaintext)" },
                       ["http 0.0.0.10 2 2", "other 0.0.0.10 1 1", "tls 0.0.0.3 2 0"])
    }

    /// Only the first `connectionsRecorded` connections of a protocol at a service are
    /// looked up: a scanner's later probes of a protocol the service carries often stay
    /// counted (the findings keep them), while its probes of another protocol are recorded.
    func testOnlyAProtocolsFirstConnectionsAtAServiceAreRecorded() {
        let many = Int(ProtocolClientTable.connectionsRecorded)
        let connections = Array(repeating: connection(from: 3, speaking: .tls), count: many)
            + [connection(from: 10, speaking: .tls), connection(from: 10, speaking: .http)]
        var service = traffic(ServiceStatistics(connections))
        XCTAssertEqual(service.protocolClients.map { "\($0.protocolName.name) \($0.address) \($0.connections)" },
                       ["http 0.0.0.10 1", "tls 0.0.0.3 \(many)"])
        service.markScanners([IPAddress(ipv4: 10)])
        XCTAssertEqual(service.protocolCountsBesidesScanners.dictionary, [.tls: UInt64(many) + 1])
    }

    /// A service only scanners reached names its protocol from all their connections, the
    /// ones past `connectionsRecorded` too.
    func testAServiceOnlyScannersReachedSpeaksWhatAllTheirConnectionsSaid() {
        let recorded = Int(ProtocolClientTable.connectionsRecorded)
        let connections = Array(repeating: connection(from: 10, speaking: .http), count: recorded)
            + Array(repeating: connection(from: 10, speaking: .other), count: recorded + 4)
        var service = traffic(ServiceStatistics(connections))
        service.markScanners([IPAddress(ipv4: 10)])
        XCTAssertTrue(service.servedOnlyScanners)
        XCTAssertEqual(service.protocolBesidesScanners, .http,
                       "a recognized protocol names the port, not the 4 unrecorded connections of other")
    }

    /// A scanner's connections leave the counts the findings and the dominant protocol
    /// read; the counts themselves keep them.
    func testScannersConnectionsAreTakenOut() {
        let connections = [connection(from: 3, speaking: .tls), connection(from: 3, speaking: .http),
                           connection(from: 10, speaking: .http), connection(from: 10, speaking: .http),
                           connection(from: 10, speaking: .ldap)]
        var service = traffic(ServiceStatistics(connections))
        // Every plaintext connection went unanswered: the TLS one names the port.
        XCTAssertEqual(service.dominantProtocol, .tls)
        service.markScanners([IPAddress(ipv4: 10)])
        XCTAssertEqual(service.protocols, [.tls: 1, .http: 3, .ldap: 1], "every connection still counted")
        XCTAssertEqual(service.protocolCountsBesidesScanners.dictionary, [.tls: 1, .http: 1])
        XCTAssertEqual(service.scannerProtocolCounts.dictionary, [.http: 2, .ldap: 1])
        XCTAssertEqual(service.unansweredPlaintextBesidesScanners, 1)
        XCTAssertEqual(service.protocolBesidesScanners, .tls, "a tie with unanswered plaintext, not broken by name")
        XCTAssertEqual(service.scanners(speaking: [.ldap]), [IPAddress(ipv4: 10)])
    }

    /// A service only a scanner sent payload to: its probes are all there is to tell.
    func testAServiceOnlyAScannerSpokeToKeepsWhatTheScannerSaw() {
        var service = traffic(ServiceStatistics([connection(from: 10, speaking: .http), connection(from: 3, speaking: .none)]))
        service.markScanners([IPAddress(ipv4: 10)])
        XCTAssertEqual(service.protocolCountsBesidesScanners.dictionary, [.none: 1])
        XCTAssertEqual(service.protocolBesidesScanners, .http)
    }

    /// The bound: `perProtocol` clients a (service, protocol). A scanner that came after
    /// them is not recorded, and its connections stay counted as any client's.
    func testAScannerPastTheFirstClientsOfAProtocolStaysCounted() {
        let first = (1...UInt32(ProtocolClientTable.perProtocol)).map { connection(from: $0, speaking: .http) }
        var service = traffic(ServiceStatistics(first + [connection(from: 10, speaking: .http)]))
        XCTAssertEqual(service.protocolClients.count, ProtocolClientTable.perProtocol)
        service.markScanners([IPAddress(ipv4: 10)])
        XCTAssertFalse(service.spokeWithScanners)
        XCTAssertEqual(service.protocolCountsBesidesScanners[.http], UInt64(ProtocolClientTable.perProtocol + 1))
    }

    /// Statistics merged (as the parallel reader's are) record what folding them in one
    /// would, their service rows renumbered.
    func testMergedStatisticsRecordTheSameClients() {
        let other = Endpoint(address: IPAddress(ipv4: 0x0A00_0002), port: 7613)
        let connections = [connection(from: 3, speaking: .tls), connection(from: 10, speaking: .http, to: other),
                           connection(from: 10, speaking: .http), connection(from: 4, speaking: .thrift, to: other),
                           connection(from: 10, speaking: .http, to: other), connection(from: 3, speaking: .tls)]
        let whole = ServiceStatistics(connections)
        var merged = ServiceStatistics(connections[3...])
        merged.merge(ServiceStatistics(connections[..<3]))
        XCTAssertEqual(traffic(merged).protocolClients, traffic(whole).protocolClients)
        XCTAssertEqual(traffic(merged, of: other).protocolClients, traffic(whole, of: other).protocolClients)
        XCTAssertEqual(traffic(whole, of: other).protocolClients.map(\.connections), [2, 1])
    }
}
