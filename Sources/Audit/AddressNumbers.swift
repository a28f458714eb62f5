import Wire

/// Addresses numbered 0, 1, 2, ... in the order first seen, in an open-addressing table
/// with a multiplicative hash: a lookup is a multiply, a load and a 16-byte compare.
///
/// Port-scan detection numbers the client of every probe (a million on the nmap shape) and
/// looks up every client of every service near a failure (hundreds of thousands on the
/// concurrent shape); with a `Dictionary` (SipHash) each, that was most of the detection's
/// time. The multiplier is drawn per table, so a capture cannot choose addresses that all
/// land in one slot, and the table stays at most half full.
struct AddressNumbers {
    /// The addresses by number.
    private(set) var addresses: [IPAddress] = []
    /// Each slot's number plus one; 0 is an empty slot.
    private var slots: [UInt32]
    private var shift: UInt64
    private let multiplier = UInt64.random(in: 0...UInt64.max) | 1

    init() {
        slots = [UInt32](repeating: 0, count: 1 << 10)
        shift = 64 - 10
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
        let mixed = ((address.high &* multiplier) ^ address.low) &* multiplier
        return Int(truncatingIfNeeded: mixed >> shift)
    }

    /// Twice the slots, every number placed again.
    private mutating func grow() {
        slots = [UInt32](repeating: 0, count: slots.count * 2)
        shift -= 1
        for (number, address) in addresses.enumerated() {
            var slot = home(of: address)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = UInt32(number) + 1
        }
    }
}
