@testable import Flows
import TestSupport
import Wire
import XCTest

final class FlowStorageRankTests: XCTestCase {
    /// The quickselect gives what sorting the records' times gave (`FlowTable.relieve`'s
    /// threshold), for every rank, with many equal times and with all times equal.
    func testRankMatchesTheSortedTimes() {
        var random = SplitMix64(seed: 11)
        for (count, spread) in [(1, 1), (2, 1), (17, 3), (300, 1000), (1000, 1), (2048, 50)] {
            let storage = FlowStorage(seed: 1)
            var times: [Int64] = []
            for index in 0..<count {
                let time = Int64(random.next() % UInt64(spread)) - Int64(spread / 2)
                let k = key(0x0A00_0000 | UInt32(index), UInt16(index % 60000), 0x0B00_0000, 80)
                _ = storage.append(ConnectionRecord(key: k, timestamp: time, vlan: nil), tag: storage.tag(k))
                times.append(time)
            }
            let sorted = times.sorted()
            for rank in Set([0, count / 4, count / 2, count - 1]) {
                XCTAssertEqual(storage.lastSeen(rank: rank), sorted[rank], "count \(count) spread \(spread) rank \(rank)")
            }
        }
    }
}
