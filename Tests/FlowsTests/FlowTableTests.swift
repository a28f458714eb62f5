import Foundation
import Flows
import Wire
import XCTest

/// A tiny conversation builder: `host.send(to:flags:)` adds one segment to the table.
private struct Conversation {
    var table = FlowTable()
    var clock: Int64 = 1_000_000_000

    mutating func send(_ from: String, _ to: String, _ flags: TCPFlags, payload: UInt32 = 0, wire: UInt32 = 66,
                       sequence: UInt32 = 0) {
        clock += 1_000
        let (source, destination) = (endpoint(from), endpoint(to))
        table.add(TCPSegment(source: source.address, destination: destination.address, sourcePort: source.port,
                             destinationPort: destination.port, flags: flags, sequenceNumber: sequence,
                             payloadLength: payload),
                  timestamp: clock, wireLength: wire)
    }

    /// The full life of a connection: handshake (the client's SYN numbered `isn`), one
    /// request and answer, FIN both ways.
    mutating func completeConnection(_ client: String, _ server: String, isn: UInt32 = 0) {
        send(client, server, [.syn], sequence: isn)
        send(server, client, [.syn, .ack])
        send(client, server, [.ack])
        send(client, server, [.ack, .psh], payload: 100, wire: 166)
        send(server, client, [.ack, .psh], payload: 200, wire: 266)
        send(client, server, [.fin, .ack])
        send(server, client, [.fin, .ack])
        send(client, server, [.ack])
    }

    func connections(expected: [UInt16] = []) -> [Connection] {
        table.finish(rules: DirectionRules(expectedServerPorts: expected))
    }
}

private func endpoint(_ text: String) -> Endpoint {
    let colon = text.lastIndex(of: ":")!
    return Endpoint(address: IPAddress(String(text[..<colon]).trimmingCharacters(in: ["[", "]"]))!,
                    port: UInt16(text[text.index(after: colon)...])!)
}

final class ServerSideTests: XCTestCase {
    func testTheReceiverOfASynIsTheServerEvenOnAnEphemeralPort() {
        var conversation = Conversation()
        conversation.completeConnection("127.0.0.1:48700", "127.0.0.1:45335")
        let connection = conversation.connections(expected: [48700]).first!
        XCTAssertEqual(connection.server, endpoint("127.0.0.1:45335"))
        XCTAssertEqual(connection.client, endpoint("127.0.0.1:48700"))
        XCTAssertEqual(connection.directionBasis, .handshake)
    }

    func testTheSenderOfASynAckIsTheServerWhenTheSynWasMissed() {
        var conversation = Conversation()
        conversation.send("10.0.0.2:7079", "10.0.0.1:50000", [.syn, .ack])
        conversation.send("10.0.0.1:50000", "10.0.0.2:7079", [.ack])
        let connection = conversation.connections().first!
        XCTAssertEqual(connection.server, endpoint("10.0.0.2:7079"))
        XCTAssertEqual(connection.directionBasis, .handshake)
        XCTAssertEqual(connection.state, .established)
    }

    func testMidStreamThePolicysExpectedPortMarksTheServer() {
        var conversation = Conversation()
        // Both ports are outside the ephemeral range; only the policy can tell.
        conversation.send("10.0.0.1:7079", "10.0.0.2:1500", [.ack, .psh], payload: 10)
        let connection = conversation.connections(expected: [7079]).first!
        XCTAssertEqual(connection.server, endpoint("10.0.0.1:7079"))
        XCTAssertEqual(connection.directionBasis, .policy)
        XCTAssertEqual(connection.state, .midstream)
    }

    func testMidStreamTheNonEphemeralPortMarksTheServer() {
        var conversation = Conversation()
        conversation.send("10.0.0.2:8888", "10.0.0.1:49818", [.ack])
        let connection = conversation.connections().first!
        XCTAssertEqual(connection.server, endpoint("10.0.0.2:8888"))
        XCTAssertEqual(connection.client, endpoint("10.0.0.1:49818"))
        XCTAssertEqual(connection.directionBasis, .ephemeral)
    }

