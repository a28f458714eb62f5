@testable import Flows
import TestSupport
import Wire
import XCTest

/// `ClientAddresses` and `ClientAddressPairs.grouped` against `Set` and sorted arrays: the
/// elements, their order, `count`, `contains`, equality and the compact form, on random
/// addresses (IPv4, IPv6, IPv4-mapped neighbours, repeats) and on the edges.
final class ClientAddressesTests: XCTestCase {
    /// Addresses drawn from a small pool, so that repeats are common: IPv4 at both ends of
    /// the range, and IPv6 on both sides of the IPv4-mapped block (`::1` sorts before every
    /// IPv4 address, `::1:0:0:0` after).
    private func randomAddress(using random: inout SplitMix64, ipv6Share: Int) -> IPAddress {
        if Int.random(in: 0..<100, using: &random) < ipv6Share {
            let pool = [IPAddress(high: 0, low: 1), IPAddress(high: 0, low: 0x0001_0000_0000_0000),
                        IPAddress(high: 0, low: 0x0000_FFFE_FFFF_FFFF), IPAddress("2001:db8::1")!,
                        IPAddress("fd00::9")!, IPAddress(high: .max, low: .max)]
            return pool.randomElement(using: &random)!
        }
        let pool: [UInt32] = [0, 1, 0x0A00_0001, 0x0A00_0002, 0xC0A8_0001, 0x7F00_0001, .max - 1, .max]
        return IPAddress(ipv4: Bool.random(using: &random) ? pool.randomElement(using: &random)!
                         : UInt32.random(in: 0...UInt32.max, using: &random))
    }

    private func assertMatchesOracle(_ addresses: [IPAddress], file: StaticString = #filePath, line: UInt = #line) {
        let clients = ClientAddresses(addresses)
        let oracle = Set(addresses).sorted()
        XCTAssertEqual(Array(clients), oracle, "sorted and distinct", file: file, line: line)
        XCTAssertEqual(clients.count, oracle.count, file: file, line: line)
        XCTAssertEqual(clients, ClientAddresses(addresses.reversed()), "the order of the input does not matter",
                       file: file, line: line)
        XCTAssertEqual(clients, ClientAddresses(oracle), file: file, line: line)
        for index in oracle.indices { XCTAssertEqual(clients[index], oracle[index], file: file, line: line) }
        let probes = addresses + [IPAddress(ipv4: 0x0B00_0000), IPAddress("2001:db8::2")!, IPAddress(high: 0, low: 0)]
        for probe in probes {
            XCTAssertEqual(clients.contains(probe), oracle.contains(probe), "\(probe) in \(clients)", file: file, line: line)
        }
    }

    func testRandomAddressesWithRepeatsAgreeWithASetSorted() {
        var random = SplitMix64(seed: 17)
        for round in 0..<400 {
            let ipv6Share = [0, 5, 50, 100][round % 4]
            let addresses = (0..<Int.random(in: 0...60, using: &random)).map { _ in
                randomAddress(using: &random, ipv6Share: ipv6Share)
            }
            assertMatchesOracle(addresses)
        }
    }

    func testTheEdges() {
        assertMatchesOracle([])
        assertMatchesOracle([IPAddress(ipv4: 7)])
        assertMatchesOracle([IPAddress("::1")!])
        assertMatchesOracle([IPAddress(ipv4: 7), IPAddress(ipv4: 7), IPAddress(ipv4: 7)])
        XCTAssertEqual(ClientAddresses(), [])
        XCTAssertTrue(ClientAddresses().isEmpty)
        XCTAssertFalse(ClientAddresses().contains(IPAddress(ipv4: 0)))
        XCTAssertEqual([IPAddress(ipv4: 2), IPAddress(ipv4: 1)] as ClientAddresses, [IPAddress(ipv4: 1), IPAddress(ipv4: 2)])
        XCTAssertNotEqual([IPAddress(ipv4: 1)] as ClientAddresses, [IPAddress(ipv4: 1), IPAddress(ipv4: 2)])
        XCTAssertNotEqual([IPAddress(ipv4: 1)] as ClientAddresses, [IPAddress(high: 0, low: 1)], "0.0.0.1 is not ::1")
        XCTAssertEqual(([IPAddress(ipv4: 0x0A00_0001), IPAddress("fd00::9")!] as ClientAddresses).description,
                       "[10.0.0.1, fd00::9]")
    }

    /// Equality and `contains` do not depend on which form holds the addresses: an IPv4
    /// address written as an IPv4-mapped IPv6 one is the same address, and a set that had
    /// an IPv6 member is never equal to an all-IPv4 one.
    func testTheCompactFormIsChosenByTheContentsAlone() {
        let mapped = IPAddress("::ffff:10.0.0.1")!
        XCTAssertEqual([mapped] as ClientAddresses, [IPAddress(ipv4: 0x0A00_0001)])
        XCTAssertTrue(([IPAddress(ipv4: 0x0A00_0001)] as ClientAddresses).contains(mapped))
        let mixed: ClientAddresses = [IPAddress(ipv4: 0x0A00_0001), IPAddress("::1")!]
        XCTAssertEqual(Array(mixed), [IPAddress("::1")!, IPAddress(ipv4: 0x0A00_0001)], "::1 sorts before IPv4")
        XCTAssertTrue(mixed.contains(IPAddress(ipv4: 0x0A00_0001)))
        XCTAssertFalse(([IPAddress(ipv4: 1)] as ClientAddresses).contains(IPAddress("::1")!),
                       "an IPv6 address is never among IPv4-only clients")
    }

