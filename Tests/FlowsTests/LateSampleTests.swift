import Flows
import Protocols
import Wire
import XCTest

/// A side's first captured payload that is not the first it sent
/// (`ConnectionRecord.beginsStream`) starts nothing: bytes no recognizer knows are then
/// `unknown`, not `other`, unless the side's first segment arrives after all, whose bytes
/// then replace the sample (`ConnectionRecord.takeSample`). The bytes here are text of no
/// protocol (the middle of a JSON document), `other` when they begin their stream.
final class LateSampleTests: XCTestCase {
    let client = Endpoint(address: IPAddress(ipv4: 0x0A4D_2301), port: 39014)
    let server = Endpoint(address: IPAddress(ipv4: 0x0A4D_2302), port: 9763)
    let clientISN: UInt32 = 0xFFFF_FF00  // the first payload's number wraps past 2^32
    let serverISN: UInt32 = 4_000_000
    let middle = Array("efghij\"}, {\"name\": \"event-12\", \"payload\": \"abcd".utf8)

    typealias Step = (fromClient: Bool, flags: TCPFlags, sequence: UInt32, payload: Int)

    /// What a table fed `steps` (from the client when `fromClient`), in order, says the
    /// connection speaks; each payload is `middle`'s first bytes.
    func evidence(_ steps: [Step]) -> ProtocolEvidence? {
        var table = FlowTable()
        for (index, step) in steps.enumerated() {
            let (from, to) = step.fromClient ? (client, server) : (server, client)
            let segment = TCPSegment(source: from.address, destination: to.address, sourcePort: from.port, destinationPort: to.port,
                                     flags: step.flags, sequenceNumber: step.sequence,
                                     acknowledgmentNumber: step.fromClient ? serverISN &+ 1 : clientISN &+ 1,
                                     payloadLength: UInt32(step.payload))
            Array(middle.prefix(step.payload)).withUnsafeBytes {
                table.add(segment, payload: $0, timestamp: Int64(index), wireLength: 60 + UInt32(step.payload))
            }
        }
        let connections = table.finish(rules: DirectionRules(expectedServerPorts: [9763]))
        XCTAssertEqual(connections.count, 1)
        return connections.first?.evidence
    }

    var handshake: [Step] {
        [(true, [.syn], clientISN, 0), (false, [.syn, .ack], serverISN, 0), (true, [.ack], clientISN &+ 1, 0)]
    }

    func testFirstPayloadsRightAfterTheHandshakeBeginTheirStreams() {
        XCTAssertEqual(evidence(handshake + [(true, [.ack, .psh], clientISN &+ 1, 40), (false, [.ack, .psh], serverISN &+ 1, 30)]),
                       ProtocolEvidence(.other))
    }

    /// The client's first segment (1,448 bytes) was not captured: its first captured
    /// payload is the second, 1,448 bytes on.
    func testAClientsFirstSegmentLostStartsNothing() {
        XCTAssertEqual(evidence(handshake + [(true, [.ack, .psh], clientISN &+ 1449, 40), (false, [.ack, .psh], serverISN &+ 1, 30)]),
                       ProtocolEvidence(.unknown))
    }

    /// The server's second segment was captured before its first (reordering): until the
    /// first arrives, the side starts nothing; when it does, its bytes are the sample, and
    /// they begin the stream. Both sides' samples were in before it came, so the connection
    /// is not recognized until then.
    func testAServersSecondSegmentCapturedFirstIsSampledAgainWhenItsFirstArrives() {
        let secondFirst: [Step] = handshake + [(true, [.ack, .psh], clientISN &+ 1, 40), (false, [.ack], serverISN &+ 1449, 30)]
        XCTAssertEqual(evidence(secondFirst), ProtocolEvidence(.unknown))
        XCTAssertEqual(evidence(secondFirst + [(false, [.ack, .psh], serverISN &+ 1, 30)]), ProtocolEvidence(.other))
    }

    /// A later segment of a side whose sample came late is not its first: the sample stays,
    /// and starts nothing.
    func testOnlyTheFirstSegmentReplacesALateSample() {
        XCTAssertEqual(evidence(handshake + [(true, [.ack, .psh], clientISN &+ 2897, 40), (true, [.ack, .psh], clientISN &+ 1449, 40),
                                             (true, [.ack, .psh], clientISN &+ 4345, 40)]),
                       ProtocolEvidence(.unknown))
    }

    /// A keep-alive probe's byte, at the sequence number before the next, as a side's only
    /// payload; its first real payload, sent later, replaces it.
    func testAKeepAliveByteStartsNothingAndTheFirstPayloadReplacesIt() {
        XCTAssertEqual(evidence(handshake + [(true, [.ack], clientISN, 1)]), ProtocolEvidence(.unknown))
        XCTAssertEqual(evidence(handshake + [(true, [.ack], clientISN, 1), (true, [.ack, .psh], clientISN &+ 1, 40)]),
                       ProtocolEvidence(.other))
    }

    /// Without the server's SYN-ACK in the capture its first number is not known, and its
    /// first payload is taken to begin its stream; a SYN's own data (TCP Fast Open) begins
    /// the client's.
    func testWhatCannotBeToldIsTakenAsTheStart() {
        XCTAssertEqual(evidence([(true, [.syn], clientISN, 0), (true, [.ack], clientISN &+ 1, 0),
                                 (false, [.ack, .psh], 123_456, 30)]),
                       ProtocolEvidence(.other))
        XCTAssertEqual(evidence([(true, [.syn], clientISN, 40), (false, [.syn, .ack], serverISN, 0),
                                 (false, [.ack, .psh], serverISN &+ 1, 30)]),
                       ProtocolEvidence(.other))
    }
}
