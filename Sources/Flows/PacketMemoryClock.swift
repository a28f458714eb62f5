/// What the table's small packet memories (`RecentlyRefused`, `InterfaceCopies`) share:
/// how an entry names its packet by a hash, and the coarse clock its time is kept in.
///
/// Why one definition: both answer "was this packet seen moments ago?" for copies that
/// can reach the capture a little out of time order (several interfaces, several CPUs), so
/// both must allow the same unit of earliness and read the hash the same way.
enum PacketMemoryClock {
    /// Times in units of 2^20 ns, about a millisecond.
    static let unitShift: Int64 = 20

    /// `nanoseconds` (a time or a span) in whole units, rounded down; the caller keeps as
    /// many low bits as its entries hold.
    @inline(__always)
    static func units(_ nanoseconds: Int64) -> Int64 { nanoseconds >> unitShift }

    /// The mark an entry names its packet by: the hash's upper 32 bits, never 0 (so an
    /// empty entry matches nothing).
    @inline(__always)
    static func mark(_ hash: UInt64) -> UInt64 { hash >> 32 | 1 }

    /// Whether an entry `age` units old (negative: stamped after now) is recent: at most
    /// `window` units old, or at most one unit early.
    @inline(__always)
    static func isRecent<Age: SignedInteger & FixedWidthInteger>(age: Age, within window: Age) -> Bool {
        age >= -1 && age <= window
    }
}
