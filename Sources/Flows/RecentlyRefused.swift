/// The connections refused moments ago, by their 4-tuple's hash: what lets the table let a
/// refused connection go at its RST instead of holding its record for the linger.
///
/// Why: a connection the server refused (SYN, then RST: `ConnectionState.refused`) can
/// change no further. A new SYN on its 4-tuple starts a new connection either way, and what
/// else may follow (a duplicated RST, a SYN retransmitted before the RST arrived) would
/// only add packets an attempt does not report. Held for the linger like any ended
/// connection, a scan's refused probes filled most of the table, and the scan shape's audit
/// took 10-15% longer (docs/performance-log.md, "Refused connections leave at their RST").
///
/// What still matters is that such a straggler does not start a connection of its own: a
/// duplicated RST taken for a mid-stream connection would make a closed port look open,
/// and the refused SYN sent again (its RST lost, or the SYN duplicated on the way) taken
/// for a new connect counted one connect as two refusals. A segment that finds no record
/// is therefore looked up here first (`FlowTable.insert`): if its 4-tuple was refused
/// within the linger, and it is not a SYN or it is the refused SYN again (the same
/// initial sequence number), it is counted in the input's packets and tracked nowhere,
/// as the refused record would have absorbed it; the refusal is then remembered from that
/// SYN on, as the record's linger would have run from it. A SYN with another initial
/// sequence number is a new connect (a client that tries again from the same port) and
/// starts a connection of its own.
///
/// Limits: 4,096 entries of 12 bytes (48 KiB, allocated at the first refusal), one per
/// 4-tuple hash, a refusal overwriting whatever shared its entry. A refusal is remembered
/// for the linger (5 s) or until 4,096 later ones have likely taken its entry: at least the
/// milliseconds in which duplicates arrive, even in a scan of 100,000 ports a second. A
/// straggler after that starts a mid-stream connection, as every straggler after the
/// linger always did. An entry names its 4-tuple by 43 bits of the table's seeded hash
/// (12 place the entry, 31 are the mark), so another 4-tuple's segment matches one with a
/// chance of 2^-43.
/// Times are kept in units of 2^20 ns (about a millisecond), 32 bits of them, compared as
/// signed: two times less than 26 days apart are told apart.
@usableFromInline
struct RecentlyRefused: Sendable {
    static let entryCount = 1 << 12

    /// Per entry: the mark (the hash's upper 32 bits, never 0) over the refusal's time in
    /// units; 0 while empty.
    private var entries: [UInt64] = []
    /// Per entry: the refused connection's client initial sequence number.
    private var initialSequences: [UInt32] = []

    init() {}

    /// Whether nothing was refused yet: no lookup can match.
    var isEmpty: Bool { entries.isEmpty }

    /// Notes that the connection whose 4-tuple has `hash` (`FlowStorage.hash`), opened by a
    /// SYN with `initialSequence`, was refused at `time` (or its SYN sent again then).
    mutating func note(hash: UInt64, initialSequence: UInt32, at time: Int64) {
        if entries.isEmpty {
            entries = [UInt64](repeating: 0, count: Self.entryCount)
            initialSequences = [UInt32](repeating: 0, count: Self.entryCount)
        }
        let index = Self.entry(hash)
        entries[index] = PacketMemoryClock.mark(hash) << 32
            | UInt64(truncatingIfNeeded: PacketMemoryClock.units(time)) & 0xFFFF_FFFF
        initialSequences[index] = initialSequence
    }

    /// Whether the connection whose 4-tuple has `hash` was refused within `linger` before
    /// `now` (to the unit), or at most a unit after `now`: copies of one packet captured on
    /// several interfaces (`tcpdump -i any`) can come a little out of time order. With
    /// `request`, the sequence number of a SYN: whether that SYN is the refused one again.
    func contains(hash: UInt64, refusedWithin linger: Int64, of now: Int64, request: UInt32? = nil) -> Bool {
        guard !entries.isEmpty else { return false }
        let index = Self.entry(hash)
        let entry = entries[index]
        guard entry >> 32 == PacketMemoryClock.mark(hash) else { return false }
        if let request, request != initialSequences[index] { return false }
        // Units since the refusal, signed (negative: stamped before it).
        let age = Int32(bitPattern: UInt32(truncatingIfNeeded: PacketMemoryClock.units(now)) &- UInt32(truncatingIfNeeded: entry))
        let window = Int32(clamping: PacketMemoryClock.units(linger) + 1)
        return PacketMemoryClock.isRecent(age: age, within: window)
    }

    /// Takes in the refusals of a table that read a later input (`FlowTable.absorb`): where
    /// both hold an entry, the later input's is the more recent.
    mutating func merge(later: RecentlyRefused) {
        guard !later.entries.isEmpty else { return }
        guard !entries.isEmpty else { return self = later }
        for index in entries.indices where later.entries[index] != 0 {
            entries[index] = later.entries[index]
            initialSequences[index] = later.initialSequences[index]
        }
    }

    private static func entry(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash) & (entryCount - 1) }
}
