import Wire

/// Numbers endpoints 0, 1, 2, ... in the order they are first added, and finds an
/// endpoint's number: how `EndpointTally` keeps its rows in a dense array instead of a
/// `Dictionary<Endpoint, ...>` (which hashed every endpoint with SipHash and stored the
/// rows in its own hash order).
struct EndpointIndex: Sendable {
    /// The endpoints, by number.
    private(set) var endpoints: [Endpoint] = []
    private var table: FlatTable<NumberedEndpoint>

    init(hash: SeededHash = .process) {
        table = FlatTable(hash: hash)
    }

    var count: Int { endpoints.count }

    /// The number of `endpoint`, if it was added.
    func number(of endpoint: Endpoint) -> Int? {
        let place = table.find(endpoint)
        return place.found ? Int(table[place.slot].number) : nil
    }

    /// Asks for the slot that a lookup of `endpoint` reads first (`FlatTable.prefetch`).
    @inline(__always)
    func prefetch(_ endpoint: Endpoint) { table.prefetch(endpoint) }

    /// The number of `endpoint`, adding it if it is new and fewer than `cap` endpoints are
    /// numbered; nil if it is new and `cap` are.
    @inline(__always)
    mutating func number(of endpoint: Endpoint, addingBelow cap: Int) -> Int? {
        let place = table.find(endpoint)
        if place.found { return Int(table[place.slot].number) }
        guard endpoints.count < cap else { return nil }
        let number = endpoints.count
        precondition(number < Int(Int32.max), "too many endpoints")
        table.insert(NumberedEndpoint(endpoint: endpoint, number: Int32(truncatingIfNeeded: number)), at: place.slot)
        endpoints.append(endpoint)
        return number
    }
}

/// An endpoint and its number, as `EndpointIndex` stores them (24 bytes).
struct NumberedEndpoint: FlatTableEntry {
    var endpoint: Endpoint
    var number: Int32

    static var free: NumberedEndpoint { NumberedEndpoint(endpoint: Endpoint(address: IPAddress(high: 0, low: 0), port: 0), number: -1) }
    var isFree: Bool { number < 0 }
    var key: Endpoint { endpoint }
    @inline(__always)
    static func matches(_ entry: NumberedEndpoint, _ key: Endpoint) -> Bool { entry.endpoint == key }
    @inline(__always)
    static func hash(_ key: Endpoint, _ hash: SeededHash) -> UInt64 { hash(key.address, tag: UInt64(key.port)) }
}
