/// SplitMix64 (Steele, Lea and Flood): a whole sequence from one 64-bit seed. It grows a
/// connection table's seed into the words of its `SeededHash` (`SeededHash(expanding:)`),
/// and it is the traffic generator's only source of randomness, seeded by the shape, so the
/// same shape always gives the same bytes on every machine (no clock and no address of the
/// machine running it is used). Tests draw from it too, so a failing round can be replayed
/// from its seed.
package struct SplitMix: RandomNumberGenerator {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound (bound > 0), by Lemire's multiply-shift: no division per draw.
    package mutating func below(_ bound: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: next() >> 32) &* UInt64(bound)) >> 32)
    }

    /// True with probability `share` (0...1).
    package mutating func chance(_ share: Double) -> Bool {
        share > 0 && Double(next() >> 11) * 0x1p-53 < share
    }
}
