import Flows
import Wire

/// Segments a reading thread that tracks its own connections gathers and adds to its table
/// a batch at a time, once the table is large enough for the batch loop to prefetch
/// (`FlowTable.add(_:samples:)`, `FlowTable.prefetches`): each lookup of a large table
/// otherwise waits for two or three cache misses in turn. Used where no tracking thread
/// takes the segments: one thread per input when several are read at once, whole-packet
/// captures whose second core hashes (`ReaderShare.readerKeepsAll`), `--threads 1`, a live
/// capture.
///
/// While the table is small, segments go straight in (copying them into the batch would
/// cost more than the prefetching saves); either way they are added in the order they
/// came. Allocated once per input, nothing per packet.
final class SegmentBatch {
    /// Segments per batch: many times the prefetch distance, few enough to stay in the cache.
    static let capacity = 256

    /// Whether segments are gathered at all; false: each goes straight in (the one-by-one
    /// reference tests compare the batches with, `CaptureReader.tracksInBatches`).
    private let gathers: Bool
    private let entries: UnsafeMutablePointer<TimedSegment>
    private let samples: UnsafeMutablePointer<PayloadSample>
    private var count = 0

    init(gathering: Bool = true) {
        gathers = gathering
        entries = .allocate(capacity: Self.capacity)
        samples = .allocate(capacity: Self.capacity)
        samples.initialize(repeating: PayloadSample(), count: Self.capacity)
    }

    deinit {
        entries.deallocate()
        samples.deallocate()
    }

    /// Adds a segment to `table`: now, or with the batch once it is full (`flush`).
    @inline(__always)
    func add(_ segment: TCPSegment, payload: UnsafeRawBufferPointer, timestamp: Int64, wireLength: UInt32,
             to table: inout FlowTable) {
        if count == 0 && !(gathers && table.prefetches) {
            table.add(segment, payload: payload, timestamp: timestamp, wireLength: wireLength)
            return
        }
        TimedSegment.store(segment, payload: payload, timestamp: timestamp, wireLength: wireLength,
                           in: entries + count, sample: samples + count)
        count &+= 1
        if count == Self.capacity { flush(into: &table) }
    }

    /// Adds the segments gathered so far to `table`: when the input ends, before the table
    /// is read.
    /// Takes back `segment`'s connection (`FlowTable.retract`) after the segments gathered.
    func retract(_ segment: TCPSegment, from table: inout FlowTable) {
        flush(into: &table)
        table.retract(segment)
    }

    func flush(into table: inout FlowTable) {
        guard count > 0 else { return }
        table.add(UnsafeBufferPointer(start: entries, count: count), samples: samples)
        count = 0
    }
}
