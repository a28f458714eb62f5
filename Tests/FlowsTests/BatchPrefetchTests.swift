@testable import Flows
import TestSupport
import Protocols
import Wire
import XCTest

final class BatchPrefetchTests: XCTestCase {
    /// Past `FlowTable.prefetchingFrom` records, the batch loop works each segment's tag
    /// out ahead, prefetches, and adds the segment from a ring of kept tags: the same
    /// connections, counters, states and protocols as adding the segments one by one,
    /// with batches cut anywhere in a connection and connections interleaved at random.
    func testBatchesPastThePrefetchThresholdEqualOneByOne() {
        let connections = FlowTable.prefetchingFrom + 3_000
        let request = Array("GET / HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n".utf8)
        let response = Array("HTTP/1.0 200 OK\r\nServer: test\r\n\r\n".utf8)
        let server = Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 8080)
        func client(_ index: Int) -> Endpoint {
            Endpoint(address: IPAddress(ipv4: 0x0A01_0000 | UInt32(index >> 8)), port: 32768 + UInt16(index & 0xFF))
        }
        // Round r carries packet r of every connection, the connections in a random order;
        // made a batch at a time (the whole capture would be 17 MB of test data).
        var random = SplitMix64(seed: 17)
        var order = Array(0..<connections)
        var one = FlowTable(), batched = FlowTable()
        var batch: [TimedSegment] = [], samples: [PayloadSample] = []
        func flush() {
            for (entry, sample) in zip(batch, samples) {
                sample.withBytes { one.add(entry.segment, payload: $0, timestamp: entry.timestamp, wireLength: entry.wireLength) }
            }
            batch.withUnsafeBufferPointer { entries in
                samples.withUnsafeBufferPointer { batched.add(entries, samples: $0.baseAddress!) }
            }
            batch.removeAll(keepingCapacity: true)
            samples.removeAll(keepingCapacity: true)
        }
        var time: Int64 = 0
        for round in 0..<5 {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, Int(random.next() % UInt64(index + 1)))
            }
            for index in order {
                let (from, to, flags, payload): (Endpoint, Endpoint, TCPFlags, [UInt8]) = switch round {
                case 0: (client(index), server, [.syn], [])
                case 1: (server, client(index), [.syn, .ack], [])
                case 2: (client(index), server, [.ack, .psh], request)
                case 3: (server, client(index), [.ack, .psh], response)
                default: (client(index), server, index % 3 == 0 ? [.rst] : [.fin, .ack], [])
                }
                let segment = TCPSegment(source: from.address, destination: to.address, sourcePort: from.port,
                                         destinationPort: to.port, flags: flags, payloadLength: UInt32(payload.count))
                time += 1_000
                batch.append(TimedSegment(segment: segment, timestamp: time, wireLength: 60 + UInt32(payload.count)))
                samples.append(payload.withUnsafeBytes { PayloadSample($0, payloadLength: UInt32(payload.count)) })
                if batch.count == 4096 { flush() }
            }
        }
        flush()
        XCTAssertGreaterThanOrEqual(batched.storage.count, FlowTable.prefetchingFrom)
        let rules = DirectionRules(expectedServerPorts: [8080])
        let expected = one.finish(rules: rules), got = batched.finish(rules: rules)
        XCTAssertEqual(got.count, connections)
        XCTAssertEqual(got.map { String(describing: $0) }, expected.map { String(describing: $0) })
        XCTAssertEqual(Set(got.map(\.evidence)), [ProtocolEvidence(.http)])
    }
}
