import Flows
import Protocols
import Wire
import XCTest

/// The first payload bytes each side of a connection keeps, and the protocol recognized
/// from them once the connection is done.
final class PayloadSampleTests: XCTestCase {
    let client = Endpoint(address: IPAddress(ipv4: 0x7F00_0001), port: 45000)
    let server = Endpoint(address: IPAddress(ipv4: 0x7F00_0002), port: 7611)
    let request = Array("GET / HTTP/1.1\r\nHost: 127.0.0.2\r\n\r\n".utf8)
    let response = Array("HTTP/1.0 200 OK\r\nServer: test\r\n\r\n".utf8)

    /// Each side's SYN or SYN-ACK at sequence number 0, its payload from 1 on: the first
    /// payload begins its stream.
    func segment(_ from: Endpoint, _ to: Endpoint, _ flags: TCPFlags, payloadLength: Int = 0) -> TCPSegment {
        TCPSegment(source: from.address, destination: to.address, sourcePort: from.port, destinationPort: to.port,
                   flags: flags, sequenceNumber: flags.contains(.syn) ? 0 : 1, payloadLength: UInt32(payloadLength))
    }

    /// Handshake, the client's `first` segment (of `firstLength` bytes on the wire, of which
    /// `first` were captured), a later client segment, the server's answer, close.
    func connection(first: [UInt8], firstLength: Int? = nil, answer: [UInt8]) -> Connection {
        var table = FlowTable()
        func add(_ segment: TCPSegment, _ payload: [UInt8] = []) {
            payload.withUnsafeBytes { table.add(segment, payload: $0, timestamp: 1, wireLength: 60) }
        }
        add(segment(client, server, [.syn]))
        add(segment(server, client, [.syn, .ack]))
        add(segment(client, server, [.ack, .psh], payloadLength: firstLength ?? first.count), first)
        add(segment(client, server, [.ack, .psh], payloadLength: 4), Array("SSH-".utf8))
        add(segment(server, client, [.ack, .psh], payloadLength: answer.count), answer)
        add(segment(client, server, [.fin, .ack]))
        add(segment(server, client, [.fin, .ack]))
        let connections = table.finish(rules: DirectionRules(expectedServerPorts: []))
        XCTAssertEqual(connections.count, 1)
        return connections[0]
    }

    func testEachSideKeepsItsFirstPayloadSegment() {
        XCTAssertEqual(connection(first: request, answer: response).evidence, ProtocolEvidence(.http))
    }

    func testASegmentCutByTheCaptureIsMarkedSo() {
        var sample = PayloadSample()
        request.withUnsafeBytes { sample.take(UnsafeRawBufferPointer(rebasing: $0[0..<3]), payloadLength: UInt32(request.count)) }
        XCTAssertTrue(sample.isTaken && sample.isCutByCapture)
        XCTAssertEqual(sample.withBytes { Array($0) }, Array(request.prefix(3)))
        // 3 bytes of "GET ...", 0 of the answer: not decided, and the capture cut it.
        XCTAssertEqual(connection(first: Array(request.prefix(3)), firstLength: request.count, answer: []).evidence,
                       ProtocolEvidence(.unknown))
    }

    /// The sample copies its bytes in overlapping moves of 16, 8 and 4 bytes
    /// (`PayloadSample.copy`): every length keeps exactly the payload's first bytes, from any
    /// alignment, over a sample that held other bytes before.
    func testEveryLengthAndAlignmentKeepsExactlyTheFirstBytes() {
        let bytes = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        var sample = PayloadSample()
        for start in 0..<9 {
            for length in 0...(PayloadSample.capacity + 3) {
                bytes.withUnsafeBytes { sample.take(UnsafeRawBufferPointer(rebasing: $0[start..<(start + length)]),
                                                    payloadLength: UInt32(length)) }
                let kept = min(length, PayloadSample.capacity)
                XCTAssertEqual(sample.withBytes { Array($0) }, Array(bytes[start..<(start + kept)]), "\(length) from \(start)")
                XCTAssertEqual(sample.isTaken, true)
                XCTAssertFalse(sample.isCutByCapture)
                // Dirty the sample for the next length.
                [UInt8](repeating: 0xEE, count: 96).withUnsafeBytes { sample.take($0, payloadLength: 96) }
            }
        }
    }

    func testAtMostTheSampleSizeIsKeptAndThatIsNoCut() {
        let long = [UInt8](repeating: 0x41, count: 500)
        var sample = PayloadSample()
        long.withUnsafeBytes { sample.take($0, payloadLength: 500) }
        XCTAssertEqual(sample.withBytes { $0.count }, PayloadSample.capacity)
        XCTAssertFalse(sample.isCutByCapture)
        XCTAssertEqual(connection(first: long, answer: long).evidence, ProtocolEvidence(.other))
    }

    func testAConnectionWithoutPayloadIsNone() {
        var table = FlowTable()
        table.add(segment(client, server, [.syn]), timestamp: 1, wireLength: 60)
        table.add(segment(server, client, [.syn, .ack]), timestamp: 2, wireLength: 60)
        let connections = table.finish(rules: DirectionRules(expectedServerPorts: []))
        XCTAssertEqual(connections.map(\.evidence), [.none])
    }

    /// A pipelined reader hands the table copies of the payload beside its segments: the
    /// same connections as adding them one by one.
    func testBatchesWithSamplesEqualOneByOne() {
        let segments = [
            segment(client, server, [.syn]), segment(server, client, [.syn, .ack]),
            segment(client, server, [.ack, .psh], payloadLength: request.count),
            segment(server, client, [.ack, .psh], payloadLength: response.count),
        ]
        let payloads = [[], [], request, response]
        var one = FlowTable()
        for (segment, payload) in zip(segments, payloads) {
            payload.withUnsafeBytes { one.add(segment, payload: $0, timestamp: 1, wireLength: 60) }
        }
        let batch = segments.map { TimedSegment(segment: $0, timestamp: 1, wireLength: 60) }
        let samples = zip(segments, payloads).map { segment, payload in
            payload.withUnsafeBytes { PayloadSample($0, payloadLength: segment.payloadLength) }
        }
        var batched = FlowTable()
        batch.withUnsafeBufferPointer { entries in samples.withUnsafeBufferPointer { batched.add(entries, samples: $0.baseAddress!) } }
        let rules = DirectionRules(expectedServerPorts: [])
        XCTAssertEqual(one.finish(rules: rules).map(\.evidence), [ProtocolEvidence(.http)])
        XCTAssertEqual(batched.finish(rules: rules).map(\.evidence), [ProtocolEvidence(.http)])
    }
}
