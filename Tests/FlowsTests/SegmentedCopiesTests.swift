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

    func testOtherLinkTypesAreNotLookedAt() {
        XCTAssertFalse(SegmentedCopies(for: PacketDecoder(linkType: .ethernet)).isActive)
        XCTAssertTrue(SegmentedCopies(for: PacketDecoder(linkType: .linuxSLL)).isActive)
        XCTAssertFalse(SegmentedCopies().isActive)
    }
}
