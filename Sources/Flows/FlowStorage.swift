import Protocols
import Wire

/// The memory of a `FlowTable`: the open connections' records in one dense array, and an
/// open-addressing index over them.
///
/// The index is a power-of-two array of 64-bit slots, probed linearly. A slot holds the
/// upper 32 bits of the key's hash (the *tag*) and the record's position plus one; 0 is an
/// empty slot. The tag's top bits are the slot a key starts probing at, so neither a lookup
/// that misses nor a rehash touches the records; a lookup compares a record's key only
/// when its tag matches. Removal shifts the following slots back (no tombstones), and
/// moves the last record into the hole, so the records stay dense and a sweep over them is
/// a plain loop. The table grows at half full.
///
/// The hash is `SeededHash`'s of the 4-tuple: three 64×64→128-bit multiplications, each
/// endpoint's address with words of the seed and the two folded together with the ports,
/// a few cycles, where `Hasher` (SipHash-1-3) over the same 36 bytes costs most of the
/// per-packet budget. Every field meets a secret word of the seed before another field, so
/// crafted 4-tuples cannot aim at one chain.
///
/// Records are trivial values: no reference counting, no deinitialization needed.
// Unchecked Sendable: raw memory, owned by one `FlowTable` at a time (copied on write when
// shared), so it crosses threads only with its table, never used by two at once.
@usableFromInline
final class FlowStorage: @unchecked Sendable {
    @usableFromInline @exclusivity(unchecked) var records: UnsafeMutablePointer<ConnectionRecord>
    @usableFromInline @exclusivity(unchecked) var recordCapacity: Int
    /// Each record's `lastSeen`, at the record's position, kept equal to it by every write
    /// (`FlowTable.add` after each packet): what a sweep or the cap's eviction reads to find
    /// the records that may go, 8 bytes per record in one run instead of a cache line per
    /// record. A sweep that read every record cost a third of the audit of a port scan.
    @usableFromInline @exclusivity(unchecked) var lastSeenTimes: UnsafeMutablePointer<Int64>
    @usableFromInline @exclusivity(unchecked) var count = 0
    @usableFromInline @exclusivity(unchecked) var slots: UnsafeMutablePointer<UInt64>
    /// log2 of the number of slots (at most 32: the tag holds the home slot).
    @usableFromInline @exclusivity(unchecked) var slotBits: Int
    @usableFromInline let seed: UInt64
    /// The hash grown from `seed`: the same for every table of one seed.
    @usableFromInline let keyHash: SeededHash
    /// Whether samples are recognized as soon as both are in (`keepSample`): not in a table
    /// that continues an earlier input, whose records may yet be joined to a record of
    /// that input, where the earlier record's samples come first.
    @usableFromInline let recognizesEarly: Bool
    /// The recognizers each first byte leaves, read once: each read of the static cost a
    /// `swift_once` call per connection recognized.
    let recognizerCandidates = FirstByteCandidates.table
    /// The payload samples of the records that carried payload, at their `sampleSlot`
    /// (slot 0 is never used: it means "none"): kept apart so that a record stays two
    /// cache lines. Slots freed by removed or recognized records are reused (`firstFreeSampleSlot`).
    @usableFromInline @exclusivity(unchecked) var samples: UnsafeMutablePointer<PayloadSamples>
    @usableFromInline @exclusivity(unchecked) var sampleCapacity: Int
    /// Slots handed out so far (the next new one).
    @usableFromInline @exclusivity(unchecked) var samplesUsed = 1
    /// The freed slots, reused first: a list threaded through the slots themselves (each
    /// freed slot's first four bytes hold the next one; 0 ends it), so that freeing and
    /// taking a slot, once per connection with payload, touch no array (an `Array`'s
    /// append and `popLast` checked its uniqueness each time: a tenth of the recognition's
    /// instructions on millions of short connections).
    @usableFromInline @exclusivity(unchecked) var firstFreeSampleSlot: UInt32 = 0
    @usableFromInline @exclusivity(unchecked) var freeSampleSlotCount = 0
    /// The bulk removal's bookkeeping (`removeAll`), kept from one removal to the next: a
    /// block of a megabyte or two allocated per sweep came back as fresh pages each time,
    /// 6,873 of the 39,216 page faults of 2.5 M short connections (docs/performance-log.md).
    var removalScratch = RemovalScratch()

