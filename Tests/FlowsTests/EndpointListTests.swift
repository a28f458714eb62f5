@testable import Flows
import TestSupport
import Wire
import XCTest

/// `EndpointList`, the endpoint-ordered form the end stage reads services and attempts in:
/// its order, its lookup, and that taking the lists out of statistics gives exactly what the
/// dictionaries it replaced (`services`, `attempts`) gave.
final class EndpointListTests: XCTestCase {
    private func endpoint(_ ipv4: UInt32, _ port: UInt16) -> Endpoint {
        Endpoint(address: IPAddress(ipv4: ipv4), port: port)
    }

    func testADictionaryBecomesAListInEndpointOrderAndBack() {
        let dictionary: [Endpoint: Int] = [
            endpoint(0x0A00_0002, 80): 1, endpoint(0x0A00_0001, 443): 2, endpoint(0x0A00_0001, 80): 3,
            Endpoint(address: IPAddress("::1")!, port: 7): 4, Endpoint(address: IPAddress("fd00::1")!, port: 1): 5,
        ]
        let list = EndpointList(dictionary)
        XCTAssertEqual(list.endpoints, dictionary.keys.sorted())
        XCTAssertEqual(list.map(\.value), list.endpoints.map { dictionary[$0]! })
        XCTAssertEqual(list.dictionary, dictionary)
        for (endpoint, value) in dictionary { XCTAssertEqual(list[endpoint], value) }
        XCTAssertNil(list[endpoint(0x0A00_0001, 81)])
        XCTAssertNil(list[endpoint(0x0A00_0003, 80)])
        XCTAssertNil(EndpointList<Int>()[endpoint(0, 0)])
        XCTAssertTrue(EndpointList<Int>().isEmpty)
    }

    /// Random connections (IPv4 and IPv6 servers and clients, services and attempts): the
    /// lists taken out are the dictionaries' entries in endpoint order, values equal.
    func testTakenListsEqualTheDictionariesInEndpointOrder() {
        var random = SplitMix64(seed: 29)
        for round in 0..<40 {
            var statistics = ServiceStatistics()
            for _ in 0..<Int.random(in: 0...400, using: &random) {
                let server = Bool.random(using: &random)
                    ? endpoint(0x0A00_0000 | UInt32.random(in: 0...5, using: &random), UInt16.random(in: 1...40, using: &random))
                    : Endpoint(address: IPAddress(high: 0xFD00 << 48, low: UInt64.random(in: 0...3, using: &random)),
                               port: UInt16.random(in: 1...5, using: &random))
                let client = Endpoint(address: IPAddress(ipv4: UInt32.random(in: 0...30, using: &random)), port: 40000)
                let state: ConnectionState = [.closed, .established, .refused, .attempted, .midstream].randomElement(using: &random)!
                let time = Int64.random(in: 0...1000, using: &random)
                statistics.add(Connection(client: client, server: server, directionBasis: .handshake, state: state,
                                          packetsToServer: 2, packetsToClient: 1, bytesToServer: 100, bytesToClient: 60,
                                          payloadBytesToServer: 0, payloadBytesToClient: 0, firstSeen: time, lastSeen: time + 5))
            }
            let services = statistics.services, attempts = statistics.attempts
            let (serviceList, attemptList) = statistics.takeServicesAndAttempts()
            XCTAssertEqual(serviceList, EndpointList(services), "round \(round)")
            XCTAssertEqual(attemptList, EndpointList(attempts), "round \(round)")
            XCTAssertEqual(serviceList.dictionary, services, "round \(round)")
            XCTAssertTrue(statistics.services.isEmpty)
        }
    }
}
