import Flows

/// A small deterministic generator for tests, so that every run tests the same inputs and a
/// failing one can be replayed from its seed: the project's `SplitMix` sequence, with the
/// `below` the tests were written with (a remainder, where `SplitMix.below` multiplies), so
/// every seeded test keeps drawing the inputs it always drew.
public struct SplitMix64: RandomNumberGenerator {
    private var sequence: SplitMix

    public init(seed: UInt64) { sequence = SplitMix(seed: seed) }

    public mutating func next() -> UInt64 { sequence.next() }

    /// A number in `0..<bound` (0 when `bound` is 0 or 1).
    public mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
}