    init(seed: UInt64, recognizesEarly: Bool = true, recordCapacity: Int = 64, slotBits: Int = 7, sampleCapacity: Int = 64) {
        self.seed = seed
        self.keyHash = SeededHash(expanding: seed)
        self.recognizesEarly = recognizesEarly
        self.recordCapacity = recordCapacity
        self.slotBits = slotBits
        self.sampleCapacity = sampleCapacity
        records = FlowStorage.allocateRecords(recordCapacity)
        lastSeenTimes = .allocate(capacity: recordCapacity)
        slots = .allocate(capacity: 1 << slotBits)
        slots.initialize(repeating: 0, count: 1 << slotBits)
        samples = .allocate(capacity: sampleCapacity)
    }

    deinit {
        records.deallocate()
        lastSeenTimes.deallocate()
        slots.deallocate()
        samples.deallocate()
        removalScratch.deallocate()
    }

    /// An independent copy (for copy-on-write).
    @usableFromInline
    func copy() -> FlowStorage {
        let copy = FlowStorage(seed: seed, recognizesEarly: recognizesEarly, recordCapacity: recordCapacity, slotBits: slotBits, sampleCapacity: sampleCapacity)
        copy.records.initialize(from: records, count: count)
        copy.lastSeenTimes.initialize(from: lastSeenTimes, count: count)
        copy.slots.update(from: slots, count: 1 << slotBits)
        copy.count = count
        copy.samples.initialize(from: samples, count: samplesUsed)
        copy.samplesUsed = samplesUsed
        copy.firstFreeSampleSlot = firstFreeSampleSlot
        copy.freeSampleSlotCount = freeSampleSlotCount
        return copy
    }

    // MARK: - Payload samples

    /// Keeps `payload` (the captured part of a segment that carried `payloadLength` bytes)
    /// as the sample of one side of the record at `position`: called for the first payload
    /// of each side only (`ConnectionRecord.add` says when).
    ///
    /// Once both sides' samples are in and the handshake named the client, nothing can
    /// change what they say: they are recognized there and then, and their slot is freed
    /// (`recognizesEarly`). The pool then holds only the connections still waiting for a
    /// side's first payload, not every connection open or lingering: 208 bytes less per
    /// connection, up to 54 MB at the default cap, and no pass over them at the end.
    ///
    /// Built with `-DDASAUDIT_WITHOUT_PROTOCOL_STAGE` (the benchmark's build without the
    /// protocol stage), nothing is kept: no slot, no recognition, every protocol `none`.
    @inlinable
    func keepSample(at position: Int, fromA: Bool, payload: UnsafeRawBufferPointer, payloadLength: UInt32) {
        #if DASAUDIT_WITHOUT_PROTOCOL_STAGE
        return
        #endif
        var slot = Int(records[position].sampleSlot)
        if slot == 0 {
            slot = takeSampleSlot()
            records[position].sampleSlot = UInt32(truncatingIfNeeded: slot)
        }
        if fromA {
            samples[slot].fromA.take(payload, payloadLength: payloadLength)
        } else {
            samples[slot].fromB.take(payload, payloadLength: payloadLength)
        }
        if recognizesEarly && records[position].samplesTaken == ConnectionRecord.bothSamplesTaken,
           let clientIsA = records[position].clientIsA, !records[position].mayContinue {
            recognize(at: position, slot: slot, clientIsA: clientIsA)
        }
    }

    /// Recognizes the samples of the record at `position` and frees their slot; not a
    /// simultaneous open's, whose server side is decided at the end (`Connection`), not by
    /// its first SYN. (The test is here, out of line, rather than in `keepSample`: inlined
    /// there it pushed `FlowTable.addToUniqueStorage` out of the tracking thread's loop.)
    @usableFromInline
    func recognize(at position: Int, slot: Int, clientIsA: Bool) {
        guard !records[position].isSimultaneousOpen else { return }
        records[position].recognizedEvidence = PayloadSamples.evidence(
            of: samples + slot, serverIsA: !clientIsA, fromStart: records[position].payloadFromStart,
            candidates: recognizerCandidates)
        freeSampleSlot(slot)
    }

    /// The samples of the record at `position` (empty if it carried no payload, or if they
    /// were recognized already).
    func samples(at position: Int) -> PayloadSamples {
        samplesInPlace(at: position)?.pointee ?? PayloadSamples()
    }

    /// `samples(at:)` where they lie in the pool: nil if none are kept.
    func samplesInPlace(at position: Int) -> UnsafePointer<PayloadSamples>? {
        let slot = records[position].poolSlot
        return slot == 0 ? nil : UnsafePointer(samples + slot)
    }

    /// The record at `position` with its samples, left in place.
    func detached(at position: Int) -> DetachedRecord {
        DetachedRecord(record: records[position], samples: samples(at: position))
    }

