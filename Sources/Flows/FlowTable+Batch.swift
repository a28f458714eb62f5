import Wire

/// A decoded segment with its packet's time and wire length: what a reader hands the
/// table in batches. BitwiseCopyable: a pipelined reader's ring holds these in raw memory,
/// written in place and never deinitialized.
@frozen
public struct TimedSegment: Sendable, BitwiseCopyable {
    public var segment: TCPSegment
    public var timestamp: Int64
    public var wireLength: UInt32

    @inlinable
    public init(segment: TCPSegment, timestamp: Int64, wireLength: UInt32) {
        self.segment = segment
        self.timestamp = timestamp
        self.wireLength = wireLength
    }
}

extension FlowTable {
    /// Adds `batch` in order, as `add(_:timestamp:wireLength:)` would one by one (the
    /// tracking thread of a pipelined reader gets its segments in batches).
    ///
    /// Prefetching each group's index slots and records before using them was tried
    /// here (design.md, "Performance"): the extra pass cost more than the cache misses
    /// it hid, so this is a plain loop.
    public mutating func add(_ batch: UnsafeBufferPointer<TimedSegment>) {
        for entry in batch {
            add(entry.segment, timestamp: entry.timestamp, wireLength: entry.wireLength)
        }
    }

    /// Adds `batch` with each segment's payload sample (the reading thread's copy of the
    /// first bytes of its payload, `samples[i]` for `batch[i]`; untouched where a segment
    /// carried none).
    public mutating func add(_ batch: UnsafeBufferPointer<TimedSegment>, samples: UnsafePointer<PayloadSample>) {
        for index in batch.indices {
            let entry = batch[index]
            if entry.segment.payloadLength == 0 {
                add(entry.segment, timestamp: entry.timestamp, wireLength: entry.wireLength)
            } else {
                samples[index].withBytes { payload in
                    add(entry.segment, payload: payload, timestamp: entry.timestamp, wireLength: entry.wireLength)
                }
            }
        }
    }
}