    func testMidStreamPolicyAndEphemeralRulesThatDisagreeLeaveTheDirectionUnknown() {
        // A client whose range is 7000-13000, on port 7611 (a catalog port), to a listener on
        // 45000: the policy points at 7611, the range at 45000. Neither wins.
        let rules = DirectionRules(expectedServerPorts: [7611], ephemeralLow: 7000, ephemeralHigh: 13000)
        XCTAssertNil(rules.serverIsA(portA: 7611, portB: 45000))
        XCTAssertNil(rules.serverIsA(portA: 45000, portB: 7611))
        // They agree, or only one speaks: as before.
        XCTAssertEqual(rules.serverIsA(portA: 7611, portB: 12005).map { "\($0.0) \($0.1)" }, "true policy")
        XCTAssertEqual(rules.serverIsA(portA: 45000, portB: 12005).map { "\($0.0) \($0.1)" }, "true ephemeral")
        let standard = DirectionRules(expectedServerPorts: [7611])
        XCTAssertEqual(standard.serverIsA(portA: 45000, portB: 7611).map { "\($0.0) \($0.1)" }, "false policy")
    }

    func testMidStreamWithNoRuleTheDirectionIsUnknown() {
        var conversation = Conversation()
        conversation.send("10.0.0.2:50001", "10.0.0.1:50002", [.ack])
        conversation.send("10.0.0.2:22", "10.0.0.1:1022", [.ack])
        let connections = conversation.connections()
        XCTAssertEqual(connections.map(\.directionBasis), [.unknown, .unknown])
    }

    /// A probe without a SYN answered by a RST (a FIN or Maimon scan from a port above the
    /// ephemeral range, to ports below it): its sender is the client, and it is a probe. A
    /// FIN answered by data is a real connection's end, and stays unknown.
    func testMidStreamWithNoRuleAProbeAnsweredByARSTHasItsSenderForClient() {
        var conversation = Conversation()
        conversation.send("10.0.0.9:62000", "10.0.0.1:80", [.fin, .ack])
        conversation.send("10.0.0.1:80", "10.0.0.9:62000", [.rst])
        conversation.send("10.0.0.9:62001", "10.0.0.1:81", [.fin])
        conversation.send("10.0.0.1:81", "10.0.0.9:62001", [.ack], payload: 10)
        let connections = conversation.connections()
        XCTAssertEqual(connections.map(\.directionBasis), [.probe, .unknown])
        XCTAssertEqual(connections[0].client, endpoint("10.0.0.9:62000"))
        XCTAssertEqual(connections[0].server, endpoint("10.0.0.1:80"))
        XCTAssertEqual(connections[0].state, .midstream)
        XCTAssertEqual(connections.map(\.probeWithoutSyn), [true, false])
    }

    func testBothPortsExpectedFallsThroughToTheEphemeralRule() {
        var conversation = Conversation()
        conversation.send("10.0.0.1:12002", "10.0.0.2:40000", [.ack])
        let connection = conversation.connections(expected: [12002, 40000]).first!
        XCTAssertEqual(connection.server.port, 12002)
        XCTAssertEqual(connection.directionBasis, .ephemeral)
    }
}

final class ConnectionStateTests: XCTestCase {
    func testAHandshakeDataAndFinBothWaysIsClosed() {
        var conversation = Conversation()
        conversation.completeConnection("10.0.0.1:40000", "10.0.0.2:7613")
        let connection = conversation.connections().first!
        XCTAssertEqual(connection.state, .closed)
        XCTAssertEqual(connection.packetsToServer, 5)
        XCTAssertEqual(connection.packetsToClient, 3)
        XCTAssertEqual(connection.payloadBytesToServer, 100)
        XCTAssertEqual(connection.payloadBytesToClient, 200)
        XCTAssertEqual(connection.bytes, 66 * 6 + 166 + 266)
    }