    /// An empty sample slot.
    @usableFromInline
    func takeSampleSlot() -> Int {
        let slot: Int
        if firstFreeSampleSlot != 0 {
            slot = Int(firstFreeSampleSlot)
            firstFreeSampleSlot = UnsafeRawPointer(samples + slot).load(as: UInt32.self)
            freeSampleSlotCount -= 1
        } else {
            if samplesUsed == sampleCapacity { growSamples() }
            slot = samplesUsed
            samplesUsed += 1
        }
        // Both sides not taken: their bytes are read only up to their counts, so the 192
        // bytes need no zeroing.
        (samples + slot).pointee.fromA.clear()
        (samples + slot).pointee.fromB.clear()
        return slot
    }

    func freeSampleSlot(of position: Int) {
        let slot = records[position].poolSlot
        if slot != 0 { freeSampleSlot(slot) }
    }

    /// Puts `slot` at the head of the free list.
    @usableFromInline
    func freeSampleSlot(_ slot: Int) {
        UnsafeMutableRawPointer(samples + slot).storeBytes(of: firstFreeSampleSlot, as: UInt32.self)
        firstFreeSampleSlot = UInt32(truncatingIfNeeded: slot)
        freeSampleSlotCount += 1
    }

    private func growSamples() {
        let capacity = sampleCapacity * 2
        let grown = UnsafeMutablePointer<PayloadSamples>.allocate(capacity: capacity)
        grown.moveInitialize(from: samples, count: samplesUsed)
        samples.deallocate()
        samples = grown
        sampleCapacity = capacity
    }

    /// Masking shifts (`&<<`), and inlined: a smart shift of `slotBits` was a call per lookup.
    @inlinable @inline(__always) var slotMask: Int { (1 &<< slotBits) &- 1 }

    /// The key's tag: the upper 32 bits of its hash.
    @inlinable @inline(__always)
    func tag(_ key: ConnectionKey) -> UInt32 {
        UInt32(truncatingIfNeeded: hash(key) &>> 32)
    }

    /// The key's seeded hash, of which the tag is the upper half.
    @inlinable @inline(__always)
    func hash(_ key: ConnectionKey) -> UInt64 {
        keyHash(key.addressA, key.addressB, ports: UInt64(key.portA) << 16 | UInt64(key.portB))
    }

    @inlinable @inline(__always)
    func home(_ tag: UInt32) -> Int { Int(truncatingIfNeeded: tag &>> UInt32(truncatingIfNeeded: 32 &- slotBits)) }

    /// Whether two keys are the same 4-tuple (branch-free).
    @inlinable @inline(__always)
    static func same(_ x: ConnectionKey, _ y: ConnectionKey) -> Bool {
        let addresses = (x.addressA.low ^ y.addressA.low) | (x.addressB.low ^ y.addressB.low)
            | (x.addressA.high ^ y.addressA.high) | (x.addressB.high ^ y.addressB.high)
        let ports = (x.portA ^ y.portA) | (x.portB ^ y.portB)
        return addresses | UInt64(ports) == 0
    }

