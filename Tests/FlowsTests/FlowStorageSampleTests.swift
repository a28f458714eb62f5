@testable import Flows
import TestSupport
import Wire
import XCTest

final class FlowStorageSampleTests: XCTestCase {
    /// The hot record is two cache lines: the payload samples (200 bytes) live in the
    /// storage's sample pool, not in the record updated on every packet.
    func testTheRecordIsTwoCacheLines() {
        XCTAssertLessThanOrEqual(MemoryLayout<ConnectionRecord>.stride, 128)
    }

    /// Samples follow their record through removals (the last record moves into the hole),
    /// replacement and slot reuse: every record's detached samples are the bytes kept for it.
    func testSamplesFollowTheirRecordThroughRemovalsAndReuse() {
        var random = SplitMix64(seed: 3)
        let storage = FlowStorage(seed: 9, recordCapacity: 4, slotBits: 3, sampleCapacity: 2)
        var expected: [ConnectionKey: (UInt8?, UInt8?)] = [:]
        for step in 0..<5_000 {
            let keys = Array(expected.keys)
            if keys.isEmpty || random.next() % 3 != 0 {
                let k = key(0x0A00_0000 | UInt32(random.next() % 64), UInt16(random.next() % 64), 0x0B00_0000, 80)
                let tag = storage.tag(k)
                guard storage.find(k, tag: tag) < 0 else { continue }
                let position = storage.append(ConnectionRecord(key: k, timestamp: Int64(step), vlan: nil), tag: tag)
                var kept: (UInt8?, UInt8?) = (nil, nil)
                for fromA in [true, false] where random.next() % 2 == 0 {
                    let byte = UInt8(truncatingIfNeeded: random.next())
                    withUnsafeBytes(of: byte) {
                        storage.keepSample(at: position, fromA: fromA, payload: $0, payloadLength: 1)
                    }
                    if fromA { kept.0 = byte } else { kept.1 = byte }
                }
                expected[k] = kept
            } else {
                let k = keys[Int(random.next() % UInt64(keys.count))]
                let position = storage.find(k, tag: storage.tag(k))
                let removed = storage.remove(at: position)
                XCTAssertEqual(removed.record.key, k)
                check(removed.samples, expected.removeValue(forKey: k)!)
            }
            if step % 97 == 0 {
                for position in 0..<storage.count {
                    let detached = storage.detached(at: position)
                    check(detached.samples, expected[detached.record.key]!)
                }
            }
        }
        XCTAssertLessThanOrEqual(storage.samplesUsed, expected.count + storage.freeSampleSlotCount + 1)
    }

    private func check(_ samples: PayloadSamples, _ kept: (UInt8?, UInt8?), line: UInt = #line) {
        func byte(_ sample: PayloadSample) -> UInt8? {
            sample.isTaken ? sample.withBytes { $0.first } : nil
        }
        XCTAssertEqual(byte(samples.fromA), kept.0, line: line)
        XCTAssertEqual(byte(samples.fromB), kept.1, line: line)
    }
}