    func testASynWithNoAnswerIsAnAttempt() {
        var conversation = Conversation()
        conversation.send("10.0.0.1:40000", "10.0.0.3:9999", [.syn])
        conversation.send("10.0.0.1:40000", "10.0.0.3:9999", [.syn])
        XCTAssertEqual(conversation.connections().first?.state, .attempted)
        XCTAssertFalse(ConnectionState.attempted.isTraffic)
    }

    func testARstAnsweringASynIsRefused() {
        var conversation = Conversation()
        conversation.send("127.0.0.1:49712", "127.0.0.1:5432", [.syn])
        conversation.send("127.0.0.1:5432", "127.0.0.1:49712", [.rst, .ack])
        let connection = conversation.connections().first!
        XCTAssertEqual(connection.state, .refused)
        XCTAssertEqual(connection.server.port, 5432)
        XCTAssertFalse(connection.state.isTraffic)
    }

    /// A lone RST, its SYN or the connection's start not captured: the kernel's refusal
    /// of a SYN (ACK, sequence number 0) and its answer to a segment with an ACK (no ACK,
    /// at the segment's acknowledgment number: an ACK scan's probe) are refusals; a socket's
    /// abort of its connection (ACK, the connection's own non-zero sequence number) served.
    func testALoneRstIsARefusalUnlessItAbortsAConnection() {
        let cases: [(TCPFlags, UInt32, ConnectionState)] = [([.rst, .ack], 0, .refused), ([.rst], 0x1234_5678, .refused),
                                                            ([.rst, .ack], 0x1234_5678, .midstream)]
        for (flags, sequence, state) in cases {
            var conversation = Conversation()
            conversation.send("10.0.0.2:31341", "10.0.0.1:47906", flags, sequence: sequence)
            let connection = conversation.connections().first!
            XCTAssertEqual(connection.state, state, "\(flags) \(sequence)")
            XCTAssertEqual(connection.server.port, 31341, "\(flags) \(sequence)")
            XCTAssertEqual(connection.abortOnly, state == .midstream, "\(flags) \(sequence)")
            XCTAssertEqual(connection.seenOneWay, state == .refused, "\(flags) \(sequence)")
        }
        // With its SYN captured, a RST is a refusal whatever its sequence number (a
        // middlebox's, or a generator's, may carry any).
        var answered = Conversation()
        answered.send("10.0.0.1:47906", "10.0.0.2:31341", [.syn], sequence: 7)
        answered.send("10.0.0.2:31341", "10.0.0.1:47906", [.rst, .ack], sequence: 0x1234_5678)
        XCTAssertEqual(answered.connections().first?.state, .refused)
    }

    func testAnOpenConnectionAtTheEndIsEstablished() {
        var conversation = Conversation()
        conversation.send("10.0.0.1:40000", "10.0.0.2:13002", [.syn])
        conversation.send("10.0.0.2:13002", "10.0.0.1:40000", [.syn, .ack])
        conversation.send("10.0.0.1:40000", "10.0.0.2:13002", [.ack])
        XCTAssertEqual(conversation.connections().first?.state, .established)
    }

    func testARstAfterTheHandshakeIsReset() {
        var conversation = Conversation()
        conversation.send("10.0.0.1:40000", "10.0.0.2:13002", [.syn])
        conversation.send("10.0.0.2:13002", "10.0.0.1:40000", [.syn, .ack])
        conversation.send("10.0.0.1:40000", "10.0.0.2:13002", [.ack, .psh], payload: 5)
        conversation.send("10.0.0.1:40000", "10.0.0.2:13002", [.rst, .ack])
        XCTAssertEqual(conversation.connections().first?.state, .reset)
    }

