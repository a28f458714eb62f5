import CPrefetch

/// What a `FlatTable` holds: a fixed-size value found by a key it carries, with one value
/// set aside to mark a free slot.
protocol FlatTableEntry: BitwiseCopyable, Sendable {
    associatedtype Key
    /// The value of a free slot; never inserted.
    static var free: Self { get }
    var isFree: Bool { get }
    var key: Key { get }
    static func matches(_ entry: Self, _ key: Key) -> Bool
    static func hash(_ key: Key, _ hash: SeededHash) -> UInt64
}

/// An open-addressing hash table of fixed-size entries (linear probing, at most 3/4 full,
/// doubled when fuller): the storage of `EndpointIndex` and `ClientAddressPairs`.
///
/// Entries sit in one flat array of plain values, so finding or adding one costs a
/// `SeededHash` and, usually, one or two cache lines: no allocation per entry, no
/// reference counting, no SipHash. Entries are never removed one by one: a table that must
/// forget builds a smaller one of what it keeps (`TranslatedCopies`).
struct FlatTable<Entry: FlatTableEntry>: Sendable {
    /// Entries held.
    private(set) var count = 0
    private var slots: [Entry]
    private let hash: SeededHash

    /// An empty table; `capacity` (a power of two, at least 8) is its first number of slots.
    init(capacity: Int = 16, hash: SeededHash = .process) {
        precondition(capacity >= 8 && capacity & (capacity - 1) == 0, "capacity must be a power of two, at least 8")
        slots = Array(repeating: .free, count: capacity)
        self.hash = hash
    }

    /// Slots allocated (entries held at most before the next growth: 3/4 of it).
    var capacity: Int { slots.count }

    /// Where `key` is: its slot and whether it is there (if not, the free slot it would take).
    @inline(__always)
    func find(_ key: Entry.Key) -> (slot: Int, found: Bool) {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: Entry.hash(key, hash)) & mask
            while true {
                let entry = slots[slot]
                if entry.isFree { return (slot, false) }
                if Entry.matches(entry, key) { return (slot, true) }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Asks for the slot a `find` of `key` reads first, without waiting for it: a batch
    /// asks for its keys' slots before it looks any up, so that their cache misses overlap
    /// (`ServiceStatistics.add(batch:)`). A hint only; the table is unchanged.
    @inline(__always)
    func prefetch(_ key: Entry.Key) {
        slots.withUnsafeBufferPointer { slots in
            prefetch_for_write(slots.baseAddress! + (Int(truncatingIfNeeded: Entry.hash(key, hash)) & (slots.count - 1)))
        }
    }

    /// The entry in `slot` (as `find` returned it, found).
    @inline(__always)
    subscript(slot: Int) -> Entry { slots[slot] }

    /// Stores `entry` in `slot`, a free slot `find` returned for its key and nothing was
    /// inserted since; grows the table when it is then more than 3/4 full.
    @inline(__always)
    mutating func insert(_ entry: Entry, at slot: Int) {
        slots[slot] = entry
        count += 1
        if count > slots.count / 4 * 3 { grow() }
    }

    /// Stores `entry` in `slot` in place of the entry with the same key that `find` found there.
    @inline(__always)
    mutating func replace(at slot: Int, with entry: Entry) {
        slots[slot] = entry
    }

    /// Stores `entry` unless its key is already held; whether it was stored.
    @discardableResult
    mutating func insert(_ entry: Entry) -> Bool {
        let place = find(entry.key)
        if place.found { return false }
        insert(entry, at: place.slot)
        return true
    }

    /// Calls `body` with every entry, in slot order (which depends on the seed).
    func forEach(_ body: (Entry) throws -> Void) rethrows {
        for entry in slots where !entry.isFree { try body(entry) }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: .free, count: old.count * 2)
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            for entry in old where !entry.isFree {
                var slot = Int(truncatingIfNeeded: Entry.hash(entry.key, hash)) & mask
                while !slots[slot].isFree { slot = (slot + 1) & mask }
                slots[slot] = entry
            }
        }
    }
}

/// An entry that carries a tally which adds up (`ClientAddressPairs`' pairs).
protocol TalliedEntry: FlatTableEntry {
    mutating func merge(_ other: Self)
}

extension FlatTable where Entry: TalliedEntry {
    /// Stores `entry`, or adds its tally to the entry with its key; whether it was new.
    @inline(__always)
    mutating func insertOrMerge(_ entry: Entry) -> Bool {
        let place = find(entry.key)
        guard place.found else {
            insert(entry, at: place.slot)
            return true
        }
        merge(entry, at: place.slot)
        return false
    }

    /// Adds `entry`'s tally to the entry with its key, if there is one; whether there is.
    @inline(__always)
    mutating func merge(_ entry: Entry) -> Bool {
        let place = find(entry.key)
        if place.found { merge(entry, at: place.slot) }
        return place.found
    }

    @inline(__always)
    private mutating func merge(_ entry: Entry, at slot: Int) {
        var held = self[slot]
        held.merge(entry)
        replace(at: slot, with: held)
    }
}