    /// The position of the record with `key`, or -1.
    @inlinable @inline(__always)
    func find(_ key: ConnectionKey, tag: UInt32) -> Int {
        let mask = slotMask
        var index = home(tag)
        while true {
            let slot = slots[index]
            if slot == 0 { return -1 }
            if UInt32(truncatingIfNeeded: slot &>> 32) == tag {
                let position = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) &- 1
                if Self.same(records[position].key, key) { return position }
            }
            index = (index &+ 1) & mask
        }
    }

    /// How far lookups of the records present probe, on average, and the index size.
    func probeStatistics() -> (records: Int, slots: Int, meanProbes: Double) {
        var probes = 0
        for index in 0..<(1 << slotBits) where slots[index] != 0 {
            let home = home(UInt32(truncatingIfNeeded: slots[index] >> 32))
            probes += ((index - home) & slotMask) + 1
        }
        return (count, 1 << slotBits, count == 0 ? 0 : Double(probes) / Double(count))
    }

    /// Adds a record whose key is not in the table, without samples; returns its position.
    /// (A separate function from the one with samples: an empty `PayloadSamples` made and
    /// passed for every new connection was 200 bytes zeroed and copied each time.)
    @usableFromInline @discardableResult
    func append(_ record: ConnectionRecord, tag: UInt32) -> Int {
        if count == recordCapacity { growRecords() }
        if (count + 1) * 2 > (1 << slotBits) { growSlots() }
        let position = count
        (records + position).initialize(to: record)
        lastSeenTimes[position] = record.lastSeen
        if !record.isRecognized { records[position].sampleSlot = 0 }
        place(tag: tag, position: position)
        count += 1
        return position
    }

    /// Adds a record whose key is not in the table, with `samples`; returns its position.
    @usableFromInline @discardableResult
    func append(_ record: ConnectionRecord, samples kept: PayloadSamples, tag: UInt32) -> Int {
        let position = append(record, tag: tag)
        if !kept.isEmpty && !record.isRecognized {
            let slot = takeSampleSlot()
            samples[slot] = kept
            records[position].sampleSlot = UInt32(truncatingIfNeeded: slot)
        }
        return position
    }

    /// Puts `record` (of the same key, without samples) in place of the record at
    /// `position`, and returns the one it replaces.
    @usableFromInline
    func replace(at position: Int, with record: ConnectionRecord) -> DetachedRecord {
        let old = detached(at: position)
        freeSampleSlot(of: position)
        records[position] = record
        records[position].sampleSlot = 0
        lastSeenTimes[position] = record.lastSeen
        return old
    }

    /// Removes the record at `position` and returns it; the last record takes its place.
    @usableFromInline @discardableResult
    func remove(at position: Int) -> DetachedRecord {
        let removed = detached(at: position)
        discard(at: position)
        return removed
    }

    /// `remove(at:)` without handing the record over.
    func discard(at position: Int) {
        freeSampleSlot(of: position)
        let last = count - 1
        deleteSlot(of: position, tag: tag(records[position].key))
        if position != last {
            let lastTag = tag(records[last].key)
            let slot = slotIndex(of: last, tag: lastTag)
            slots[slot] = UInt64(lastTag) << 32 | UInt64(position + 1)
            records[position] = records[last]
            lastSeenTimes[position] = lastSeenTimes[last]
        }
        count = last
    }

    func place(tag: UInt32, position: Int) {
        let mask = slotMask
        var index = home(tag)
        while slots[index] != 0 { index = (index + 1) & mask }
        slots[index] = UInt64(tag) << 32 | UInt64(position + 1)
    }

    private func slotIndex(of position: Int, tag: UInt32) -> Int {
        let mask = slotMask
        let wanted = UInt64(tag) << 32 | UInt64(position + 1)
        var index = home(tag)
        while slots[index] != wanted {
            precondition(slots[index] != 0, "FlowStorage: record missing from the index")
            index = (index + 1) & mask
        }
        return index
    }

    /// Empties the slot of the record at `position`, shifting later slots of the same run
    /// back so that every key stays reachable from its home slot.
    private func deleteSlot(of position: Int, tag: UInt32) {
        let mask = slotMask
        var hole = slotIndex(of: position, tag: tag)
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let home = home(UInt32(truncatingIfNeeded: slots[next] >> 32))
            // The entry at `next` may move back to `hole` unless its home lies after the hole.
            if (next - home) & mask >= (next - hole) & mask {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = 0
    }

    /// Record memory aligned to a cache line, so that a 128-byte record spans exactly two
    /// lines (the key and packet counters, then the rest) and never three.
    static func allocateRecords(_ capacity: Int) -> UnsafeMutablePointer<ConnectionRecord> {
        UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<ConnectionRecord>.stride, alignment: 64)
            .bindMemory(to: ConnectionRecord.self, capacity: capacity)
    }

    /// Payload sample slots holding samples.
    var samplesInUse: Int { samplesUsed - 1 - freeSampleSlotCount }

    private func growRecords() {
        let capacity = recordCapacity * 2
        let grown = FlowStorage.allocateRecords(capacity)
        grown.moveInitialize(from: records, count: count)
        records.deallocate()
        records = grown
        let grownTimes = UnsafeMutablePointer<Int64>.allocate(capacity: capacity)
        grownTimes.moveInitialize(from: lastSeenTimes, count: count)
        lastSeenTimes.deallocate()
        lastSeenTimes = grownTimes
        recordCapacity = capacity
    }

    private func growSlots() {
        let old = slots, oldCount = 1 << slotBits
        slotBits += 1
        precondition(slotBits <= 32, "FlowStorage: index too large")
        slots = .allocate(capacity: 1 << slotBits)
        slots.initialize(repeating: 0, count: 1 << slotBits)
        let mask = slotMask
        for index in 0..<oldCount where old[index] != 0 {
            var target = home(UInt32(truncatingIfNeeded: old[index] >> 32))
            while slots[target] != 0 { target = (target + 1) & mask }
            slots[target] = old[index]
        }
        old.deallocate()
    }
}
