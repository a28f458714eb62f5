import Flows
import Wire

/// The segments of the reading thread's own share of a pipelined input (`TrackingSplit`),
/// gathered into batches once its table outgrows the cache, so that they get the same
/// prefetching loop as the tracking thread's (`FlowTable.add(_:samples:)`). Added one at a
/// time, each lookup in a large table waited for its misses: that share, 40% of the
/// connections, set the pace on the shapes with many connections open.
///
/// A packet's bytes are libpcap's only until the next read, so each segment and the first
/// bytes of its payload are copied (`TimedSegment.store`), as `SegmentPipeline.push` does. While the table is
/// small, segments go straight in: the copy would cost more than the prefetch saves.
/// Allocated once per input; no allocation per packet.
final class ReaderBatch {
    /// Segments per batch: a few times the prefetch's lookahead, small enough to stay in L1/L2.
    static let capacity = 256

    private let entries: UnsafeMutablePointer<TimedSegment>
    private let samples: UnsafeMutablePointer<PayloadSample>
    private var count = 0

    init() {
        entries = .allocate(capacity: Self.capacity)
        samples = .allocate(capacity: Self.capacity)
        samples.initialize(repeating: PayloadSample(), count: Self.capacity)
    }

    deinit {
        entries.deallocate()
        samples.deallocate()
    }

    /// Adds the segment to `table`, now or with its batch.
    @inline(__always)
    func add(_ segment: TCPSegment, payload: UnsafeRawBufferPointer, timestamp: Int64, wireLength: UInt32,
             to table: inout FlowTable) {
        if count == 0 && !table.prefetches {
            table.add(segment, payload: payload, timestamp: timestamp, wireLength: wireLength)
            return
        }
        TimedSegment.store(segment, payload: payload, timestamp: timestamp, wireLength: wireLength,
                           in: entries + count, sample: samples + count)
        count &+= 1
        if count == Self.capacity { flush(into: &table) }
    }

    /// Adds the segments gathered so far: before anything else reads `table`.
    func flush(into table: inout FlowTable) {
        guard count > 0 else { return }
        table.add(UnsafeBufferPointer(start: entries, count: count), samples: samples)
        count = 0
    }
}
