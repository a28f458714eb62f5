@testable import CaptureEngine
import Flows
import Wire
import XCTest

/// The tracking thread of a pipelined reader gets every segment handed over, whatever the
/// last batch holds (full, partial or nothing).
final class SegmentPipelineTests: XCTestCase {
    func testEverySegmentReachesTheTableWhateverTheLastBatchHolds() {
        let size = SegmentPipeline.batchSize
        for count in [0, 1, size - 1, size, size + 1, 2 * size, SegmentPipeline.batches * size + 3] {
            let pipeline = SegmentPipeline(table: FlowTable())
            pipeline.start()
            for index in 0..<count {
                // One connection per segment: each a client port of its own.
                let segment = TCPSegment(source: IPAddress(ipv4: 0x0A00_0001), destination: IPAddress(ipv4: 0x0A00_0002),
                                         sourcePort: UInt16(1024 + index % 60000), destinationPort: UInt16(7079 + index / 60000),
                                         flags: .syn)
                pipeline.push(segment, payload: UnsafeRawBufferPointer(start: nil, count: 0), timestamp: Int64(index),
                              wireLength: 60)
            }
            XCTAssertEqual(pipeline.finish().count, count, "\(count) segments handed over")
        }
    }
}