    /// A SYN scan's probe of an open port: the scanner answers the SYN-ACK with a RST. Half
    /// open however often each packet was captured; a completed handshake is not.
    func testAClientThatAnswersTheSynAckWithARstLeftItHalfOpen() {
        for copies in 1...2 {
            var conversation = Conversation()
            for _ in 0..<copies { conversation.send("10.0.0.1:40000", "10.0.0.2:9443", [.syn]) }
            for _ in 0..<copies { conversation.send("10.0.0.2:9443", "10.0.0.1:40000", [.syn, .ack]) }
            for _ in 0..<copies { conversation.send("10.0.0.1:40000", "10.0.0.2:9443", [.rst]) }
            let connection = conversation.connections().first!
            XCTAssertEqual(connection.state, .reset)
            XCTAssertTrue(connection.halfOpen, "\(copies) copies")
        }
        var connect = Conversation()
        connect.send("10.0.0.1:40001", "10.0.0.2:9443", [.syn])
        connect.send("10.0.0.2:9443", "10.0.0.1:40001", [.syn, .ack])
        connect.send("10.0.0.1:40001", "10.0.0.2:9443", [.ack])
        connect.send("10.0.0.1:40001", "10.0.0.2:9443", [.rst, .ack])
        XCTAssertFalse(connect.connections().first!.halfOpen)
        var refused = Conversation()
        refused.send("10.0.0.1:40002", "10.0.0.2:9000", [.syn])
        refused.send("10.0.0.2:9000", "10.0.0.1:40002", [.rst, .ack])
        XCTAssertFalse(refused.connections().first!.halfOpen)
    }

    func testNoSynSeenIsMidstream() {
        var conversation = Conversation()
        conversation.send("10.0.0.1:40000", "10.0.0.2:7079", [.ack, .psh], payload: 5)
        conversation.send("10.0.0.1:40000", "10.0.0.2:7079", [.fin, .ack])
        XCTAssertEqual(conversation.connections().first?.state, .midstream)
    }

    func testASynOnAFinishedFourTupleStartsANewConnection() {
        var conversation = Conversation()
        conversation.completeConnection("10.0.0.1:40000", "10.0.0.2:7613", isn: 1_000)
        conversation.completeConnection("10.0.0.1:40000", "10.0.0.2:7613", isn: 900_000)
        let connections = conversation.connections()
        XCTAssertEqual(connections.count, 2)
        XCTAssertEqual(connections.map(\.packets), [8, 8])
        XCTAssertEqual(connections.map(\.state), [.closed, .closed])
    }

    /// A client that reuses its 4-tuple at once can have its SYN answered by the server's
    /// challenge ACK (the connection before still closing there), which it answers with a
    /// RST, and then sends the same SYN again: one connection, not a reset one and another.
    func testTheSameSynAgainAfterAChallengeAckAndRstIsOneConnection() {
        var conversation = Conversation()
        conversation.send("10.0.0.1:40000", "10.0.0.2:9763", [.syn], sequence: 5_000)
        conversation.send("10.0.0.2:9763", "10.0.0.1:40000", [.ack])
        conversation.send("10.0.0.1:40000", "10.0.0.2:9763", [.rst], sequence: 77)
        conversation.completeConnection("10.0.0.1:40000", "10.0.0.2:9763", isn: 5_000)
        XCTAssertEqual(conversation.connections().map(\.packets), [11])
    }

    /// A refused SYN sent again (its RST lost on the way back, or the SYN duplicated) is the
    /// same connect refused again: one refused connection with both tries' packets.
    func testTheSameSynAgainAfterARefusalIsTheSameConnect() {
        var conversation = Conversation()
        for _ in 0..<2 {
            conversation.send("10.0.0.1:40000", "10.0.0.2:9763", [.syn], sequence: 5_000)
            conversation.send("10.0.0.2:9763", "10.0.0.1:40000", [.rst, .ack])
        }
        XCTAssertEqual(conversation.connections().map { "\($0.state) \($0.packets)" }, ["refused 4"])
    }

