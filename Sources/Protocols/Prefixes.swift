/// Fixed patterns that each open a protocol's first message (HTTP's methods, Hazelcast's
/// protocol headers), matched against one side's first bytes at once: a first byte that
/// starts none of them rules them all out before any is compared (`ByteSet`), which is
/// the answer for most connections.
struct Prefixes: Sendable {
    let patterns: [StaticString]
    /// The first byte of each pattern.
    private let initials: ByteSet

    init(_ patterns: [StaticString]) {
        precondition(patterns.allSatisfy { $0.utf8CodeUnitCount > 0 }, "Prefixes: an empty pattern")
        self.patterns = patterns
        initials = ByteSet(patterns.map { $0.utf8Start.pointee })
    }

    /// `.yes` when the bytes begin with one of the patterns whole, `.undecided` when they
    /// end inside one (`PayloadBytes.starts(with:)`), `.no` otherwise.
    @inline(__always)
    func match(_ side: PayloadBytes) -> Match {
        // A silent side (each recognizer is asked about both sides, one of them silent)
        // and a first byte that starts no pattern are ruled out before the patterns' loop.
        guard side.sent else { return .no }
        if side.has(1) && !initials.contains(side[0]) { return .no }
        var result = Match.no
        for pattern in patterns {
            switch side.starts(with: pattern) {
            case .yes: return .yes
            case .undecided: result = .undecided
            case .no: break
            }
        }
        return result
    }
}
