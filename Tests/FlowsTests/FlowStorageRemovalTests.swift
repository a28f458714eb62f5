@testable import Flows
import Wire
import XCTest

final class FlowStorageRemovalTests: XCTestCase {
    /// Removing many records at once (index rebuilt) or a few (index updated per record)
    /// hands them over in the order, and leaves the others where, `remove(at:)` from the
    /// last position down does; every survivor is still found, every removed key is gone.
    func testBulkRemovalMatchesRemovingOneByOne() {
        for share in [1, 3, 50] {  // percent of records removed: per-record and bulk paths
            var random = SplitMix(state: UInt64(share))
            let bulk = FlowStorage(seed: 5), single = FlowStorage(seed: 5)
            var keys: [ConnectionKey] = []
            for index in 0..<3000 {
                let k = key(0x0A00_0000 | UInt32(index), UInt16(random.next() % 60000), 0x0B00_0000, 443)
                let time = Int64(random.next() % 100)
                for storage in [bulk, single] {
                    storage.append(ConnectionRecord(key: k, timestamp: time, vlan: nil), tag: storage.tag(k))
                }
                keys.append(k)
            }
            let isDone: (ConnectionRecord) -> Bool = { $0.lastSeen < Int64(share) }
            var bulkOrder: [ConnectionKey] = [], singleOrder: [ConnectionKey] = []
            bulk.removeAll(lastSeenAtMost: .max, where: isDone) { bulkOrder.append($0.record.key) }
            var position = single.count - 1
            while position >= 0 {
                if isDone(single.records[position]) { singleOrder.append(single.remove(at: position).record.key) }
                position -= 1
            }
            XCTAssertEqual(bulkOrder, singleOrder, "share \(share)")
            XCTAssertFalse(bulkOrder.isEmpty)
            XCTAssertEqual((0..<bulk.count).map { bulk.records[$0].key }, (0..<single.count).map { single.records[$0].key })
            let removed = Set(bulkOrder)
            for k in keys {
                let position = bulk.find(k, tag: bulk.tag(k))
                XCTAssertEqual(position < 0, removed.contains(k))
                if position >= 0 { XCTAssertEqual(bulk.records[position].key, k) }
            }
        }
    }

    /// The side array of last-seen times that sweeps read stays equal to the records
    /// through packets, port reuse, removals, sweeps, the cap's evictions and growth.
    func testLastSeenTimesFollowTheRecords() {
        var random = SplitMix(state: 11)
        let server = Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 443)
        var table = FlowTable(rules: DirectionRules(expectedServerPorts: [443]), limits: FlowLimits(maxConnections: 64))
        for step in 0..<20_000 {
            let client = Endpoint(address: IPAddress(ipv4: 0x0A01_0000 | UInt32(random.next() % 300)), port: 40_000)
            let flags: TCPFlags = [[.syn], [.ack], [.fin, .ack], [.rst]][Int(random.next() % 4)]
            let toServer = random.next() % 2 == 0
            let segment = TCPSegment(source: toServer ? client.address : server.address,
                                     destination: toServer ? server.address : client.address,
                                     sourcePort: toServer ? client.port : server.port,
                                     destinationPort: toServer ? server.port : client.port, flags: flags, payloadLength: 0)
            table.add(segment, timestamp: Int64(step) * 50_000_000 - Int64(random.next() % 3) * 1_000_000_000,
                      wireLength: 60)
            if step % 101 == 0 {
                for position in 0..<table.storage.count {
                    XCTAssertEqual(table.storage.lastSeenTimes[position], table.storage.records[position].lastSeen)
                }
            }
        }
        XCTAssertGreaterThan(table.evictedCount, 1_000)
    }
}
