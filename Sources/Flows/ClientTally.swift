import Wire

/// What a client-pair table (`ClientAddressPairs`) keeps of each (endpoint, client) pair
/// besides the pair: nothing for the services (`NoClientTally`, no byte), each client's own
/// failed connects for the attempted endpoints (`ClientAttemptTally`).
public protocol ClientTally: BitwiseCopyable, Sendable, Equatable {
    init()
    /// Adds `other` (of other connections of the same client to the same endpoint).
    mutating func merge(_ other: Self)
}

/// Nothing kept per pair: the pairs are a set.
public struct NoClientTally: ClientTally {
    public init() {}
    public mutating func merge(_ other: Self) {}
}

/// One client's refused and unanswered connects to one attempted endpoint: what tells one
/// scanner's probes from another's where several tried the same port (`PortScans`), since
/// the endpoint's own counts (`AttemptCounts`) are every client's. Saturating: 4 billion
/// connects of one client to one endpoint is more than a capture holds.
public struct ClientAttemptTally: ClientTally {
    public var refused: UInt32 = 0
    public var unanswered: UInt32 = 0

    public init() {}

    public init(refused: UInt32, unanswered: UInt32) {
        self.refused = refused
        self.unanswered = unanswered
    }

    /// One failed connect of `connection`'s client.
    init(_ connection: Connection) {
        if connection.state == .refused { refused = 1 } else { unanswered = 1 }
    }

    public mutating func merge(_ other: Self) {
        refused.addSaturated(other.refused)
        unanswered.addSaturated(other.unanswered)
    }
}

/// Each attempted endpoint's clients' own failed connects (`ClientAttemptTally`), looked up
/// by the endpoint's place in the attempts' list (`ServiceStatistics.takeServicesAndAttempts`)
/// and a client: the attempts' client pairs, kept for the end stage (port-scan detection).
/// Concrete, so that the lookups are compiled for their types here rather than resolved at
/// run time from another module (a generic table's metadata looked up per call).
public struct AttemptClientTallies: Sendable {
    private let pairs: ClientAddressPairs<ClientAttemptTally>
    /// Each place's row in the tally the pairs are numbered by.
    private let rowOfPlace: [Int]

    init(pairs: ClientAddressPairs<ClientAttemptTally>, rowOfPlace: [Int]) {
        self.pairs = pairs
        self.rowOfPlace = rowOfPlace
    }

    /// No tallies: every endpoint other clients tried too counts as shared.
    public init() {
        self.init(pairs: ClientAddressPairs(), rowOfPlace: [])
    }

    /// Asks for what `tally(at:client:)` reads first, without waiting for it: a caller with
    /// many to look up asks a few ahead, so that their cache misses overlap.
    public func prefetch(at place: Int, client: IPAddress) {
        guard rowOfPlace.indices.contains(place) else { return }
        pairs.prefetch(client, owner: rowOfPlace[place])
    }

    /// Whether the attempted endpoint at `place` has its clients' tallies: then a client
    /// without one there (`tally(at:client:)` nil) made no failed connect to it that was recorded.
    public func hasTallies(at place: Int) -> Bool { rowOfPlace.indices.contains(place) }

    /// The failed connects of `client` to the attempted endpoint at `place`; nil when the
    /// client was not recorded there (past `FlowLimits.maxClientAddresses`).
    public func tally(at place: Int, client: IPAddress) -> ClientAttemptTally? {
        guard rowOfPlace.indices.contains(place) else { return nil }
        return pairs.tally(of: client, owner: rowOfPlace[place])
    }
}
