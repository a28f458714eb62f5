@testable import Flows
import Wire
import XCTest

/// How a capture on every interface tells a connection's request after the host translated
/// it (a published port, a Service's address, masquerade) from a request of its own, and
/// which of the two views is audited.
final class TranslatedCopiesTests: XCTestCase {
    let millisecond: Int64 = 1_000_000
    let start: Int64 = 1_764_800_000 * 1_000_000_000

    let client = IPAddress(ipv4: 0x0AD0_0001)  // 10.208.0.1
    let front = IPAddress(ipv4: 0x0AD0_00FE)  // 10.208.0.254, the host
    let server = IPAddress(ipv4: 0x0ACF_0002)  // 10.207.0.2, the container

    private func request(from source: IPAddress, _ sourcePort: UInt16 = 37348, to destination: IPAddress,
                         _ destinationPort: UInt16, sequence: UInt32 = 853_768_674, identity: UInt16 = 0x5B92,
                         flags: TCPFlags = .syn) -> TCPSegment {
        TCPSegment(source: source, destination: destination, sourcePort: sourcePort, destinationPort: destinationPort,
                   flags: flags, sequenceNumber: sequence,
                   copyIdentity: UInt32(identity) << 16 | 0x1234)  // the checksum half NAT changes
    }

    /// The request a table is to take back: its connection's endpoints and its numbers.
    private func asTakenBack(_ request: TCPSegment) -> TCPSegment {
        var front = request
        front.copyIdentity = 0
        return front
    }

    private func memory() -> TranslatedCopies { TranslatedCopies(for: PacketDecoder(linkType: .linuxSLL2)) }

    func testAPublishedPortsRequestIsAuditedWhereItReachedTheServer() {
        var copies = memory()
        let addressed = request(from: client, to: front, 19763)
        XCTAssertEqual(copies.classify(addressed, outgoing: false, at: start), .own)
        let reached = request(from: client, to: server, 9763)
        XCTAssertEqual(copies.classify(reached, outgoing: true, at: start + 30_000), .translates(front: asTakenBack(addressed)))

        // Every later packet of the front view, either way, is set aside; the server's view is tracked.
        let answerBefore = TCPSegment(source: server, destination: client, sourcePort: 9763, destinationPort: 37348,
                                      flags: [.syn, .ack])
        XCTAssertEqual(copies.classify(answerBefore, outgoing: false, at: start + millisecond), .own)
        let answerAfter = TCPSegment(source: front, destination: client, sourcePort: 19763, destinationPort: 37348,
                                     flags: [.syn, .ack])
        XCTAssertEqual(copies.classify(answerAfter, outgoing: true, at: start + millisecond), .front)
        let data = TCPSegment(source: client, destination: front, sourcePort: 37348, destinationPort: 19763,
                              flags: [.ack, .psh], payloadLength: 100)
        XCTAssertEqual(copies.classify(data, outgoing: false, at: start + 2 * millisecond), .front)
        XCTAssertEqual(copies.translations, [Translation(from: Endpoint(address: front, port: 19763),
                                                         to: Endpoint(address: server, port: 9763), ofClient: false): 1])
        XCTAssertEqual(copies.byName, ["10.208.0.254:19763 -> 10.207.0.2:9763": 1])
    }

    func testAMasqueradedClientIsAuditedAsItLeftTheHost() {
        var copies = memory()
        let sent = request(from: server, 51506, to: client, 8080)
        XCTAssertEqual(copies.classify(sent, outgoing: false, at: start), .own)
        let left = request(from: front, 61000, to: client, 8080)
        XCTAssertEqual(copies.classify(left, outgoing: true, at: start + 20_000), .translates(front: asTakenBack(sent)))
        XCTAssertEqual(copies.byName, ["client 10.207.0.2 -> 10.208.0.254": 1])
    }

    func testOnlyARequestReceivedAndThenSentWithOneEndpointChangedIsATranslation() {
        let addressed = request(from: client, to: front, 19763)
        let reached = request(from: client, to: server, 9763)
        func verdict(_ first: TCPSegment, outgoing firstOutgoing: Bool, _ second: TCPSegment, outgoing: Bool = true,
                     after delay: Int64 = 30_000) -> TranslatedCopies.Verdict {
            var copies = memory()
            _ = copies.classify(first, outgoing: firstOutgoing, at: start)
            return copies.classify(second, outgoing: outgoing, at: start + delay)
        }
        XCTAssertEqual(verdict(addressed, outgoing: true, reached), .own,
                       "both sent: a scanner's probes to two hosts, which may repeat one sequence number")
        XCTAssertEqual(verdict(addressed, outgoing: false, reached, outgoing: false), .own, "both received")
        XCTAssertEqual(verdict(addressed, outgoing: false, addressed), .own,
                       "nothing changed: forwarded, a copy for InterfaceCopies")
        XCTAssertEqual(verdict(addressed, outgoing: false, request(from: front, 61000, to: server, 9763)),
                       .translates(front: asTakenBack(addressed)), "both endpoints changed: a NodePort, masqueraded")
        XCTAssertEqual(verdict(addressed, outgoing: false, request(from: front, 61000, to: server, 9763),
                               after: 5 * millisecond), .own, "both endpoints changed, but not within 2 ms")
        XCTAssertEqual(verdict(addressed, outgoing: false, request(from: client, to: server, 9763, sequence: 1)), .own)
        XCTAssertEqual(verdict(addressed, outgoing: false, request(from: client, to: server, 9763, identity: 0x5B93)), .own,
                       "another IPv4 identification")
        XCTAssertEqual(verdict(addressed, outgoing: false, request(from: client, to: server, 9763, flags: [.syn, .ack])),
                       .own, "an answer is not a request")
        XCTAssertEqual(verdict(addressed, outgoing: false, reached, after: 80 * millisecond), .own, "past 67 ms")
        XCTAssertEqual(verdict(addressed, outgoing: false, reached, after: 60 * millisecond), .translates(front: asTakenBack(addressed)))
    }