    /// A client that connects again from the same port once refused draws a new initial
    /// sequence number: a second refused connect.
    func testANewSynAfterARefusalIsANewConnect() {
        var conversation = Conversation()
        for isn: UInt32 in [5_000, 9_000] {
            conversation.send("10.0.0.1:40000", "10.0.0.2:9763", [.syn], sequence: isn)
            conversation.send("10.0.0.2:9763", "10.0.0.1:40000", [.rst, .ack])
        }
        XCTAssertEqual(conversation.connections().map(\.state), [.refused, .refused])
    }

    /// A SYN that meets the previous connection's late ACK, which the server (its socket
    /// gone) answers with a RST without ACK, and is sent again and answered: one connection.
    /// A RST without ACK answers a segment that had one (RFC 9293 3.10.7.1), never a SYN:
    /// no refusal.
    func testTheSameSynAgainAfterARstWithoutAckToALateAckIsOneConnection() {
        var conversation = Conversation()
        conversation.send("10.0.0.1:40000", "10.0.0.2:9763", [.syn], sequence: 5_000)
        conversation.send("10.0.0.1:40000", "10.0.0.2:9763", [.ack], sequence: 777)
        conversation.send("10.0.0.2:9763", "10.0.0.1:40000", [.rst], sequence: 888)
        conversation.completeConnection("10.0.0.1:40000", "10.0.0.2:9763", isn: 5_000)
        XCTAssertEqual(conversation.connections().map { "\($0.state) \($0.packets)" }, ["closed 11"])
    }

    /// A SYN answered by nothing but a RST without ACK was not refused: that RST answered
    /// another segment. It was reset, not refused.
    func testARstWithoutAckAloneIsNoRefusal() {
        var conversation = Conversation()
        conversation.send("10.0.0.1:40000", "10.0.0.2:9763", [.syn], sequence: 5_000)
        conversation.send("10.0.0.1:40000", "10.0.0.2:9763", [.ack], sequence: 777)
        conversation.send("10.0.0.2:9763", "10.0.0.1:40000", [.rst], sequence: 888)
        XCTAssertEqual(conversation.connections().map(\.state), [.reset])
    }

    /// A refusal's RST carries an ACK, whatever else the server's side sent before or after
    /// it: a RST without ACK to a stray segment beside it leaves it a refusal.
    func testARefusalBesideARstWithoutAckIsStillARefusal() {
        var conversation = Conversation()
        conversation.send("10.0.0.1:40000", "10.0.0.2:9763", [.syn], sequence: 5_000)
        conversation.send("10.0.0.1:40000", "10.0.0.2:9763", [.ack], sequence: 777)
        conversation.send("10.0.0.2:9763", "10.0.0.1:40000", [.rst], sequence: 888)
        conversation.send("10.0.0.2:9763", "10.0.0.1:40000", [.rst, .ack])
        XCTAssertEqual(conversation.connections().map(\.state), [.refused])
    }

    func testRetransmittedSynsStayOneConnection() {
        var conversation = Conversation()
        conversation.send("10.0.0.1:40000", "10.0.0.2:7613", [.syn])
        conversation.send("10.0.0.1:40000", "10.0.0.2:7613", [.syn])
        conversation.send("10.0.0.2:7613", "10.0.0.1:40000", [.syn, .ack])
        XCTAssertEqual(conversation.connections().count, 1)
    }

    /// A capture (or a file of a rotated one) that begins at a connection's last ACK sees
    /// no handshake and no end of it before its 4-tuple is used again.
    func testASynAfterAMidStreamPieceStartsANewConnection() {
        var conversation = Conversation()
        conversation.send("10.0.0.2:80", "10.0.0.1:40000", [.ack])
        conversation.completeConnection("10.0.0.1:40000", "10.0.0.2:80")
        let connections = conversation.connections()
        XCTAssertEqual(connections.map(\.packets), [1, 8])
        XCTAssertEqual(connections.map(\.state), [.midstream, .closed])
    }

