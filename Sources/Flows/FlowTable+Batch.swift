import Wire

/// A decoded segment with its packet's time and wire length: what a reader hands the
/// table in batches. BitwiseCopyable: a pipelined reader's ring holds these in raw memory,
/// written in place and never deinitialized.
@frozen
public struct TimedSegment: Sendable, BitwiseCopyable {
    public var segment: TCPSegment
    public var timestamp: Int64
    public var wireLength: UInt32
    /// Whether this entry takes back the segment's connection (`FlowTable.retract`) rather
    /// than adding the segment: in the padding, so the entry stays 80 bytes.
    public var retracts: Bool

    @inlinable
    public init(segment: TCPSegment, timestamp: Int64, wireLength: UInt32, retracts: Bool = false) {
        self.segment = segment
        self.timestamp = timestamp
        self.wireLength = wireLength
        self.retracts = retracts
    }
}

extension FlowTable {
    /// Adds `batch` in order, as `add(_:timestamp:wireLength:)` would one by one (the
    /// tracking thread of a pipelined reader gets its segments in batches).
    public mutating func add(_ batch: UnsafeBufferPointer<TimedSegment>) {
        for entry in batch {
            if entry.retracts { retract(entry.segment); continue }
            add(entry.segment, timestamp: entry.timestamp, wireLength: entry.wireLength)
        }
    }

    /// Adds `batch` with each segment's payload sample (the reading thread's copy of the
    /// first bytes of its payload, `samples[i]` for `batch[i]`; untouched where a segment
    /// carried none), in order, as one by one. Nothing in the loop copies the table, so the
    /// storage is made unique once for the whole batch.
    ///
    /// With more records than one core's cache holds (`prefetchingFrom`), a lookup costs
    /// two dependent cache misses (the index slot, then the record) and the packet a third
    /// (its last-seen time): the loop asks for segment i + 2d's index slot, then for
    /// segment i + d's record (reading the slot asked for d segments before), while it
    /// adds segment i, so that the misses of 2d segments overlap instead of coming one
    /// after another. Each tag is worked out once, when first asked for, and kept in a
    /// ring until its segment is added. Measured (docs/performance-log.md, "Prefetching the
    /// connection table"): a fifth less CPU with 50,000 connections open; nothing gained,
    /// and a little lost, on a table that fits in the cache, hence the threshold.
    public mutating func add(_ batch: UnsafeBufferPointer<TimedSegment>, samples: UnsafePointer<PayloadSample>) {
        makeStorageUnique()
        guard storage.count >= FlowTable.prefetchingFrom else {
            for index in batch.indices {
                let (key, fromA) = FlowTable.key(of: batch[index].segment)
                add(batch[index], key: key, fromA: fromA, tag: storage.tag(key), sample: samples + index)
            }
            return
        }
        let distance = FlowTable.prefetchDistance, count = batch.count
        // 128 bytes: on the stack (`withUnsafeTemporaryAllocation` allocates on the heap
        // only above 1 KiB), so nothing is allocated per batch either.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: FlowTable.tagRing) { tags in
            let mask = FlowTable.tagRing &- 1
            for step in 0..<(count &+ 2 &* distance) {
                if step < count {
                    let tag = storage.tag(FlowTable.key(of: batch[step].segment).key)
                    tags[step & mask] = tag
                    storage.prefetchSlot(tag: tag)
                }
                let near = step &- distance
                if near >= 0 && near < count {
                    // Unretained: a call into C (the prefetch) otherwise keeps the storage
                    // retained across it, an atomic increment and decrement per segment.
                    Unmanaged.passUnretained(storage)._withUnsafeGuaranteedRef { storage in
                        storage.prefetchRecord(tag: tags[near & mask])
                    }
                }
                let current = near &- distance
                if current >= 0 {
                    let (key, fromA) = FlowTable.key(of: batch[current].segment)
                    add(batch[current], key: key, fromA: fromA, tag: tags[current & mask], sample: samples + current)
                }
            }
        }
    }

    /// Whether the batch loop prefetches for this table now (`prefetchingFrom`): whether a
    /// reader gains by handing its segments over in batches.
    @inlinable public var prefetches: Bool { storage.count >= FlowTable.prefetchingFrom }

    /// Records from which the batch loop prefetches: 16,384 records are 2 MiB, one core's
    /// L2 cache here. Below, the records a batch touches are mostly in the cache already,
    /// and the prefetching pass cost more than it saved (the cluster shape, about 7,000
    /// records in the tracking thread's table).
    @inlinable static var prefetchingFrom: Int { 16_384 }
    /// Segments between asking for a slot and asking for its record, and between asking
    /// for a record and using it: 8 measured best of 4, 8 and 16.
    @inlinable static var prefetchDistance: Int { 8 }
    /// Tags kept by the batch loop: a power of two above twice `prefetchDistance`.
    @inlinable static var tagRing: Int { 32 }

    @inline(__always)
    private mutating func add(_ entry: TimedSegment, key: ConnectionKey, fromA: Bool, tag: UInt32,
                              sample: UnsafePointer<PayloadSample>) {
        if entry.retracts {
            retract(entry.segment)
        } else {
            // One call, its payload the sample's bytes where they lie (valid for the batch):
            // two calls, one in `withBytes`' closure, were two copies of the inlined
            // per-segment path, and with the sequence tracking (`trackSequence`) the loop
            // no longer took them in.
            let payload = entry.segment.payloadLength == 0 ? UnsafeRawBufferPointer(start: nil, count: 0)
                : PayloadSample.bytes(at: sample)
            addToUniqueStorage(entry.segment, key: key, fromA: fromA, tag: tag, payload: payload,
                               timestamp: entry.timestamp, wireLength: entry.wireLength)
        }
    }
}