    /// Random (endpoint, address) pairs, IPv4 and IPv6, grouped per endpoint: each endpoint's
    /// clients are its set's, sorted; endpoints with no pair have none; slices of the shared
    /// buffers compare by contents.
    func testGroupingPairsEqualsOneSetPerEndpoint() {
        var random = SplitMix64(seed: 18)
        for round in 0..<60 {
            let owners = Int.random(in: 0...40, using: &random)
            var pairs = ClientAddressPairs<NoClientTally>()
            var oracle = [Set<IPAddress>](repeating: [], count: owners)
            if owners > 0 {
                for _ in 0..<Int.random(in: 0...2_000, using: &random) {
                    let owner = Int.random(in: 0..<owners, using: &random)
                    let address = randomAddress(using: &random, ipv6Share: round % 3 == 0 ? 0 : 3)
                    XCTAssertEqual(pairs.insert(address, owner: owner), oracle[owner].insert(address).inserted)
                }
            }
            let grouped = pairs.grouped(owners: owners)
            XCTAssertEqual(grouped.count, owners)
            // Laid out in another order, the same clients per endpoint.
            XCTAssertEqual(pairs.grouped(owners: owners, layout: (0..<owners).shuffled(using: &random)), grouped)
            // Sorted on two threads, half the endpoints each: the same.
            XCTAssertEqual(pairs.grouped(owners: owners, inParallel: true), grouped)
            for owner in 0..<owners {
                XCTAssertEqual(Array(grouped[owner]), oracle[owner].sorted(), "endpoint \(owner)")
                XCTAssertEqual(grouped[owner], ClientAddresses(oracle[owner]), "endpoint \(owner)")
            }
        }
    }

    /// A service's clients taken out of the statistics, IPv4 and IPv6 mixed: sorted, and the
    /// statistics list no endpoint afterwards but keep their counts.
    func testTakingTheServicesOutLeavesTheCounts() {
        var statistics = ServiceStatistics()
        let server = Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 7711)
        let clients = [IPAddress("fd00::9")!, IPAddress(ipv4: 0xC0A8_0002), IPAddress(ipv4: 0xC0A8_0001), IPAddress("::1")!]
        for client in clients + clients {
            statistics.add(Connection(client: Endpoint(address: client, port: 40000), server: server,
                                      directionBasis: .handshake, state: .closed,
                                      packetsToServer: 3, packetsToClient: 3, bytesToServer: 300, bytesToClient: 300,
                                      payloadBytesToServer: 0, payloadBytesToClient: 0, firstSeen: 1, lastSeen: 2))
        }
        XCTAssertEqual(Array(statistics.services[server]!.clients), clients.sorted())
        let (services, attempts) = statistics.takeServicesAndAttempts()
        XCTAssertEqual(Array(services[server]!.clients), clients.sorted())
        XCTAssertEqual(services[server]?.connections, 8)
        XCTAssertTrue(attempts.isEmpty)
        XCTAssertTrue(statistics.services.isEmpty)
        XCTAssertEqual(statistics.connections, 8)
        XCTAssertEqual(statistics.clientAddressesRecorded, 4)
    }

    /// `forEach` walks the addresses in order, in both forms.
    func testForEachWalksTheAddressesInOrder() {
        for addresses in [[IPAddress(ipv4: 3), IPAddress(ipv4: 1)], [IPAddress("fd00::9")!, IPAddress(ipv4: 2)], []] {
            let clients = ClientAddresses(addresses)
            var walked: [IPAddress] = []
            clients.forEach { walked.append($0) }
            XCTAssertEqual(walked, addresses.sorted())
            XCTAssertEqual(walked, Array(clients))
        }
    }

    /// The runs `grouped` sorts (by insertion up to 32, by quicksort past it) come out as
    /// the standard sort leaves them, at every length around the switch and well past it,
    /// with many repeats, sorted and reversed input.
    func testSortingARunEqualsTheStandardSort() {
        var random = SplitMix64(seed: 37)
        for count in Array(0...140) + [1000, 5000] {
            for shape in 0..<4 {
                var values = (0..<count).map { _ in UInt32.random(in: 0...(shape == 0 ? 5 : 5000), using: &random) }
                if shape == 2 { values.sort() }
                if shape == 3 { values.sort(by: >) }
                let expected = values.sorted()
                values.withUnsafeMutableBufferPointer { ClientAddressPairs<NoClientTally>.sort($0) }
                XCTAssertEqual(values, expected, "\(count) values, shape \(shape)")
            }
        }
        // With the partitions used up at once or midway, the standard sort finishes the run.
        for partitionsLeft in [0, 1, 3] {
            var values = (0..<2000).map { _ in UInt32.random(in: 0...3000, using: &random) }
            let expected = values.sorted()
            values.withUnsafeMutableBufferPointer { ClientAddressPairs<NoClientTally>.sort($0, partitionsLeft: partitionsLeft) }
            XCTAssertEqual(values, expected, "\(partitionsLeft) partitions")
        }
        var addresses = (0..<300).map { _ in IPAddress(high: UInt64.random(in: 0...3, using: &random), low: UInt64.random(in: 0...9, using: &random)) }
        let expected = addresses.sorted()
        addresses.withUnsafeMutableBufferPointer { ClientAddressPairs<NoClientTally>.sort($0) }
        XCTAssertEqual(addresses, expected)
    }
}
