@testable import CaptureEngine
@testable import Flows
import Wire
import XCTest

/// The segments of an input whose packets name several interfaces are tracked in time
/// order (`TimeOrderBuffer`), whatever order the file wrote them in.
final class TimeOrderBufferTests: XCTestCase {
    func segment(_ port: UInt16, payload: UInt32 = 0) -> TCPSegment {
        TCPSegment(source: IPAddress(ipv4: 0x0A00_0001), destination: IPAddress(ipv4: 0x0A00_0002), sourcePort: port,
                   destinationPort: 9763, flags: [.ack], sequenceNumber: 1, payloadLength: payload)
    }

    /// Drains `buffer` as the input's end does: the ports of the segments, in the order given.
    func drained(_ buffer: inout TimeOrderBuffer) -> [UInt16] {
        var ports: [UInt16] = []
        while let (entry, _) = buffer.release(all: true) { ports.append(entry.segment.sourcePort) }
        return ports
    }

    /// Two interfaces' batches written one after the other (dumpcap), their packets
    /// interleaved in time: given back interleaved, packets of one time in the order they came.
    func testBatchesOfTwoInterfacesComeBackInTimeOrder() {
        var buffer = TimeOrderBuffer()
        let written: [(port: UInt16, time: Int64)] = [(1, 10), (3, 30), (5, 50), (2, 20), (4, 30), (6, 60)]
        for (port, time) in written {
            withUnsafeBytes(of: 0) { buffer.hold(segment(port), payload: $0, timestamp: time, wireLength: 60) }
            XCTAssertNil(buffer.release(), "nothing is due within the window")
        }
        XCTAssertEqual(drained(&buffer), [1, 2, 3, 4, 5, 6])
        XCTAssertTrue(buffer.isEmpty)
    }

    /// A segment is held until the latest packet is a window later, and no longer.
    func testASegmentIsDueAWindowAfterItsTime() {
        var buffer = TimeOrderBuffer()
        withUnsafeBytes(of: 0) { buffer.hold(segment(1), payload: $0, timestamp: 0, wireLength: 60) }
        withUnsafeBytes(of: 0) { buffer.hold(segment(2), payload: $0, timestamp: TimeOrderBuffer.window - 1, wireLength: 60) }
        XCTAssertNil(buffer.release())
        withUnsafeBytes(of: 0) { buffer.hold(segment(3), payload: $0, timestamp: TimeOrderBuffer.window, wireLength: 60) }
        XCTAssertEqual(buffer.release()?.0.segment.sourcePort, 1)
        XCTAssertNil(buffer.release())
        XCTAssertEqual(drained(&buffer), [2, 3])
    }

    /// A packet more than a window before the latest is a clock stepped back, not a batch
    /// written late: told, so that what is held is tracked before it.
    func testAStepBackOfTheClockIsTold() {
        var buffer = TimeOrderBuffer()
        XCTAssertFalse(buffer.stepsBack(to: 0), "nothing held yet")
        withUnsafeBytes(of: 0) { buffer.hold(segment(1), payload: $0, timestamp: 7_200_000_000_000, wireLength: 60) }
        XCTAssertFalse(buffer.stepsBack(to: 7_200_000_000_000 - TimeOrderBuffer.window), "within the window")
        XCTAssertTrue(buffer.stepsBack(to: 7_200_000_000_000 - TimeOrderBuffer.window - 1))
        XCTAssertEqual(drained(&buffer), [1])
        buffer.startOver()
        XCTAssertFalse(buffer.stepsBack(to: 0), "held from the step on")
    }

    /// At most `capacity` segments are held: one more releases the earliest.
    func testNoMoreThanTheCapacityIsHeld() {
        var buffer = TimeOrderBuffer()
        for index in 0...TimeOrderBuffer.capacity {
            withUnsafeBytes(of: 0) {
                buffer.hold(segment(UInt16(truncatingIfNeeded: index)), payload: $0, timestamp: Int64(index), wireLength: 60)
            }
        }
        XCTAssertEqual(buffer.release()?.0.timestamp, 0)
        XCTAssertNil(buffer.release())
    }

    /// A held segment's payload sample is its first bytes, as the table would have taken them.
    func testTheSampleIsThePayloadsFirstBytes() {
        var buffer = TimeOrderBuffer()
        let request = Array("GET / HTTP/1.1\r\nHost: das\r\n\r\n".utf8)
        request.withUnsafeBytes {
            buffer.hold(segment(1, payload: UInt32(request.count)), payload: $0, timestamp: 5, wireLength: 100)
        }
        guard let (entry, sample) = buffer.release(all: true) else { return XCTFail("held") }
        XCTAssertEqual(entry.timestamp, 5)
        XCTAssertEqual(entry.wireLength, 100)
        XCTAssertEqual(sample.withBytes { Array($0) }, request)
        XCTAssertFalse(sample.isCutByCapture)
    }
}
