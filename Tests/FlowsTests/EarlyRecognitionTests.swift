@testable import Flows
import Protocols
import Wire
import XCTest

/// A connection's payload samples are recognized as soon as both sides' first payload is
/// in and the handshake named the client, and their pool slot is freed then: the pool holds
/// only connections still waiting for a side, and the evidence is the one recognizing at
/// the end gives.
final class EarlyRecognitionTests: XCTestCase {
    let server = Endpoint(address: IPAddress(ipv4: 0x0A00_0002), port: 7611)
    let request = Array("GET / HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n".utf8)
    let response = Array("HTTP/1.1 200 OK\r\nServer: test\r\n\r\n".utf8)
    let rules = DirectionRules(expectedServerPorts: [7611])

    func client(_ index: Int) -> Endpoint {
        Endpoint(address: IPAddress(ipv4: 0x0A00_0100 + UInt32(index % 200)), port: UInt16(20_000 + index))
    }

    /// The client's and the server's initial sequence numbers: each first payload is at the
    /// one after its side's, where a real stack puts it (`ConnectionRecord.beginsStream`).
    let clientISN: UInt32 = 1_000, serverISN: UInt32 = 5_000

    func add(_ table: inout FlowTable, _ from: Endpoint, _ to: Endpoint, _ flags: TCPFlags, _ payload: [UInt8] = [],
             sequence: UInt32, at time: Int64 = 1) {
        let segment = TCPSegment(source: from.address, destination: to.address, sourcePort: from.port,
                                 destinationPort: to.port, flags: flags, sequenceNumber: sequence,
                                 payloadLength: UInt32(payload.count))
        payload.withUnsafeBytes { table.add(segment, payload: $0, timestamp: time, wireLength: 60) }
    }

    /// Handshake, the request; the response only if `answered`.
    func open(_ table: inout FlowTable, _ client: Endpoint, answered: Bool, handshake: Bool = true) {
        if handshake {
            add(&table, client, server, [.syn], sequence: clientISN)
            add(&table, server, client, [.syn, .ack], sequence: serverISN)
        }
        add(&table, client, server, [.ack, .psh], request, sequence: clientISN + 1)
        if answered { add(&table, server, client, [.ack, .psh], response, sequence: serverISN + 1) }
    }

    func testBothSidesInWithAHandshakeFreeTheSlotAndKeepTheEvidence() {
        var table = FlowTable(rules: rules)
        for index in 0..<100 { open(&table, client(index), answered: index % 4 != 0) }
        // 25 requests wait for their answer; the 75 answered ones hold no sample any more.
        XCTAssertEqual(table.storage.samplesInUse, 25)
        // The 25 unanswered are judged from the request alone, at the end, as before.
        let connections = table.finish(rules: rules)
        XCTAssertEqual(connections.filter { $0.evidence == ProtocolEvidence(.http) }.count, 100)
    }

    func testFreedSlotsAreReusedSoThePoolStaysAsLargeAsTheWaiting() {
        var table = FlowTable(rules: rules)
        for index in 0..<10_000 { open(&table, client(index), answered: true) }
        XCTAssertEqual(table.storage.samplesInUse, 0)
        // One slot taken and freed per connection, the same slot each time.
        XCTAssertLessThanOrEqual(table.storage.samplesUsed, 2)
    }

    /// Without a handshake the client is the rules' guess, which a late SYN could still
    /// change: such samples wait for the end.
    func testWithoutAHandshakeTheSamplesWait() {
        var table = FlowTable(rules: rules)
        open(&table, client(1), answered: true, handshake: false)
        XCTAssertEqual(table.storage.samplesInUse, 1)
        XCTAssertEqual(table.finish(rules: rules).first?.evidence, ProtocolEvidence(.http))
    }

    /// A table that continues an earlier input keeps its samples: its records may yet be
    /// joined to that input's, whose samples come first.
    func testATableContinuingAnEarlierInputKeepsItsSamples() {
        var table = FlowTable(rules: rules, continuesEarlierInput: true)
        open(&table, client(1), answered: true)
        XCTAssertEqual(table.storage.samplesInUse, 1)
    }

    /// Records recognized early survive every move of the storage: removal (the last
    /// record moves into the hole), growth, eviction and merging.
    func testEvidenceSurvivesRemovalGrowthAndMerging() {
        var early = FlowTable(rules: nil)
        var late = FlowTable(rules: nil, continuesEarlierInput: true)
        for index in 0..<2_000 {
            open(&early, client(index), answered: index % 3 != 0)
            open(&late, client(index), answered: index % 3 != 0)
        }
        let expected = late.finish(rules: rules).map(\.evidence)
        XCTAssertEqual(early.finish(rules: rules).map(\.evidence), expected)
        var merged = FlowTable(rules: nil)
        merged.absorb(early)
        XCTAssertEqual(merged.finish(rules: rules).map(\.evidence), expected)
    }
}