    func testASynWithANewNumberAfterOneFinStartsANewConnection() {
        var conversation = Conversation()
        conversation.send("10.0.0.1:40000", "10.0.0.2:80", [.syn], sequence: 1_000)
        conversation.send("10.0.0.2:80", "10.0.0.1:40000", [.syn, .ack])
        conversation.send("10.0.0.1:40000", "10.0.0.2:80", [.ack])
        conversation.send("10.0.0.2:80", "10.0.0.1:40000", [.fin, .ack])
        conversation.completeConnection("10.0.0.1:40000", "10.0.0.2:80", isn: 9_000)
        XCTAssertEqual(conversation.connections().map(\.packets), [4, 8])
    }

    func testTheConnectionsOwnSynSentAgainAfterOneFinStaysInIt() {
        var conversation = Conversation()
        conversation.send("10.0.0.1:40000", "10.0.0.2:80", [.syn], sequence: 1_000)
        conversation.send("10.0.0.2:80", "10.0.0.1:40000", [.syn, .ack])
        conversation.send("10.0.0.2:80", "10.0.0.1:40000", [.fin, .ack])
        conversation.send("10.0.0.1:40000", "10.0.0.2:80", [.syn], sequence: 1_000)
        XCTAssertEqual(conversation.connections().map(\.packets), [4])
    }

    /// Inputs read apart and merged count what one table reading them in order counts,
    /// whether the cut falls between the two FINs or before the last ACK.
    func testAbsorbingATableCutBeforeTheEndKeepsTheNextConnectionApart() {
        let (client, server) = ("10.0.0.1:40000", "10.0.0.2:80")
        // An HTTP server's close: its FIN first, the client's, then its last ACK.
        let firstConnection: [(from: String, to: String, flags: TCPFlags, sequence: UInt32)] = [
            (client, server, [.syn], 1_000), (server, client, [.syn, .ack], 0), (client, server, [.ack], 0),
            (client, server, [.ack, .psh], 0), (server, client, [.ack, .psh], 0), (server, client, [.fin, .ack], 0),
            (client, server, [.fin, .ack], 0), (server, client, [.ack], 0),
        ]
        var whole = Conversation()
        for packet in firstConnection { whole.send(packet.from, packet.to, packet.flags, sequence: packet.sequence) }
        whole.completeConnection(client, server, isn: 9_000)
        for cut in [6, 7] {
            var first = Conversation(), second = Conversation()
            for packet in firstConnection.prefix(cut) {
                first.send(packet.from, packet.to, packet.flags, sequence: packet.sequence)
            }
            second.clock = first.clock
            for packet in firstConnection.dropFirst(cut) {
                second.send(packet.from, packet.to, packet.flags, sequence: packet.sequence)
            }
            second.completeConnection(client, server, isn: 9_000)
            first.table.absorb(second.table)
            XCTAssertEqual(first.connections().map(\.packets), [8, 8], "cut after \(cut) packets")
            XCTAssertEqual(first.connections().map(\.state), whole.connections().map(\.state), "cut after \(cut) packets")
        }
    }

    func testAbsorbingATableContinuesItsConnections() {
        var first = Conversation()
        first.send("10.0.0.1:40000", "10.0.0.2:7613", [.syn])
        var second = Conversation()
        second.clock = first.clock
        second.send("10.0.0.2:7613", "10.0.0.1:40000", [.syn, .ack])
        second.send("10.0.0.1:40000", "10.0.0.2:7613", [.ack])
        first.table.absorb(second.table)
        let connections = first.connections()
        XCTAssertEqual(connections.count, 1)
        XCTAssertEqual(connections.first?.packets, 3)
        XCTAssertEqual(connections.first?.state, .established)
        XCTAssertEqual(connections.first?.server.port, 7613)
    }
}
