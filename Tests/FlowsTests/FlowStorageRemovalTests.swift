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
            bulk.removeAll(where: isDone) { bulkOrder.append($0.record.key) }
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
}
