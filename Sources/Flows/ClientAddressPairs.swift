import Wire

/// The client addresses of every endpoint of an `EndpointTally`, as one set of
/// (endpoint number, address) pairs: what replaced a `Set<IPAddress>` per service.
///
/// One flat table for all endpoints: adding a client of a connection is a `SeededHash` and
/// a probe, with no allocation per service and no reference counting; its size follows the
/// pairs recorded, which `ClientBudget` bounds (`FlowLimits.maxClientAddresses`).
struct ClientAddressPairs: Sendable {
    private var table: FlatTable<ClientAddressPair>

    init(hash: SeededHash = .process) {
        table = FlatTable(hash: hash)
    }

    /// Pairs held.
    var count: Int { table.count }

    /// Adds `address` to the clients of endpoint `owner`; whether it was new.
    @inline(__always)
    mutating func insert(_ address: IPAddress, owner: Int) -> Bool {
        table.insert(ClientAddressPair(address: address, owner: UInt32(truncatingIfNeeded: owner)))
    }

    /// Whether `address` is a client of endpoint `owner`.
    func contains(_ address: IPAddress, owner: Int) -> Bool {
        table.find(ClientAddressPair(address: address, owner: UInt32(truncatingIfNeeded: owner))).found
    }

    /// Calls `body` with every pair (endpoint number, address), in an order that depends on
    /// the process's seed.
    func forEach(_ body: (_ owner: Int, _ address: IPAddress) throws -> Void) rethrows {
        try table.forEach { try body(Int($0.owner), $0.address) }
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
