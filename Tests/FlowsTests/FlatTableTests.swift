@testable import Flows
import TestSupport
import Wire
import XCTest

/// The flat open-addressing tables the per-service statistics are built on
/// (`FlatTable`, through `ClientAddressPairs` and `EndpointIndex`): collisions, growth, and
/// random operations checked against Swift's `Set` and `Dictionary`.
final class FlatTableTests: XCTestCase {
    private func fixedHash(_ seed: UInt64) -> SeededHash {
        var generator = SplitMix64(seed: seed)
        return SeededHash(using: &generator)
    }

    /// Addresses whose pair with `owner` has home slot `slot` in a table of `capacity` slots.
    private func colliding(count: Int, owner: UInt32, slot: Int, capacity: Int, hash: SeededHash) -> [IPAddress] {
        var found: [IPAddress] = []
        var value: UInt32 = 0
        while found.count < count {
            value += 1
            let address = IPAddress(ipv4: value)
            if Int(truncatingIfNeeded: hash(address, tag: UInt64(owner))) & (capacity - 1) == slot { found.append(address) }
        }
        return found
    }

    func testKeysSharingAHomeSlotAtTheEndWrapAroundAndStayFindable() {
        let hash = fixedHash(1)
        var pairs = ClientAddressPairs<NoClientTally>(hash: hash)
        // Twelve keys all aimed at the last of the first 16 slots: the chain wraps to slot 0.
        let addresses = colliding(count: 13, owner: 7, slot: 15, capacity: 16, hash: hash)
        for address in addresses.dropLast() { XCTAssertTrue(pairs.insert(address, owner: 7)) }
        XCTAssertEqual(pairs.count, 12)
        for address in addresses.dropLast() {
            XCTAssertTrue(pairs.contains(address, owner: 7))
            XCTAssertFalse(pairs.insert(address, owner: 7), "a repeat is not inserted twice")
            XCTAssertFalse(pairs.contains(address, owner: 8), "the owner is part of the key")
        }
        XCTAssertFalse(pairs.contains(addresses.last!, owner: 7), "an absent key on the same chain is not found")
        XCTAssertEqual(pairs.count, 12)
    }

    func testGrowthKeepsEveryEntryAndStaysAtMostThreeQuartersFull() {
        var table = FlatTable<ClientAddressPair<NoClientTally>>(hash: fixedHash(2))
        var capacities: Set<Int> = []
        for value in 0..<20_000 as Range<UInt32> {
            XCTAssertTrue(table.insertOrMerge(ClientAddressPair(address: IPAddress(ipv4: value), owner: value % 5, tally: NoClientTally())))
            XCTAssertLessThanOrEqual(table.count * 4, table.capacity * 3)
            capacities.insert(table.capacity)
        }
        XCTAssertEqual(table.count, 20_000)
        XCTAssertEqual(capacities.sorted(), (4...15).map { 1 << $0 }, "doubled from 16 slots, one step at a time")
        for value in 0..<20_000 as Range<UInt32> {
            XCTAssertTrue(table.find(.init(address: IPAddress(ipv4: value), owner: value % 5)).found)
            XCTAssertFalse(table.find(.init(address: IPAddress(ipv4: value), owner: 5)).found)
        }
    }

    func testClientAddressPairsBehaveAsASetOfPairs() {
        var random = SplitMix64(seed: 3)
        for round in 0..<20 {
            var pairs = ClientAddressPairs<NoClientTally>(hash: fixedHash(UInt64(round)))
            var oracle = Set<[UInt64]>()
            // Few owners and addresses, so that repeats are common; IPv6 ones too.
            let addressSpace = UInt64.random(in: 4...3_000, using: &random)
            for _ in 0..<5_000 {
                let owner = Int.random(in: 0..<6, using: &random)
                let low = UInt64.random(in: 0..<addressSpace, using: &random)
                let address = Bool.random(using: &random) ? IPAddress(high: 0x2001_0DB8 << 32, low: low) : IPAddress(ipv4: UInt32(low))
                let key = [UInt64(owner), address.high, address.low]
                if Bool.random(using: &random) {
                    XCTAssertEqual(pairs.insert(address, owner: owner), oracle.insert(key).inserted)
                } else {
                    XCTAssertEqual(pairs.contains(address, owner: owner), oracle.contains(key))
                }
            }
            XCTAssertEqual(pairs.count, oracle.count)
            var listed = Set<[UInt64]>()
            pairs.forEach { owner, address in XCTAssertTrue(listed.insert([UInt64(owner), address.high, address.low]).inserted) }
            XCTAssertEqual(listed, oracle, "forEach lists every pair once")
        }
    }

    func testEndpointIndexNumbersInOrderOfFirstSightAndStopsAtTheCap() {
        var index = EndpointIndex(hash: fixedHash(4))
        let endpoints = (0..<6).map { Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: UInt16(8000 + $0)) }
        XCTAssertEqual(endpoints.map { index.number(of: $0, addingBelow: 4) }, [0, 1, 2, 3, nil, nil])
        XCTAssertEqual(index.number(of: endpoints[2], addingBelow: 4), 2, "a listed endpoint is found past the cap")
        XCTAssertNil(index.number(of: endpoints[5]))
        XCTAssertEqual(index.endpoints, Array(endpoints.prefix(4)))
        XCTAssertEqual(index.count, 4)
    }

    func testEndpointIndexAgreesWithADictionary() {
        var random = SplitMix64(seed: 5)
        var index = EndpointIndex(hash: fixedHash(6))
        var oracle: [Endpoint: Int] = [:]
        for _ in 0..<30_000 {
            // The same address with many ports, and ports shared by many addresses.
            let endpoint = Endpoint(address: IPAddress(ipv4: 0x0A00_0000 | UInt32.random(in: 0..<64, using: &random)),
                                    port: UInt16.random(in: 0..<512, using: &random))
            let expected = oracle[endpoint] ?? (oracle.count < 20_000 ? oracle.count : nil)
            if let expected, oracle[endpoint] == nil { oracle[endpoint] = expected }
            XCTAssertEqual(index.number(of: endpoint, addingBelow: 20_000), expected)
        }
        XCTAssertEqual(index.count, oracle.count)
        for (endpoint, number) in oracle { XCTAssertEqual(index.endpoints[number], endpoint) }
    }
}
