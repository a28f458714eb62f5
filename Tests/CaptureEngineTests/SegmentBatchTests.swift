@testable import CaptureEngine
@testable import Flows
import Protocols
import Wire
import XCTest

/// A reading thread that tracks its own connections adds them through a `SegmentBatch`:
/// one by one while the table is small, a batch at a time (prefetched) once it is large,
/// in the order they came either way.
final class SegmentBatchTests: XCTestCase {
    let rules = DirectionRules(expectedServerPorts: [8080])
    let server = Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 8080)

    /// The segments of `connections` HTTP connections, each opened, answered, closed and
    /// then opened again on the same 4-tuple with a new initial sequence number (port
    /// reuse: only the order of the segments tells the two apart), the connections'
    /// packets interleaved round by round.
    func segments(connections: Int) -> [(segment: TCPSegment, payload: [UInt8])] {
        let request = Array("GET / HTTP/1.1\r\nHost: 10.0.0.1\r\n\r\n".utf8)
        let response = Array("HTTP/1.1 200 OK\r\nServer: test\r\n\r\n".utf8)
        func client(_ index: Int) -> Endpoint {
            Endpoint(address: IPAddress(ipv4: 0x0A01_0000 | UInt32(index >> 8)), port: 32768 + UInt16(index & 0xFF))
        }
        var all: [(TCPSegment, [UInt8])] = []
        for round in 0..<8 {
            for index in 0..<connections {
                let (from, to, flags, payload): (Endpoint, Endpoint, TCPFlags, [UInt8]) = switch round % 4 {
                case 0: (client(index), server, [.syn], [])
                case 1: (server, client(index), [.syn, .ack], [])
                case 2: (client(index), server, [.fin, .ack, .psh], request)
                default: (server, client(index), [.fin, .ack, .psh], response)
                }
                // The client's numbers: each use of the 4-tuple starts from an ISN of its own.
                let sequence: UInt32 = from == server ? 0 : (round < 4 ? 1_000 : 5_000) + (round % 4 == 0 ? 0 : 1)
                all.append((TCPSegment(source: from.address, destination: to.address, sourcePort: from.port,
                                       destinationPort: to.port, flags: flags, sequenceNumber: sequence,
                                       payloadLength: UInt32(payload.count)),
                            payload))
            }
        }
        return all
    }

    /// Adds `segments` one by one to a table, and through a batch to another.
    func oneByOneAndBatched(_ segments: [(segment: TCPSegment, payload: [UInt8])]) -> (FlowTable, FlowTable) {
        var one = FlowTable(), batched = FlowTable()
        let batch = SegmentBatch()
        for (index, entry) in segments.enumerated() {
            entry.payload.withUnsafeBytes { payload in
                one.add(entry.segment, payload: payload, timestamp: Int64(index) * 1_000, wireLength: 60)
                batch.add(entry.segment, payload: payload, timestamp: Int64(index) * 1_000, wireLength: 60, to: &batched)
            }
        }
        batch.flush(into: &batched)
        return (one, batched)
    }

    func testPastThePrefetchThresholdTheBatchesEqualOneByOne() {
        let connections = FlowTable.prefetchingFrom + 1_000
        let (one, batched) = oneByOneAndBatched(segments(connections: connections))
        XCTAssertTrue(batched.prefetches, "the table grew past the threshold, so segments went in batches")
        let expected = one.finish(rules: rules), got = batched.finish(rules: rules)
        XCTAssertEqual(got.count, 2 * connections, "each 4-tuple reused once: two connections each")
        let differing = zip(got, expected).filter { String(describing: $0) != String(describing: $1) }
        XCTAssertEqual(differing.count, 0, "first that differs: \(differing.first.map { "\($0)" } ?? "")")
        XCTAssertEqual(Set(got.map(\.evidence)), [ProtocolEvidence(.http)], "the payload samples went with the batches")
    }

    func testEverySegmentReachesTheTableWhateverTheLastBatchHolds() {
        // A table already past the threshold, then 0 ... a few batches' worth of segments.
        let warm = segments(connections: FlowTable.prefetchingFrom).prefix(FlowTable.prefetchingFrom)
        let capacity = SegmentBatch.capacity
        for extra in [0, 1, capacity - 1, capacity, capacity + 1, 3 * capacity + 7] {
            let more = (0..<extra).map { index in
                (segment: TCPSegment(source: IPAddress(ipv4: 0x0B00_0000 | UInt32(index)), destination: server.address,
                                     sourcePort: 40_000, destinationPort: server.port, flags: .syn), payload: [UInt8]())
            }
            let (one, batched) = oneByOneAndBatched(Array(warm) + more)
            XCTAssertEqual(batched.count, FlowTable.prefetchingFrom + extra, "\(extra) segments after the warm-up")
            XCTAssertEqual(batched.count, one.count, "\(extra) segments after the warm-up")
        }
    }
}
