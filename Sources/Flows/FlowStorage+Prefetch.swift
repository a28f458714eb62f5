import CPrefetch

extension FlowStorage {
    /// Asks for the index slot a lookup of the key with `tag` reads first: the first of
    /// the two dependent loads of a lookup (`find`), issued a few segments ahead of it
    /// (`FlowTable.add(_:samples:)`).
    @inlinable @inline(__always)
    func prefetchSlot(tag: UInt32) {
        prefetch_for_write(slots + home(tag))
    }

    /// Asks for the record the index names for the key with `tag` (both of its cache lines)
    /// and for its last-seen time: the second of a lookup's dependent loads, and what the
    /// packet then writes. Issued once the slot is in the cache (`prefetchSlot` some
    /// segments before), so reading it here costs no wait; a key that is not in the table
    /// (a new connection) asks for nothing. A record moved or removed in between only
    /// makes the hint useless, never wrong.
    @inlinable @inline(__always)
    func prefetchRecord(tag: UInt32) {
        let mask = slotMask
        var index = home(tag)
        while true {
            let slot = slots[index]
            if slot == 0 { return }
            if UInt32(truncatingIfNeeded: slot &>> 32) == tag {
                let position = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) &- 1
                let record = UnsafeRawPointer(records + position)
                prefetch_for_write(record)
                prefetch_for_write(record + 64)
                prefetch_for_write(lastSeenTimes + position)
                return
            }
            index = (index &+ 1) & mask
        }
    }
}
