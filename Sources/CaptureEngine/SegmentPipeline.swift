import Flows
import Foundation
import Wire

/// Tracks connections on a thread of its own while the reading thread runs libpcap and
/// the decoder: the reading thread hands over decoded segments in batches, so libpcap's
/// copying of each record overlaps the connection table's work. On two cores this takes
/// most of the table's cost off the reading thread, which is the one that sets the pace.
///
/// Single producer, single consumer: a ring of `batches` batches of `batchSize` segments,
/// two semaphores (free batches, filled batches) and nothing else shared; the semaphores
/// order the memory. Everything is allocated up front: no allocation per packet; entries
/// and samples are BitwiseCopyable, overwritten in place and freed without deinitializing.
// Unchecked Sendable: the ring is raw memory that the two threads take turns on, in the
// order the semaphores give; the compiler cannot see that hand-over.
final class SegmentPipeline: @unchecked Sendable {
    typealias Entry = TimedSegment

    /// Segments per batch: each batch wakes the tracking thread at most once, and a
    /// wake-up can cost more than a few hundred segments' work (docs/performance.md).
    static let batchSize = 4096
    static let batches = 8

    /// What the reading thread says of a batch it hands over.
    struct Batch: BitwiseCopyable {
        /// Entries filled, 0 ... `batchSize`.
        var count = 0
        /// Whether it is the last: the tracking thread stops after it.
        var isLast = false
    }

    private let entries: UnsafeMutablePointer<Entry>
    /// The first bytes of each entry's payload (`PayloadSample`), copied only for segments
    /// that carry payload: the packet's bytes are libpcap's again once `push` returns.
    private let samples: UnsafeMutablePointer<PayloadSample>
    private let handedOver: UnsafeMutablePointer<Batch>
    private let free = DispatchSemaphore(value: SegmentPipeline.batches)
    private let filled = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    /// The table, owned by the tracking thread between `init` and `finish`.
    private var table: FlowTable
    // The reading thread's position.
    private var batch = 0
    private var fill = 0
    private var holding = false

    /// A pipeline that will track into `table` (drop your own copy of it before `start`,
    /// so the tracking thread's is the only one and is never copied).
    init(table: FlowTable) {
        entries = .allocate(capacity: Self.batchSize * Self.batches)
        samples = .allocate(capacity: Self.batchSize * Self.batches)
        samples.initialize(repeating: PayloadSample(), count: Self.batchSize * Self.batches)
        handedOver = .allocate(capacity: Self.batches)
        handedOver.initialize(repeating: Batch(), count: Self.batches)
        self.table = table
    }

    /// Starts the tracking thread.
    func start() {
        let thread = Thread { [self] in self.track() }
        thread.name = "dasaudit-track"
        thread.start()
    }

    deinit {
        entries.deallocate()
        samples.deallocate()
        handedOver.deallocate()
    }

    /// Hands one segment over (reading thread).
    @inline(__always)
    func push(_ segment: TCPSegment, payload: UnsafeRawBufferPointer, timestamp: Int64, wireLength: UInt32) {
        let index = claimEntry()
        TimedSegment.store(segment, payload: payload, timestamp: timestamp, wireLength: wireLength,
                           in: entries + index, sample: samples + index)
        entryFilled()
    }

    /// Hands over the taking back of `segment`'s connection (`FlowTable.retract`), in its
    /// place among the segments (reading thread).
    func retract(_ segment: TCPSegment) {
        (entries + claimEntry()).initialize(to: TimedSegment(segment: segment, timestamp: 0, wireLength: 0, retracts: true))
        entryFilled()
    }

    /// The index of the next entry to fill, once a batch is free to fill.
    @inline(__always)
    private func claimEntry() -> Int {
        if !holding {
            free.wait()
            holding = true
        }
        return batch &* Self.batchSize &+ fill
    }

    @inline(__always)
    private func entryFilled() {
        fill &+= 1
        if fill == Self.batchSize { publish(final: false) }
    }

    private func publish(final: Bool) {
        handedOver[batch] = Batch(count: fill, isLast: final)
        filled.signal()
        batch = (batch + 1) % Self.batches
        fill = 0
        holding = false
    }

    /// Hands over the last batch, waits for the tracking thread, and returns the table
    /// (reading thread).
    func finish() -> FlowTable {
        if !holding { free.wait() }
        publish(final: true)
        done.wait()
        // Handed out, not shared: a copy left here would make the caller's first change
        // copy the whole table (copy on write).
        let finished = table
        table = FlowTable()
        return finished
    }

    /// The CPU time the tracking thread used, in seconds; read after `finish`.
    private(set) var trackingCPU = 0.0

    /// The tracking thread: adds each batch's segments to the table.
    private func track() {
        let started = ThreadCPUTime.now()
        var table = self.table
        self.table = FlowTable()
        var index = 0
        while true {
            filled.wait()
            let batch = handedOver[index]
            // Built with `-DDASAUDIT_WITHOUT_TRACKING` (only by `scripts/bench.sh
            // --price-tracking`), each batch is handed back untracked: the benchmark times
            // the rest of the audit (reading, decoding, the hand-over, the evidence hash)
            // without the tracking. Such a build's results are empty.
            #if !DASAUDIT_WITHOUT_TRACKING
            table.add(UnsafeBufferPointer(start: entries + index * Self.batchSize, count: batch.count),
                      samples: samples + index * Self.batchSize)
            #endif
            free.signal()
            if batch.isLast { break }
            index = (index + 1) % Self.batches
        }
        self.table = table
        trackingCPU = ThreadCPUTime.now() - started
        done.signal()
    }
}

extension TimedSegment {
    /// Copies a segment into `entry` and the first bytes of its payload into `sample` (left
    /// as it was when the segment carried none): a packet's bytes are libpcap's only until
    /// the next read, so whatever hands segments on in batches keeps these copies.
    @inline(__always)
    static func store(_ segment: TCPSegment, payload: UnsafeRawBufferPointer, timestamp: Int64, wireLength: UInt32,
                      in entry: UnsafeMutablePointer<TimedSegment>, sample: UnsafeMutablePointer<PayloadSample>) {
        entry.initialize(to: TimedSegment(segment: segment, timestamp: timestamp, wireLength: wireLength))
        if segment.payloadLength != 0 { sample.pointee.take(payload, payloadLength: segment.payloadLength) }
    }
}
