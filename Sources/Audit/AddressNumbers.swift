import Flows
import Wire

/// Addresses numbered 0, 1, 2, ... in the order first seen, in an open-addressing table
/// placed by `SeededHash`: a lookup is a hash, a load and a 16-byte compare.
///
/// Port-scan detection numbers the client of every probe (a million on the nmap shape) and
/// looks up every client of every service near a failure (hundreds of thousands on the
/// concurrent shape); with a `Dictionary` (SipHash) each, that was most of the detection's
/// time. The table stays at most half full.
///
/// The hash is the per-service statistics' (`SeededHash`: folded 64×64→128-bit
/// multiplications of the address with a secret seed), not a plain multiply by a random
/// odd number, which left structured clients (10.0.0.0/8 in sequence, a /64's hosts) in
/// long runs of neighbouring slots for some draws: the same million probes took 112 M to
/// 228 M instructions to number, depending on the draw. The folded hash spreads such
/// sequences as well for any seed, and a capture still cannot choose addresses that share
/// a slot without knowing the seed.
struct AddressNumbers {
    /// The addresses by number.
    private(set) var addresses: [IPAddress] = []
    /// Each slot's number plus one; 0 is an empty slot.
    private var slots: [UInt32]
    private let hash: SeededHash

    /// An empty table; tests pass a hash of a fixed seed to get a fixed placement.
    init(hash: SeededHash = .process) {
        slots = [UInt32](repeating: 0, count: 1 << 10)
        self.hash = hash
    }

    var count: Int { addresses.count }

    /// The number of `address`, if it has one.
    func number(of address: IPAddress) -> UInt32? {
        place(of: address).number
    }

    /// The number of `address`, the next one if it is new.
    mutating func number(adding address: IPAddress) -> UInt32 {
        let place = place(of: address)
        if let known = place.number { return known }
        let number = UInt32(addresses.count)
        addresses.append(address)
        slots[place.slot] = number + 1
        if addresses.count * 2 > slots.count { grow() }
        return number
    }

    /// How far a lookup of each address held probes, on average and at worst (1: found in
    /// its first slot): what tests hold to bounds for structured addresses under any seed.
    func probeLengths() -> (mean: Double, longest: Int) {
        var total = 0, longest = 0
        for address in addresses {
            let length = (place(of: address).slot - home(of: address)) & (slots.count - 1) + 1
            total += length
            longest = max(longest, length)
        }
        return (addresses.isEmpty ? 0 : Double(total) / Double(addresses.count), longest)
    }

    /// The slot holding `address` and its number, or the empty slot where it would go.
    private func place(of address: IPAddress) -> (slot: Int, number: UInt32?) {
        var slot = home(of: address)
        while slots[slot] != 0 {
            let number = slots[slot] - 1
            if addresses[Int(number)] == address { return (slot, number) }
            slot = (slot + 1) & (slots.count - 1)
        }
        return (slot, nil)
    }

    private func home(of address: IPAddress) -> Int {
        Int(truncatingIfNeeded: hash(address, tag: 0)) & (slots.count - 1)
    }

    /// Twice the slots, every number placed again.
    private mutating func grow() {
        slots = [UInt32](repeating: 0, count: slots.count * 2)
        for (number, address) in addresses.enumerated() {
            var slot = home(of: address)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = UInt32(number) + 1
        }
    }
}
