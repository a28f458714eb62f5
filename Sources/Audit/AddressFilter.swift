import Wire

/// A bit per slot of a multiplicative hash of addresses: says in a multiply and a load that
/// an address is surely not one of those inserted (a "maybe" still needs the real lookup).
///
/// Port-scan detection asks, for every client of every service, whether the client failed
/// a connect anywhere; on a busy capture that is hundreds of thousands of clients, few of
/// which failed, and a `Dictionary` lookup (SipHash) each was most of the detection's time.
/// With sixteen bits per inserted address about one "maybe" in sixteen is wrong.
struct AddressFilter {
    private var words: [UInt64]
    private let shift: UInt64

    /// Room for `count` addresses at sixteen bits each (at least 1,024 bits, at most 2^24).
    init(capacity count: Int) {
        var bits = 1 << 10
        while bits < count * 16, bits < 1 << 24 { bits <<= 1 }
        words = [UInt64](repeating: 0, count: bits / 64)
        shift = UInt64(64 - bits.trailingZeroBitCount)
    }

    mutating func insert(_ address: IPAddress) {
        let slot = slot(of: address)
        words[slot >> 6] |= 1 << UInt64(slot & 63)
    }

    /// False when `address` was surely not inserted.
    func mayContain(_ address: IPAddress) -> Bool {
        let slot = slot(of: address)
        return words[slot >> 6] & (1 << UInt64(slot & 63)) != 0
    }

    private func slot(of address: IPAddress) -> Int {
        let golden: UInt64 = 0x9E37_79B9_7F4A_7C15
        let mixed = ((address.high &* golden) ^ address.low) &* golden
        return Int(truncatingIfNeeded: mixed >> shift)
    }
}
