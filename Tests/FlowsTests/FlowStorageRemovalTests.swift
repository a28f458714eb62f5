@testable import Flows
import TestSupport
import Wire
import XCTest

final class FlowStorageRemovalTests: XCTestCase {
    /// Removing many records at once (index rebuilt) or a few (index updated per record)
    /// hands them over in the order, and leaves the others where, `remove(at:)` from the
    /// last position down does; every survivor is still found, every removed key is gone.
    func testBulkRemovalMatchesRemovingOneByOne() {
        for share in [1, 3, 50] {  // percent of records removed: per-record and bulk paths
            var random = SplitMix64(seed: UInt64(share))
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
            let (bulkOrder, singleOrder) = removeBoth(bulk, single, where: isDone)
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
        var random = SplitMix64(seed: 11)
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

/// Removes the records `isDone` picks from `bulk` with `removeAll` and from `single` one by
/// one from the last position down; the keys each handed over, in order.
private func removeBoth(_ bulk: FlowStorage, _ single: FlowStorage,
                        where isDone: (ConnectionRecord) -> Bool) -> (bulk: [ConnectionKey], single: [ConnectionKey]) {
    var bulkOrder: [ConnectionKey] = [], singleOrder: [ConnectionKey] = []
    bulk.removeAll(lastSeenAtMost: .max, where: isDone) { record, _ in bulkOrder.append(record.pointee.key) }
    var position = single.count - 1
    while position >= 0 {
        if isDone(single.records[position]) { singleOrder.append(single.remove(at: position).record.key) }
        position -= 1
    }
    return (bulkOrder, singleOrder)
}

final class FlowStorageReindexTests: XCTestCase {
    /// A bulk removal re-points the index in one pass over its slots
    /// (`FlowStorage.reindex`): afterwards the index must hold exactly one entry per record,
    /// each with its record's tag and position, reachable from its home slot through
    /// occupied slots only; and this on indexes half full, whose probe runs wrap around the
    /// end of the slot array, with keys sharing home slots.
    func testTheIndexStaysValidAfterBulkRemovals() {
        var wrapped = 0
        for seed in 0..<200 {
            var random = SplitMix64(seed: UInt64(seed) &* 7919 &+ 1)
            let storage = FlowStorage(seed: UInt64(seed))
            let records = 40 + Int(random.next() % 24)  // up to 63: the 128-slot index at half full
            var keys: [ConnectionKey] = []
            for index in 0..<records {
                let k = key(0x0A00_0000 | UInt32(random.next() % 64), UInt16(index), 0x0B00_0000, 443)
                storage.append(ConnectionRecord(key: k, timestamp: Int64(random.next() % 100), vlan: nil), tag: storage.tag(k))
                keys.append(k)
            }
            let mask = storage.slotMask
            if storage.slots[mask] != 0 && storage.slots[0] != 0 { wrapped += 1 }
            let bound = Int64(random.next() % 100)
            var removed: Set<ConnectionKey> = []
            storage.removeAll(lastSeenAtMost: .max, where: { $0.lastSeen < bound }) { record, _ in removed.insert(record.pointee.key) }
            XCTAssertEqual(storage.count + removed.count, records)
            var entries = 0
            for index in 0...mask where storage.slots[index] != 0 {
                entries += 1
                let slot = storage.slots[index]
                let position = Int(slot & 0xFFFF_FFFF) - 1
                XCTAssert(position >= 0 && position < storage.count, "seed \(seed): slot \(index) names \(position)")
                guard position >= 0 && position < storage.count else { continue }
                let tag = UInt32(slot >> 32)
                XCTAssertEqual(tag, storage.tag(storage.records[position].key), "seed \(seed)")
                var probe = storage.home(tag)
                while probe != index {
                    XCTAssertNotEqual(storage.slots[probe], 0, "seed \(seed): a hole between slot \(index) and its home")
                    probe = (probe + 1) & mask
                }
            }
            XCTAssertEqual(entries, storage.count, "seed \(seed)")
            for k in keys {
                let position = storage.find(k, tag: storage.tag(k))
                XCTAssertEqual(position < 0, removed.contains(k), "seed \(seed)")
                if position >= 0 { XCTAssertEqual(storage.records[position].key, k) }
            }
        }
        XCTAssertGreaterThan(wrapped, 10, "no index had a probe run wrapping around its end")
    }

    /// One table through rounds of growth and bulk removals, larger and smaller than the
    /// one before (the removal's bookkeeping is kept from one to the next): each round
    /// hands over exactly the records done, in the order one-by-one removal gives, and
    /// every survivor is still found.
    func testBulkRemovalsOneAfterAnotherOnOneTable() {
        var random = SplitMix64(seed: 11)
        let bulk = FlowStorage(seed: 9), single = FlowStorage(seed: 9)
        var serial: UInt32 = 0
        for round in 0..<12 {
            for _ in 0..<(round % 3 == 0 ? 5000 : 700) {
                serial += 1
                let k = key(0x0A00_0000 | serial, UInt16(random.next() % 60000), 0x0B00_0000, 443)
                let time = Int64(round * 100) + Int64(random.next() % 100)
                for storage in [bulk, single] {
                    storage.append(ConnectionRecord(key: k, timestamp: time, vlan: nil), tag: storage.tag(k))
                }
            }
            let bound = Int64(round * 100 + 20) + Int64(random.next() % 60)
            let before = bulk.count
            let isDone: (ConnectionRecord) -> Bool = { $0.lastSeen < bound }
            let (bulkOrder, singleOrder) = removeBoth(bulk, single, where: isDone)
            XCTAssertEqual(bulkOrder, singleOrder, "round \(round)")
            XCTAssertGreaterThanOrEqual(bulkOrder.count * 8, before, "round \(round) took the per-record path")
            for position in 0..<bulk.count {
                let k = bulk.records[position].key
                XCTAssertEqual(bulk.find(k, tag: bulk.tag(k)), position, "round \(round)")
            }
            for k in bulkOrder { XCTAssertLessThan(bulk.find(k, tag: bulk.tag(k)), 0, "round \(round)") }
        }
    }
}
