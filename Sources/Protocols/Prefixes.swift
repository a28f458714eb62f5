/// Fixed patterns that each open a protocol's first message (HTTP's methods, Hazelcast's
/// protocol headers), matched against one side's first bytes at once: a first byte that
/// starts none of them rules them all out before any is compared (`ByteSet`), which is
/// the answer for most connections, and only the patterns that start with the side's first
/// byte are compared.
// Unchecked Sendable: the patterns' bytes are a `StaticString`'s, in the binary's read-only
// memory, never written.
struct Prefixes: @unchecked Sendable {
    /// Each pattern's bytes, read as plain bytes (a `StaticString` checks its
    /// representation on every access: a Hazelcast client's `C`, which starts `CONNECT `,
    /// cost 120 instructions in the HTTP methods' loop).
    let patterns: [UnsafeBufferPointer<UInt8>]
    /// The first byte of each pattern.
    private let initials: ByteSet

    init(_ patterns: [StaticString]) {
        precondition(patterns.allSatisfy { $0.utf8CodeUnitCount > 0 && $0.hasPointerRepresentation },
                     "Prefixes: an empty pattern, or one that is not text")
        self.patterns = patterns.map { UnsafeBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount) }
        initials = ByteSet(patterns.map { $0.utf8Start.pointee })
    }

    /// `.yes` when the bytes begin with one of the patterns whole, `.undecided` when they
    /// end inside one (as `PayloadBytes.starts(with:)` says of one), `.no` otherwise.
    @inline(__always)
    func match(_ side: PayloadBytes) -> Match {
        // A silent side (each recognizer is asked about both sides, one of them silent)
        // and a first byte that starts no pattern are ruled out before the patterns' loop.
        guard side.sent else { return .no }
        guard side.has(1) else { return .undecided }  // cut before its first byte: any may follow
        let first = side[0]
        guard initials.contains(first) else { return .no }
        var result = Match.no
        for pattern in patterns where pattern[0] == first {
            let usable = Swift.min(pattern.count, side.count)
            var index = 1
            while index < usable && side[index] == pattern[index] { index += 1 }
            if index < usable { continue }
            if usable == pattern.count { return .yes }
            result = .undecided
        }
        return result
    }
}
