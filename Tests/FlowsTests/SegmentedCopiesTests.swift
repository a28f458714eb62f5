@testable import Flows
import Wire
import XCTest

/// How a capture on every interface tells the pieces of a large segment, cut by the host
/// that forwarded it (GSO), from segments of their own.
final class SegmentedCopiesTests: XCTestCase {
    let millisecond: Int64 = 1_000_000
    let start: Int64 = 1_764_800_000 * 1_000_000_000
    let server = IPAddress(ipv4: 0x0AD8_0002)  // 10.216.0.2
    let client = IPAddress(ipv4: 0x0AD7_0001)  // 10.215.0.1

    private func data(sequence: UInt32, length: UInt32, ack: UInt32 = 77) -> TCPSegment {
        TCPSegment(source: server, destination: client, sourcePort: 9763, destinationPort: 40000, flags: [.ack, .psh],
                   sequenceNumber: sequence, acknowledgmentNumber: ack, payloadLength: length)
    }

    private func memory() -> SegmentedCopies { SegmentedCopies(for: PacketDecoder(linkType: .linuxSLL2)) }

    func testThePiecesOfALargeSegmentReceivedAreCopies() {
        var copies = memory()
        XCTAssertFalse(copies.isPiece(data(sequence: 1000, length: 65_160), outgoing: false, at: start))
        for index in 0..<45 {
            let piece = data(sequence: 1000 + UInt32(index) * 1448, length: 1448)
            XCTAssertTrue(copies.isPiece(piece, outgoing: true, at: start + 30_000), "piece \(index)")
        }
        XCTAssertFalse(copies.isPiece(data(sequence: 1000 + 45 * 1448, length: 1448), outgoing: true, at: start + 40_000),
                       "past the segment's end: a segment of its own")
    }

    func testOnlyASegmentReceivedThenPiecesSentWithTheSameNumbersAreCopies() {
        func piece(after whole: TCPSegment, wholeOutgoing: Bool = false, _ piece: TCPSegment, outgoing: Bool = true,
                   delay: Int64 = 30_000) -> Bool {
            var copies = memory()
            _ = copies.isPiece(whole, outgoing: wholeOutgoing, at: start)
            return copies.isPiece(piece, outgoing: outgoing, at: start + delay)
        }
        let whole = data(sequence: 1000, length: 20_000)
        XCTAssertTrue(piece(after: whole, data(sequence: 2448, length: 1448)))
        XCTAssertFalse(piece(after: whole, wholeOutgoing: true, data(sequence: 2448, length: 1448)),
                       "a large segment this host sent: its own, cut by no one here")
        XCTAssertFalse(piece(after: whole, data(sequence: 2448, length: 1448), outgoing: false),
                       "received: a retransmission from the sender")
        XCTAssertFalse(piece(after: whole, data(sequence: 2448, length: 1448, ack: 78)), "another acknowledgment")
        XCTAssertFalse(piece(after: whole, data(sequence: 2448, length: 1448), delay: 80 * millisecond), "past 67 ms")
        XCTAssertFalse(piece(after: data(sequence: 1000, length: 1448), data(sequence: 1000, length: 1000)),
                       "a segment an MTU holds is not remembered")
        XCTAssertTrue(piece(after: data(sequence: 0xFFFF_F000, length: 20_000), data(sequence: 0x0000_1000, length: 1448)),
                      "the sequence space wraps inside the segment")
    }

    /// A host that receives the next large segment before it has sent all the pieces of the
    /// last sends the pieces of both in turn, with the same acknowledgment number (as in
    /// `captures/segmented-interleaved-any-sll2.pcap`: the last 16 pieces of a 65,160-byte
    /// segment between the first of the 65,160 bytes after it). Every piece of both is a
    /// copy; with one segment remembered per hash, those of the first were counted on top of it.
    func testThePiecesOfTwoSegmentsSentInTurnAreCopies() {
        var copies = memory()
        let (first, second): (UInt32, UInt32) = (1000, 1000 + 45 * 1428)
        XCTAssertFalse(copies.isPiece(data(sequence: first, length: 45 * 1428), outgoing: false, at: start))
        XCTAssertFalse(copies.isPiece(data(sequence: second, length: 26 * 1428), outgoing: false, at: start + 30_000))
        for index in 0..<45 {
            let time = start + 40_000 + Int64(index) * 1_000
            let piece = data(sequence: first + UInt32(index) * 1428, length: 1428)
            XCTAssertTrue(copies.isPiece(piece, outgoing: true, at: time), "piece \(index) of the first")
            guard index < 26 else { continue }
            let next = data(sequence: second + UInt32(index) * 1428, length: 1428)
            XCTAssertTrue(copies.isPiece(next, outgoing: true, at: time + 500), "piece \(index) of the second")
        }
        XCTAssertFalse(copies.isPiece(data(sequence: second + 26 * 1428, length: 1428), outgoing: true, at: start + 90_000),
                       "past the second segment's end: a segment of its own")
    }

    /// The last piece of a segment sent after the next segment was received (seen in a real
    /// recording: one piece of 1,428 bytes after a 28,924-byte segment came in).
    func testALastPieceSentAfterTheNextSegmentCameIsACopy() {
        var copies = memory()
        XCTAssertFalse(copies.isPiece(data(sequence: 1000, length: 2 * 1428), outgoing: false, at: start))
        XCTAssertTrue(copies.isPiece(data(sequence: 1000, length: 1428), outgoing: true, at: start + 10_000))
        XCTAssertFalse(copies.isPiece(data(sequence: 1000 + 2 * 1428, length: 20 * 1428), outgoing: false, at: start + 20_000))
        XCTAssertTrue(copies.isPiece(data(sequence: 1000 + 1428, length: 1428), outgoing: true, at: start + 30_000))
        XCTAssertTrue(copies.isPiece(data(sequence: 1000 + 2 * 1428, length: 1428), outgoing: true, at: start + 40_000))
    }

    /// A bucket keeps its newest four segments: the pieces of a fifth-newest one with the
    /// same numbers are counted as before, those of the four after it still found.
    func testTheNewestFourSegmentsOfAHashAreRemembered() {
        var copies = memory()
        let length: UInt32 = 10 * 1428
        for index in 0..<5 {
            let whole = data(sequence: 1000 + UInt32(index) * length, length: length)
            XCTAssertFalse(copies.isPiece(whole, outgoing: false, at: start + Int64(index) * 1_000))
        }
        XCTAssertFalse(copies.isPiece(data(sequence: 1000, length: 1428), outgoing: true, at: start + 10_000),
                       "the oldest, forgotten")
        for index in 1..<5 {
            let piece = data(sequence: 1000 + UInt32(index) * length, length: 1428)
            XCTAssertTrue(copies.isPiece(piece, outgoing: true, at: start + 10_000), "segment \(index)")
        }
    }

    func testOtherLinkTypesAreNotLookedAt() {
        XCTAssertFalse(SegmentedCopies(for: PacketDecoder(linkType: .ethernet)).isActive)
        XCTAssertTrue(SegmentedCopies(for: PacketDecoder(linkType: .linuxSLL)).isActive)
        XCTAssertFalse(SegmentedCopies().isActive)
    }
}
