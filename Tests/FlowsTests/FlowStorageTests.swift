@testable import Flows
import TestSupport
import Wire
import XCTest

func key(_ a: UInt32, _ portA: UInt16, _ b: UInt32, _ portB: UInt16) -> ConnectionKey {
    ConnectionKey.of(source: Endpoint(address: IPAddress(ipv4: a), port: portA),
                     destination: Endpoint(address: IPAddress(ipv4: b), port: portB)).key
}

final class FlowStorageTests: XCTestCase {
    /// Inserts and removes thousands of keys at random into a small index (so runs of
    /// occupied slots are long and wrap around the end) and checks every lookup against a
    /// Dictionary after each step.
    func testLookupsMatchADictionaryThroughInsertsRemovalsAndGrowth() {
        var random = SplitMix64(seed: 7)
        let storage = FlowStorage(seed: 42, recordCapacity: 4, slotBits: 3)
        var reference: [ConnectionKey: Int64] = [:]
        var keys: [ConnectionKey] = []
        for step in 0..<20_000 {
            if keys.isEmpty || random.next() % 3 != 0 {
                // Few distinct addresses and ports: many keys differ in one field only.
                let k = key(0x0A00_0000 | UInt32(random.next() % 8), UInt16(random.next() % 64),
                            0x0A00_0100 | UInt32(random.next() % 4), UInt16(7000 + random.next() % 4))
                let tag = storage.tag(k)
                if storage.find(k, tag: tag) >= 0 { continue }
                let record = ConnectionRecord(key: k, timestamp: Int64(step), vlan: nil)
                _ = storage.append(record, tag: tag)
                reference[k] = Int64(step)
                keys.append(k)
            } else {
                let index = Int(random.next() % UInt64(keys.count))
                let k = keys.remove(at: index)
                let position = storage.find(k, tag: storage.tag(k))
                XCTAssertGreaterThanOrEqual(position, 0)
                storage.remove(at: position)
                reference[k] = nil
            }
            if step % 97 == 0 || step > 19_900 {
                XCTAssertEqual(storage.count, reference.count)
                for (k, firstSeen) in reference {
                    let position = storage.find(k, tag: storage.tag(k))
                    XCTAssertGreaterThanOrEqual(position, 0, "lost \(k) at step \(step)")
                    if position >= 0 { XCTAssertEqual(storage.records[position].firstSeen, firstSeen) }
                }
            }
        }
        XCTAssertLessThanOrEqual(storage.count * 2, 1 << storage.slotBits, "grows at half full")
    }

    /// Keys whose tags collide completely still resolve by comparing the keys.
    func testKeysWithTheSameTagAreTellApart() {
        let storage = FlowStorage(seed: 1, recordCapacity: 4, slotBits: 4)
        let keys = (0..<6).map { key(0x7F00_0001, UInt16(40000 + $0), 0x7F00_0002, 7079) }
        for (index, k) in keys.enumerated() {
            // The same tag for every key: one long probe run from one home slot.
            _ = storage.append(ConnectionRecord(key: k, timestamp: Int64(index), vlan: nil), tag: 0xDEAD_BEEF)
        }
        for (index, k) in keys.enumerated() {
            let position = storage.find(k, tag: 0xDEAD_BEEF)
            XCTAssertEqual(storage.records[position].firstSeen, Int64(index))
        }
        XCTAssertEqual(storage.find(key(0x7F00_0001, 1, 0x7F00_0002, 7079), tag: 0xDEAD_BEEF), -1)
    }

    func testTheSameKeyComparesEqualAndAnyDifferentFieldDoesNot() {
        let k = key(0x0A00_0001, 40000, 0x0A00_0002, 7079)
        XCTAssertTrue(FlowStorage.same(k, key(0x0A00_0002, 7079, 0x0A00_0001, 40000)))
        XCTAssertFalse(FlowStorage.same(k, key(0x0A00_0001, 40001, 0x0A00_0002, 7079)))
        XCTAssertFalse(FlowStorage.same(k, key(0x0A00_0001, 40000, 0x0A00_0003, 7079)))
        XCTAssertFalse(FlowStorage.same(k, key(0x0A00_0001, 40000, 0x0A00_0002, 7078)))
    }

    /// A copy of a table is independent of the original (copy on write).
    func testACopiedTableIsIndependent() {
        var (table, segment) = tableWithOneSYN()
        let copy = table
        table.add(segment, timestamp: 2, wireLength: 60)
        XCTAssertEqual(copy.finish(rules: DirectionRules(expectedServerPorts: [])).first?.packets, 1)
        XCTAssertEqual(table.finish(rules: DirectionRules(expectedServerPorts: [])).first?.packets, 2)
    }

    /// The batch path copies a shared storage once per batch, before its first segment:
    /// the copy taken before the batch keeps what it had.
    func testACopiedTableIsIndependentOfABatchAddedToTheOriginal() {
        var (table, segment) = tableWithOneSYN()
        let copy = table
        let batch = [TimedSegment(segment: segment, timestamp: 2, wireLength: 60),
                     TimedSegment(segment: segment, timestamp: 3, wireLength: 60)]
        let samples = [PayloadSample(), PayloadSample()]
        batch.withUnsafeBufferPointer { entries in
            samples.withUnsafeBufferPointer { table.add(entries, samples: $0.baseAddress!) }
        }
        let rules = DirectionRules(expectedServerPorts: [])
        XCTAssertEqual(copy.finish(rules: rules).first?.packets, 1)
        XCTAssertEqual(table.finish(rules: rules).first?.packets, 3)
    }

    /// A table holding one SYN (at time 1), and that SYN.
    private func tableWithOneSYN() -> (FlowTable, TCPSegment) {
        var table = FlowTable()
        let segment = TCPSegment(source: IPAddress(ipv4: 0x0A00_0001), destination: IPAddress(ipv4: 0x0A00_0002),
                                 sourcePort: 40000, destinationPort: 7079, flags: [.syn])
        table.add(segment, timestamp: 1, wireLength: 60)
        return (table, segment)
    }

    /// 100,000 distinct connections all land in their own records.
    func testGrowthToManyConnections() {
        var table = FlowTable()
        for index in 0..<100_000 {
            let segment = TCPSegment(source: IPAddress(ipv4: 0x0A00_0000 | UInt32(index >> 12)),
                                     destination: IPAddress(ipv4: 0x0A01_0001),
                                     sourcePort: UInt16(32768 + index & 0xFFF), destinationPort: 7079, flags: [.syn])
            table.add(segment, timestamp: Int64(index), wireLength: 60)
            table.add(segment, timestamp: Int64(index), wireLength: 60)
        }
        XCTAssertEqual(table.count, 100_000)
        let connections = table.finish(rules: DirectionRules(expectedServerPorts: []))
        XCTAssertEqual(connections.count, 100_000)
        XCTAssertTrue(connections.allSatisfy { $0.packets == 2 && $0.state == .attempted })
    }
}
