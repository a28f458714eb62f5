import Wire

/// The client addresses of every endpoint of an `EndpointTally`, as one set of
/// (endpoint number, address) pairs, each with a `Tally` of its own (nothing for the
/// services; each client's failed connects for the attempted endpoints): what replaced a
/// `Set<IPAddress>` per service.
///
/// Flat tables for all endpoints: adding a client of a connection is a `SeededHash` and a
/// probe, with no allocation per service and no reference counting; their size follows the
/// pairs recorded, which `ClientBudget` bounds (`FlowLimits.maxClientAddresses`). IPv4
/// clients, the common case, take 8 bytes a pair (`IPv4ClientPair`) and the tally's, others
/// 24 and the tally's.
struct ClientAddressPairs<Tally: ClientTally>: Sendable {
    private var ipv4: FlatTable<IPv4ClientPair<Tally>>
    private var others: FlatTable<ClientAddressPair<Tally>>

    init(hash: SeededHash = .process) {
        ipv4 = FlatTable(hash: hash)
        others = FlatTable(hash: hash)
    }

    /// Pairs held.
    var count: Int { ipv4.count + others.count }

    /// Adds `address` to the clients of endpoint `owner` with `tally`, or adds `tally` to the
    /// pair's if it is there; whether the pair is new.
    @inline(__always)
    mutating func insert(_ address: IPAddress, owner: Int, tally: Tally = Tally()) -> Bool {
        if let value = address.ipv4Value { return ipv4.insertOrMerge(IPv4ClientPair(address: value, owner: owner, tally: tally)) }
        return others.insertOrMerge(ClientAddressPair(address: address, owner: UInt32(truncatingIfNeeded: owner), tally: tally))
    }

    /// Adds `tally` to the pair's if `address` is a client of endpoint `owner`; whether it is.
    @inline(__always)
    mutating func addToExisting(_ address: IPAddress, owner: Int, tally: Tally) -> Bool {
        if let value = address.ipv4Value { return ipv4.merge(IPv4ClientPair(address: value, owner: owner, tally: tally)) }
        return others.merge(ClientAddressPair(address: address, owner: UInt32(truncatingIfNeeded: owner), tally: tally))
    }

    /// Asks for the slot that `insert` or `contains` of this pair reads first (`FlatTable.prefetch`).
    @inline(__always)
    func prefetch(_ address: IPAddress, owner: Int) {
        if let value = address.ipv4Value { return ipv4.prefetch(IPv4ClientPair<Tally>.key(address: value, owner: owner)) }
        others.prefetch(ClientAddressPair<Tally>.Key(address: address, owner: UInt32(truncatingIfNeeded: owner)))
    }

    /// Whether `address` is a client of endpoint `owner`.
    func contains(_ address: IPAddress, owner: Int) -> Bool {
        tally(of: address, owner: owner) != nil
    }

    /// The tally of `address` at endpoint `owner`; nil if it is not a client of it.
    func tally(of address: IPAddress, owner: Int) -> Tally? {
        if let value = address.ipv4Value {
            let place = ipv4.find(IPv4ClientPair<Tally>.key(address: value, owner: owner))
            return place.found ? ipv4[place.slot].tally : nil
        }
        let place = others.find(ClientAddressPair<Tally>.Key(address: address, owner: UInt32(truncatingIfNeeded: owner)))
        return place.found ? others[place.slot].tally : nil
    }

    /// Calls `body` with every pair (endpoint number, address) and its tally, in an order
    /// that depends on the process's seed.
    func forEach(_ body: (_ owner: Int, _ address: IPAddress, _ tally: Tally) throws -> Void) rethrows {
        try ipv4.forEach { try body($0.owner, IPAddress(ipv4: $0.address), $0.tally) }
        try others.forEach { try body(Int($0.owner), $0.address, $0.tally) }
    }

    /// Calls `body` with every pair (endpoint number, address).
    func forEach(_ body: (_ owner: Int, _ address: IPAddress) throws -> Void) rethrows {
        try forEach { owner, address, _ in try body(owner, address) }
    }
}

/// An IPv4 client address of one endpoint in one word, the endpoint's number in the high
/// half (`UInt32.max` in a free slot), the address in the low one, and its tally.
struct IPv4ClientPair<Tally: ClientTally>: TalliedEntry {
    var bits: UInt64
    var tally: Tally

    init(address: UInt32, owner: Int, tally: Tally) {
        bits = Self.key(address: address, owner: owner)
        self.tally = tally
    }

    private init(bits: UInt64) {
        self.bits = bits
        tally = Tally()
    }

    static func key(address: UInt32, owner: Int) -> UInt64 { UInt64(truncatingIfNeeded: owner) << 32 | UInt64(address) }

    var address: UInt32 { UInt32(truncatingIfNeeded: bits) }
    var owner: Int { Int(bits >> 32) }

    static var free: Self { Self(bits: .max) }
    var isFree: Bool { bits >> 32 == UInt64(UInt32.max) }
    var key: UInt64 { bits }
    mutating func merge(_ other: Self) { tally.merge(other.tally) }
    @inline(__always)
    static func matches(_ entry: Self, _ key: UInt64) -> Bool { entry.bits == key }
    @inline(__always)
    static func hash(_ key: UInt64, _ hash: SeededHash) -> UInt64 {
        hash(IPAddress(ipv4: UInt32(truncatingIfNeeded: key)), tag: key >> 32)
    }
}

/// A client address of one endpoint (24 bytes) and its tally; `owner` is the endpoint's
/// number in its `EndpointIndex`, `UInt32.max` in a free slot.
struct ClientAddressPair<Tally: ClientTally>: TalliedEntry {
    struct Key: Equatable {
        var address: IPAddress
        var owner: UInt32
    }

    var address: IPAddress
    var owner: UInt32
    var tally: Tally

    init(address: IPAddress, owner: UInt32, tally: Tally) {
        self.address = address
        self.owner = owner
        self.tally = tally
    }

    static var free: Self { Self(address: IPAddress(high: 0, low: 0), owner: .max, tally: Tally()) }
    var isFree: Bool { owner == .max }
    var key: Key { Key(address: address, owner: owner) }
    mutating func merge(_ other: Self) { tally.merge(other.tally) }
    @inline(__always)
    static func matches(_ entry: Self, _ key: Key) -> Bool { entry.address == key.address && entry.owner == key.owner }
    @inline(__always)
    static func hash(_ key: Key, _ hash: SeededHash) -> UInt64 { hash(key.address, tag: UInt64(key.owner)) }
}
