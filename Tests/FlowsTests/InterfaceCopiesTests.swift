@testable import Flows
import Wire
import XCTest

/// How a capture on every interface tells a copy of a packet (the same packet captured
/// again where it crossed another interface) from a packet of its own.
final class InterfaceCopiesTests: XCTestCase {
    let millisecond: Int64 = 1_000_000
    let start: Int64 = 1_764_800_000 * 1_000_000_000

    private func segment(sequence: UInt32 = 1000, identity: UInt32 = 0x1234_0000,
                         flags: TCPFlags = [.ack, .psh]) -> TCPSegment {
        TCPSegment(source: IPAddress(ipv4: 0x0ACD_0001), destination: IPAddress(ipv4: 0x0ACD_0002),
                   sourcePort: 40000, destinationPort: 9763, flags: flags, sequenceNumber: sequence,
                   acknowledgmentNumber: 77, payloadLength: 100, copyIdentity: identity)
    }

    private func sll2() -> InterfaceCopies { InterfaceCopies(for: PacketDecoder(linkType: .linuxSLL2)) }

    func testTheSamePacketOnAnotherInterfaceMomentsLaterIsACopy() {
        var copies = sll2()
        XCTAssertFalse(copies.isCopy(segment(), interface: 3, at: start))
        XCTAssertTrue(copies.isCopy(segment(), interface: 4, at: start + 20_000))
        XCTAssertTrue(copies.isCopy(segment(), interface: 2, at: start + 40_000), "a third interface: a copy too")
    }

    func testTheSamePacketOnTheSameInterfaceIsARetransmissionNotACopy() {
        var copies = sll2()
        XCTAssertFalse(copies.isCopy(segment(), interface: 3, at: start))
        XCTAssertFalse(copies.isCopy(segment(), interface: 3, at: start + millisecond))
        XCTAssertTrue(copies.isCopy(segment(), interface: 4, at: start + 2 * millisecond),
                      "the retransmission's own copy")
    }

    func testAnotherIdentityNumberOrControlBitIsAnotherPacket() {
        var copies = sll2()
        XCTAssertFalse(copies.isCopy(segment(), interface: 3, at: start))
        XCTAssertFalse(copies.isCopy(segment(identity: 0x1235_0000), interface: 4, at: start + 1000),
                       "a new IPv4 identification: a retransmission")
        XCTAssertFalse(copies.isCopy(segment(sequence: 1100), interface: 4, at: start + 2000))
        XCTAssertFalse(copies.isCopy(segment(flags: [.ack, .fin]), interface: 4, at: start + 3000))
    }

    func testACopyComesWithinTheWindowOrIsCountedAgain() {
        var copies = sll2()
        XCTAssertFalse(copies.isCopy(segment(), interface: 3, at: start))
        XCTAssertTrue(copies.isCopy(segment(), interface: 4, at: start + 60 * millisecond))
        var queued = sll2()
        XCTAssertFalse(queued.isCopy(segment(), interface: 3, at: start))
        XCTAssertTrue(queued.isCopy(segment(), interface: 4, at: start + 400 * millisecond),
                      "held in a shaped link's queue: named interfaces wait 1.07 s")
        var late = sll2()
        XCTAssertFalse(late.isCopy(segment(), interface: 3, at: start))
        XCTAssertFalse(late.isCopy(segment(), interface: 4, at: start + 1100 * millisecond), "past 1.07 s")
        var unnamed = InterfaceCopies(for: PacketDecoder(linkType: .linuxSLL))
        XCTAssertFalse(unnamed.isCopy(segment(), interface: nil, at: start))
        XCTAssertFalse(unnamed.isCopy(segment(), interface: nil, at: start + 80 * millisecond),
                       "interfaces not named: past 67 ms, where a retransmission may come")
        var early = sll2()
        XCTAssertFalse(early.isCopy(segment(), interface: 3, at: start))
        XCTAssertTrue(early.isCopy(segment(), interface: 4, at: start - 10_000),
                      "stamped a little before: copies reach the capture from several CPUs")
        var muchEarlier = sll2()
        XCTAssertFalse(muchEarlier.isCopy(segment(), interface: 3, at: start))
        XCTAssertFalse(muchEarlier.isCopy(segment(), interface: 4, at: start - 5 * millisecond))
    }

    func testWithoutInterfaceIndexesTheSignatureAndTimeDecide() {
        var copies = InterfaceCopies(for: PacketDecoder(linkType: .linuxSLL))
        XCTAssertTrue(copies.isActive)
        XCTAssertFalse(copies.isCopy(segment(), interface: nil, at: start))
        XCTAssertTrue(copies.isCopy(segment(), interface: nil, at: start + 30_000))
        XCTAssertFalse(copies.isCopy(segment(identity: 0x1235_0000), interface: nil, at: start + 50_000))
    }

    func testOnlyCapturesOfEveryInterfaceAreLookedAt() {
        XCTAssertTrue(sll2().isActive)
        XCTAssertFalse(InterfaceCopies(for: PacketDecoder(linkType: .ethernet)).isActive)
        XCTAssertFalse(InterfaceCopies().isActive)
    }

    /// Many packets between a packet and its copy (dumpcap writes each interface's packets
    /// in batches): a copy finds its original unless four later packets took its bucket.
    /// Of 1,000 packets each copied 1,000 packets later, a bucket of 4,096 holds five of
    /// them with a chance of 3% in all (the seed is random): at most one or two lost.
    func testCopiesAThousandPacketsLaterAreStillTold() {
        var copies = sll2()
        for sequence in 0..<UInt32(1000) {
            XCTAssertFalse(copies.isCopy(segment(sequence: sequence * 100), interface: 3, at: start))
        }
        var told = 0
        for sequence in 0..<UInt32(1000) where copies.isCopy(segment(sequence: sequence * 100), interface: 4, at: start + 1000) {
            told += 1
        }
        XCTAssertGreaterThanOrEqual(told, 995)
    }

    /// A bucket keeps its newest four: the fifth packet of a bucket pushes the first out.
    /// Found by trying signatures until five share the first one's bucket.
    func testTheFifthPacketOfABucketPushesTheFirstOut() {
        var copies = sll2()
        var sharing: [TCPSegment] = []
        let first = segment(sequence: 0)
        let bucket = InterfaceCopies.bucket(of: first)
        var sequence: UInt32 = 1
        while sharing.count < 4 {
            let candidate = segment(sequence: sequence)
            if InterfaceCopies.bucket(of: candidate) == bucket { sharing.append(candidate) }
            sequence &+= 1
        }
        XCTAssertFalse(copies.isCopy(first, interface: 3, at: start))
        for other in sharing.prefix(3) { XCTAssertFalse(copies.isCopy(other, interface: 3, at: start)) }
        XCTAssertTrue(copies.isCopy(first, interface: 4, at: start + 1000), "four in the bucket: the first is still there")
        XCTAssertFalse(copies.isCopy(sharing[3], interface: 3, at: start))
        XCTAssertFalse(copies.isCopy(first, interface: 4, at: start + 2000), "a fifth pushed it out")
    }
}
