@testable import Flows
import Wire
import XCTest

/// The connection table's 4-tuple hash spreads keys over the index whatever the seed, and
/// whatever a capture chooses: lookups of every key held probe a couple of slots on
/// average (`FlowStorage.probeStatistics`).
final class FlowStorageHashTests: XCTestCase {
    private func meanProbes(of keys: [ConnectionKey], seed: UInt64) -> Double {
        let storage = FlowStorage(seed: seed)
        for (index, key) in keys.enumerated() {
            let tag = storage.tag(key)
            XCTAssertLessThan(storage.find(key, tag: tag), 0, "every key is new")
            storage.append(ConnectionRecord(key: key, timestamp: Int64(index), vlan: nil), tag: tag)
        }
        return storage.probeStatistics().meanProbes
    }

    /// IPv6 4-tuples that differ only where an address's upper half and the ports were
    /// XORed together unseeded (each bit flipped in both): the hash this table once had
    /// gave all of them one value for any seed, a single probe chain a few thousand slots
    /// long.
    func testFourTuplesCraftedToCancelOutSpreadForAnySeed() {
        let keys = (0..<UInt64(4096)).map { change in
            let client = Endpoint(address: IPAddress(high: 0x2001_0DB8_0000_0000 ^ (change << 20), low: 1),
                                  port: UInt16(truncatingIfNeeded: 40_000 ^ (change << 4)))
            let server = Endpoint(address: IPAddress(high: 0x2001_0DB9_0000_0000, low: 1), port: 443)
            let key = ConnectionKey.of(source: client, destination: server).key
            XCTAssertEqual(key.a, client, "the client is the lower endpoint")
            return key
        }
        XCTAssertEqual(Set(keys).count, keys.count)
        for seed in [1, 2, 0x5EED, .max] as [UInt64] {
            XCTAssertLessThan(meanProbes(of: keys, seed: seed), 2, "seed \(seed)")
        }
    }

    /// Clients in sequence (10.0.0.0/8's hosts to one server, one client's ports in
    /// sequence, a /64's hosts) spread as well as random keys.
    func testStructuredFourTuplesSpreadForAnySeed() {
        let count: UInt32 = 1 << 14
        let server = Endpoint(address: IPAddress(ipv4: 0xC0A8_0001), port: 7443)
        let sequences: [(name: String, keys: [ConnectionKey])] = [
            ("10.0.0.0/8 in sequence", (0..<count).map {
                ConnectionKey.of(source: Endpoint(address: IPAddress(ipv4: 0x0A00_0000 + $0), port: 50_000), destination: server).key
            }),
            ("one client's ports in sequence", (0..<count).map {
                ConnectionKey.of(source: Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: UInt16(truncatingIfNeeded: 1024 + $0)),
                                 destination: server).key
            }),
            ("2001:db8::/64 in sequence", (0..<count).map {
                ConnectionKey.of(source: Endpoint(address: IPAddress(high: 0x2001_0DB8_0000_0000, low: UInt64($0)), port: 50_000),
                                 destination: Endpoint(address: IPAddress(high: 0x2001_0DB9_0000_0000, low: 1), port: 443)).key
            }),
        ]
        for seed in [1, 2, 0x5EED, .max] as [UInt64] {
            for (name, keys) in sequences {
                XCTAssertLessThan(meanProbes(of: keys, seed: seed), 2, "\(name), seed \(seed)")
            }
        }
    }
}
