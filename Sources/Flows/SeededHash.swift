import Wire

/// A cheap hash of an address and a small tag (a port, a row number), keyed by a random
/// seed drawn once per process: what the per-service statistics' open-addressing tables
/// (`EndpointIndex`, `ClientAddressPairs`) and port-scan detection's client numbers
/// (`AddressNumbers`) place their keys by.
///
/// Swift's `Hasher` (SipHash-1-3) cost about 20 ns a key and, with the `Set` and
/// `Dictionary` it served, a retain and release per connection folded in. This is two
/// 64×64→128-bit multiplications folded into 64 bits (as wyhash does), a few nanoseconds.
/// It is not a cryptographic hash, but every multiplication takes a word of the secret
/// seed, so whoever crafts the addresses in a capture cannot tell which of them share a
/// slot, and cannot aim them at one probe chain without knowing the seed.
@usableFromInline
package struct SeededHash: Sendable {
    /// The seed of this process: the same for every table, so that tables built in
    /// different threads (a pipelined reader's) merge by the same placement rules.
    package static let process: SeededHash = {
        var generator = SystemRandomNumberGenerator()
        return SeededHash(using: &generator)
    }()

    // Usable from inline: the hash is inlined into other modules' tables (`AddressNumbers`).
    @usableFromInline let addressHigh: UInt64
    @usableFromInline let addressLow: UInt64
    @usableFromInline let fold: UInt64
    @usableFromInline let tagSeed: UInt64

    /// The seed grown from one 64-bit number (`SplitMix`'s first four draws): what
    /// `FlowStorage` places its 4-tuples by, one number per table so that tables merged
    /// across threads agree.
    package init(expanding seed: UInt64) {
        var generator = SplitMix(seed: seed)
        self.init(using: &generator)
    }

    /// Draws the seed from `generator` (tests pass a seeded one to get a fixed placement).
    package init(using generator: inout some RandomNumberGenerator) {
        addressHigh = generator.next()
        addressLow = generator.next()
        fold = generator.next()
        // The top bit set: a tag (below 2^63) never cancels the seed into a zero factor.
        tagSeed = generator.next() | (1 << 63)
    }

    /// The hash of `address` with `tag`; its low bits are as mixed as its high ones.
    @inlinable @inline(__always)
    package func callAsFunction(_ address: IPAddress, tag: UInt64) -> UInt64 {
        let first = Self.folded(address.high ^ addressHigh, address.low ^ addressLow)
        return Self.folded(first ^ fold, tag ^ tagSeed)
    }

    /// The hash of a connection's 4-tuple: each endpoint's address folded with its own
    /// words of the seed, the ports folded into the first, the two folded together. Every
    /// field the capture chooses meets a secret word before it meets another field, so no
    /// choice of addresses and ports cancels out (the plain multiplies this replaced mixed
    /// the ports with an address's upper half unseeded: 2^32 IPv6 4-tuples had one hash
    /// whatever the seed, and a capture of them was one probe chain).
    @inlinable @inline(__always)
    package func callAsFunction(_ first: IPAddress, _ second: IPAddress, ports: UInt64) -> UInt64 {
        let a = Self.folded(first.high ^ addressHigh, first.low ^ addressLow)
        let b = Self.folded(second.high ^ fold, second.low ^ tagSeed)
        return Self.folded(a ^ ports, b)
    }

    @inlinable @inline(__always)
    static func folded(_ x: UInt64, _ y: UInt64) -> UInt64 {
        let product = x.multipliedFullWidth(by: y)
        return product.high ^ product.low
    }
}