    func testARequestIsTranslatedOnceAndItsRetransmissionStaysInTheViewItBelongsTo() {
        var copies = memory()
        let addressed = request(from: client, to: front, 19763)
        let reached = request(from: client, to: server, 9763)
        _ = copies.classify(addressed, outgoing: false, at: start)
        XCTAssertEqual(copies.classify(reached, outgoing: true, at: start + 1000), .translates(front: asTakenBack(addressed)))
        XCTAssertEqual(copies.classify(reached, outgoing: true, at: start + 2000), .own, "its own copy on a third interface")
        XCTAssertEqual(copies.classify(addressed, outgoing: false, at: start + 1000 * millisecond), .front,
                       "the client's retransmission, a second later")
    }

    func testOtherLinkTypesAreNotLookedAt() {
        XCTAssertFalse(TranslatedCopies(for: PacketDecoder(linkType: .ethernet)).isActive)
        XCTAssertTrue(TranslatedCopies(for: PacketDecoder(linkType: .linuxSLL)).isActive)
        XCTAssertFalse(TranslatedCopies().isActive)
    }

    func testTranslationsPastTheLimitAreCountedAsOther() {
        var copies = memory()
        let limit = TranslatedCopies.translationLimit
        for index in 0..<(limit + 3) {
            let port = UInt16(20000 + index)
            let sequence = UInt32(index + 1)
            _ = copies.classify(numbered(to: front, port, sequence: sequence), outgoing: false, at: start)
            _ = copies.classify(numbered(to: server, 9763, sequence: sequence), outgoing: true, at: start + 1000)
        }
        XCTAssertEqual(copies.translations.count, limit)
        XCTAssertEqual(copies.otherTranslations, 3)
        XCTAssertEqual(copies.byName["other"], 3)
        XCTAssertEqual(copies.byName.values.reduce(0, +), UInt64(limit + 3))
    }

    func testFrontsPastTheLimitForgetTheIdlestHalf() {
        var copies = memory()
        let limit = TranslatedCopies.frontLimit
        for index in 0..<limit {
            let sequence = UInt32(index + 1)
            let time = start + Int64(index) * 1000
            _ = copies.classify(numbered(sourcePort: UInt16(truncatingIfNeeded: index), to: front, 19763, sequence: sequence),
                                outgoing: false, at: time)
            _ = copies.classify(numbered(sourcePort: UInt16(truncatingIfNeeded: index), to: server, 9763, sequence: sequence),
                                outgoing: true, at: time + 10)
        }
        XCTAssertEqual(copies.frontCount, limit)
        _ = copies.classify(numbered(from: IPAddress(ipv4: 0x0AD0_0002), to: front, 19763, sequence: 0xFFFF_0000),
                            outgoing: false, at: start + Int64(limit) * 1000)
        _ = copies.classify(numbered(from: IPAddress(ipv4: 0x0AD0_0002), to: server, 9763, sequence: 0xFFFF_0000),
                            outgoing: true, at: start + Int64(limit) * 1000 + 10)
        XCTAssertEqual(copies.frontCount, limit / 2 + 1)
        let newest = numbered(sourcePort: UInt16(truncatingIfNeeded: limit - 1), to: front, 19763, sequence: 0, flags: .ack)
        XCTAssertEqual(copies.classify(newest, outgoing: false, at: start + Int64(limit) * 1000 + 20), .front)
        let oldest = numbered(sourcePort: 0, to: front, 19763, sequence: 0, flags: .ack)
        XCTAssertEqual(copies.classify(oldest, outgoing: false, at: start + Int64(limit) * 1000 + 30), .own,
                       "forgotten: audited as a connection of its own, as without translations")
    }

    /// A request of its own numbers: its identification is its sequence number's low bits.
    private func numbered(from source: IPAddress? = nil, sourcePort: UInt16 = 37348, to destination: IPAddress,
                          _ destinationPort: UInt16, sequence: UInt32, flags: TCPFlags = .syn) -> TCPSegment {
        request(from: source ?? client, sourcePort, to: destination, destinationPort, sequence: sequence,
                identity: UInt16(truncatingIfNeeded: sequence), flags: flags)
    }
}
