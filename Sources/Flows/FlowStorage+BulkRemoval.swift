/// Removing the records a sweep or the cap lets go, many at once: the index re-pointed in one
/// pass instead of searched and shifted per record.
extension FlowStorage {
    /// Removes every record `isDone` picks (it must depend on the record alone) and hands
    /// each to `done`, with its samples (nil: none kept), where they lie: the pointers are
    /// valid during the call only, and `done` must not touch this storage. In the order,
    /// and leaving the others at the positions, that
    /// `remove(at:)` from the last position down gives, so what an eviction folds in, and
    /// in which order, does not depend on how it is done. Only records last seen at or
    /// before `lastSeenBound` are offered to `isDone` (read from `lastSeenTimes`, so the
    /// others' records are not touched): `isDone` must refuse every later one.
    ///
    /// When many go (an eighth or more: a sweep after a burst of short connections, the
    /// cap's quarter), the index is re-pointed in one pass (`reindex`) instead of being
    /// searched and shifted per record: the per-record deletion cost a random probe run for
    /// the record and another for the record moved into its place, a third of the
    /// eviction's time with 262,144 records held.
    func removeAll(lastSeenAtMost lastSeenBound: Int64, where isDone: (ConnectionRecord) -> Bool,
                   _ done: (UnsafePointer<ConnectionRecord>, UnsafePointer<PayloadSamples>?) -> Void) {
        let countBefore = count
        // Which positions hold a record that goes (a bit each), asked once: removing from
        // the last position down moves only records from past the cursor (the last one into
        // each hole), so every position below it still holds the record it was asked about.
        // Where each record was before (`origins[p]` for the record now at p).
        let (origins, removedBits, movedTo) = removalScratch.reserve(records: countBefore)
        removedBits.update(repeating: 0, count: (countBefore + 63) / 64)
        var going = 0
        for position in 0..<countBefore
        where lastSeenTimes[position] <= lastSeenBound && isDone(records[position]) {
            going += 1
            removedBits[position >> 6] |= 1 << UInt64(position & 63)
        }
        guard going > 0 else { return }
        func goes(_ position: Int) -> Bool { removedBits[position >> 6] & (1 << UInt64(position & 63)) != 0 }
        var position = count - 1
        if going * 8 < count {
            while position >= 0 {
                if goes(position) {
                    done(records + position, samplesInPlace(at: position))
                    discard(at: position)
                }
                position -= 1
            }
            return
        }
        for position in 0..<countBefore { origins[position] = Int32(truncatingIfNeeded: position) }
        while position >= 0 {
            if goes(position) {
                done(records + position, samplesInPlace(at: position))
                freeSampleSlot(of: position)
                let last = count - 1
                if position != last {
                    records[position] = records[last]
                    lastSeenTimes[position] = lastSeenTimes[last]
                    origins[position] = origins[last]
                }
                count = last
            }
            position -= 1
        }
        // A record that moved came from the end, at or past the new count (the removals
        // moved the last record into each hole): where each of those went, -1 if removed.
        movedTo.update(repeating: -1, count: countBefore - count)
        for position in 0..<count where Int(origins[position]) != position {
            movedTo[Int(origins[position]) - count] = Int32(truncatingIfNeeded: position)
        }
        reindex { old in
            if old >= count { return Int(movedTo[old - count]) }
            return goes(old) ? -1 : old
        }
    }

    /// After a bulk removal, points the index's entries at their records' new positions
    /// (`destination(old position)`) and drops those of the removed records (-1), in one
    /// pass over the slots in index order, starting after an empty slot, each kept entry
    /// placed again from its home slot. Every slot between an entry's home and its old slot
    /// has been passed already (they were one run in the old index, and the pass started
    /// outside every run), so the entry lands at or before its old slot, in a slot already
    /// passed: the index stays a valid linear-probing index. The pass reads and writes the
    /// index in order, and asks `destination` about the records' old positions, where a
    /// rebuild read every record's key (a cache line per record) and wrote its slot at
    /// random: that was two thirds of a bulk removal's time, and bulk removals 14% of the
    /// audit of a scan (the connection cap evicting a quarter of the table dozens of times).
    private func reindex(_ destination: (Int) -> Int) {
        let mask = slotMask
        var start = 0
        while slots[start] != 0 { start += 1 }  // there is one: the index is at most half full
        var index = start
        for _ in 0..<mask {
            index = (index &+ 1) & mask
            let slot = slots[index]
            if slot == 0 { continue }
            slots[index] = 0
            let moved = destination(Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) &- 1)
            if moved >= 0 { place(tag: UInt32(truncatingIfNeeded: slot &>> 32), position: moved) }
        }
    }
}

/// The three arrays of a bulk removal of up to `records` records, in one block reused from
/// one removal to the next: where each record was (`origins`), a bit per removed position
/// (`removedBits`), and where each record moved from the end went (`movedTo`).
struct RemovalScratch {
    private var block: UnsafeMutableRawPointer?
    private var capacity = 0

    mutating func reserve(records: Int) -> (origins: UnsafeMutablePointer<Int32>, removedBits: UnsafeMutablePointer<UInt64>,
                                            movedTo: UnsafeMutablePointer<Int32>) {
        let start: UnsafeMutableRawPointer
        if let block, records <= capacity {
            start = block
        } else {
            block?.deallocate()
            capacity = max(records, capacity)
            start = .allocate(byteCount: Self.bytes(capacity), alignment: 8)
            block = start
        }
        let words = (capacity + 63) / 64
        let origins = (start + words * 8).bindMemory(to: Int32.self, capacity: capacity)
        return (origins, start.bindMemory(to: UInt64.self, capacity: words), origins + capacity)
    }

    func deallocate() { block?.deallocate() }

    private static func bytes(_ records: Int) -> Int { (records + 63) / 64 * 8 + records * 2 * 4 }
}
