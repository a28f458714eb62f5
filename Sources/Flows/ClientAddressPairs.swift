import Wire

/// The client addresses of every endpoint of an `EndpointTally`, as one set of
/// (endpoint number, address) pairs: what replaced a `Set<IPAddress>` per service.
///
/// Flat tables for all endpoints: adding a client of a connection is a `SeededHash` and a
/// probe, with no allocation per service and no reference counting; their size follows the
/// pairs recorded, which `ClientBudget` bounds (`FlowLimits.maxClientAddresses`). IPv4
/// clients, the common case, take 8 bytes a pair (`IPv4ClientPair`), others 24.
struct ClientAddressPairs: Sendable {
    private var ipv4: FlatTable<IPv4ClientPair>
    private var others: FlatTable<ClientAddressPair>

    init(hash: SeededHash = .process) {
        ipv4 = FlatTable(hash: hash)
        others = FlatTable(hash: hash)
    }

    /// Pairs held.
    var count: Int { ipv4.count + others.count }

    /// Adds `address` to the clients of endpoint `owner`; whether it was new.
    @inline(__always)
    mutating func insert(_ address: IPAddress, owner: Int) -> Bool {
        if let value = address.ipv4Value { return ipv4.insert(IPv4ClientPair(address: value, owner: owner)) }
        return others.insert(ClientAddressPair(address: address, owner: UInt32(truncatingIfNeeded: owner)))
    }

    /// Asks for the slot that `insert` or `contains` of this pair reads first (`FlatTable.prefetch`).
    @inline(__always)
    func prefetch(_ address: IPAddress, owner: Int) {
        if let value = address.ipv4Value { return ipv4.prefetch(IPv4ClientPair(address: value, owner: owner)) }
        others.prefetch(ClientAddressPair(address: address, owner: UInt32(truncatingIfNeeded: owner)))
    }

    /// Whether `address` is a client of endpoint `owner`.
    func contains(_ address: IPAddress, owner: Int) -> Bool {
        if let value = address.ipv4Value { return ipv4.find(IPv4ClientPair(address: value, owner: owner)).found }
        return others.find(ClientAddressPair(address: address, owner: UInt32(truncatingIfNeeded: owner))).found
    }

    /// Calls `body` with every pair (endpoint number, address), in an order that depends on
    /// the process's seed.
    func forEach(_ body: (_ owner: Int, _ address: IPAddress) throws -> Void) rethrows {
        try ipv4.forEach { try body($0.owner, IPAddress(ipv4: $0.address)) }
        try others.forEach { try body(Int($0.owner), $0.address) }
    }
}

/// An IPv4 client address of one endpoint in one word: the endpoint's number in the high
/// half (`UInt32.max` in a free slot), the address in the low one.
struct IPv4ClientPair: FlatTableEntry, Equatable {
    var bits: UInt64

    init(address: UInt32, owner: Int) {
        bits = UInt64(truncatingIfNeeded: owner) << 32 | UInt64(address)
    }

    private init(bits: UInt64) { self.bits = bits }

    var address: UInt32 { UInt32(truncatingIfNeeded: bits) }
    var owner: Int { Int(bits >> 32) }

    static var free: IPv4ClientPair { IPv4ClientPair(bits: .max) }
    var isFree: Bool { bits >> 32 == UInt64(UInt32.max) }
    var key: IPv4ClientPair { self }
    @inline(__always)
    static func matches(_ entry: IPv4ClientPair, _ key: IPv4ClientPair) -> Bool { entry == key }
    @inline(__always)
    static func hash(_ key: IPv4ClientPair, _ hash: SeededHash) -> UInt64 {
        hash(IPAddress(ipv4: key.address), tag: UInt64(key.owner))
    }
}

/// A client address of one endpoint (24 bytes); `owner` is the endpoint's number in its
/// `EndpointIndex`, `UInt32.max` in a free slot.
struct ClientAddressPair: FlatTableEntry, Equatable {
    var address: IPAddress
    var owner: UInt32

    static var free: ClientAddressPair { ClientAddressPair(address: IPAddress(high: 0, low: 0), owner: .max) }
    var isFree: Bool { owner == .max }
    var key: ClientAddressPair { self }
    @inline(__always)
    static func matches(_ entry: ClientAddressPair, _ key: ClientAddressPair) -> Bool { entry == key }
    @inline(__always)
    static func hash(_ key: ClientAddressPair, _ hash: SeededHash) -> UInt64 { hash(key.address, tag: UInt64(key.owner)) }
}
