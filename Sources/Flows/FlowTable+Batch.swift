import CPrefetch
import Wire

/// A decoded segment with its packet's time and wire length: what a reader hands the
/// table in batches.
@frozen
public struct TimedSegment: Sendable {
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
    /// Packets looked up together: their index slots, then their records, are asked for
    /// ahead of use, so the cache misses of a group overlap instead of following each other.
    @usableFromInline static var prefetchGroup: Int { 16 }

    /// Adds `batch` in order, as `add(_:timestamp:wireLength:)` would one by one.
    ///
    /// With many connections open, a lookup costs two cache misses one after the other (the
    /// index slot, then the record). Here each group of 16 packets first has its slots
    /// prefetched, then the records its slots point to, and only then is added: the misses
    /// of the group overlap. The prefetches are hints (a record may move before it is used:
    /// then the hint was wasted, nothing more).
    public mutating func add(_ batch: UnsafeBufferPointer<TimedSegment>) {
        guard let base = batch.baseAddress else { return }
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let group = FlowTable.prefetchGroup
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: group) { tags in
            var start = 0
            while start < batch.count {
                let end = Swift.min(start + group, batch.count)
                let storage = self.storage
                for index in start..<end {
                    let segment = base[index].segment
                    let source = Endpoint(address: segment.source, port: segment.sourcePort)
                    let destination = Endpoint(address: segment.destination, port: segment.destinationPort)
                    let key = FlowTable.precedes(source, destination)
                        ? ConnectionKey(a: source, b: destination) : ConnectionKey(a: destination, b: source)
                    let tag = storage.tag(key)
                    tags[index - start] = tag
                    dasaudit_prefetch(storage.slots + storage.home(tag))
                }
                for index in start..<end {
                    let tag = tags[index - start]
                    let slot = storage.slots[storage.home(tag)]
                    if slot != 0 && UInt32(truncatingIfNeeded: slot &>> 32) == tag {
                        let record = UnsafeRawPointer(storage.records + (Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) &- 1))
                        dasaudit_prefetch(record)
                        dasaudit_prefetch(record + 64)
                    }
                }
                for index in start..<end {
                    let entry = base[index]
                    add(entry.segment, timestamp: entry.timestamp, wireLength: entry.wireLength)
                }
                start = end
            }
        }
    }
}
