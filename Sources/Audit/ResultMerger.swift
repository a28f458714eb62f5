import Crypto
import Flows
import Protocols
import Foundation
import Wire

/// One connection in a result's `connections` section (`dasaudit audit --connections`):
/// enough to fold it into the services again, and to recognise it in the result of another
/// node that captured it at its other end.
public struct ConnectionEntry: Codable, Sendable {
    public var client: String
    public var clientPort: UInt16
    public var server: String
    public var serverPort: UInt16
    public var directionBasis: DirectionBasis
    public var state: ConnectionState
    public var packetsToServer: UInt64
    public var packetsToClient: UInt64
    /// Frame bytes as on the wire, per direction.
    public var bytesToServer: UInt64
    public var bytesToClient: UInt64
    public var payloadBytesToServer: UInt64
    public var payloadBytesToClient: UInt64
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
    @Nullable public var vlan: UInt16?
    /// The tunnel its first packet came out of (`vxlan`, `geneve`, `gre`, `erspan`,
    /// `ip-in-ip`); null when it came in none, and in results made before it.
    @Nullable public var tunnel: String? = nil
    /// What the connection speaks (docs/protocols.md); null in results made before it.
    @Nullable public var `protocol`: String? = nil
    /// The negotiated TLS version, for TLS connections whose server hello was captured.
    @Nullable public var tlsVersion: String? = nil
    /// The client's initial sequence number, when the handshake was captured: with the
    /// endpoints, the connection's identity at any capture point. Null without a SYN or
    /// SYN-ACK, and in results made before it.
    @Nullable public var clientIsn: UInt32? = nil
    /// `closed`, `reset` or `established` (still open at the last packet), whether or not
    /// the start was seen; null in results made before it (taken as the state then).
    @Nullable public var ending: ConnectionState? = nil
    /// The capture point that saw it (`CapturePoint.name`); null in results made before it
    /// (the result's own point is taken then).
    @Nullable public var capturePoint: String? = nil

    public init(_ connection: Connection) {
        client = "\(connection.client.address)"
        clientPort = connection.client.port
        server = "\(connection.server.address)"
        serverPort = connection.server.port
        directionBasis = connection.directionBasis
        state = connection.state
        packetsToServer = connection.packetsToServer
        packetsToClient = connection.packetsToClient
        bytesToServer = connection.bytesToServer
        bytesToClient = connection.bytesToClient
        payloadBytesToServer = connection.payloadBytesToServer
        payloadBytesToClient = connection.payloadBytesToClient
        firstSeen = Timestamp(nanoseconds: connection.firstSeen)
        lastSeen = Timestamp(nanoseconds: connection.lastSeen)
        vlan = connection.vlan
        tunnel = connection.tunnel == .none ? nil : connection.tunnel.name
        self.protocol = connection.evidence.name.name
        tlsVersion = connection.evidence.tlsVersion?.name
        clientIsn = connection.clientInitialSequence
        ending = connection.ending
    }

    /// The connection back, or nil when an address does not parse.
    public var connection: Connection? {
        guard let clientAddress = IPAddress(client), let serverAddress = IPAddress(server) else { return nil }
        return Connection(
            client: Endpoint(address: clientAddress, port: clientPort), server: Endpoint(address: serverAddress, port: serverPort),
            directionBasis: directionBasis, state: state, packetsToServer: packetsToServer, packetsToClient: packetsToClient,
            bytesToServer: bytesToServer, bytesToClient: bytesToClient, payloadBytesToServer: payloadBytesToServer,
            payloadBytesToClient: payloadBytesToClient, firstSeen: firstSeen.nanoseconds, lastSeen: lastSeen.nanoseconds,
            vlan: vlan, tunnel: tunnel.flatMap(Tunnel.init(name:)) ?? .none,
            evidence: ProtocolEvidence(self.protocol.flatMap(ProtocolName.init(name:)) ?? .unknown,
                                       tlsVersion: tlsVersion.flatMap(TLSVersion.init(name:))),
            clientInitialSequence: clientIsn, ending: ending ?? (state == .midstream ? .established : state))
    }
}

/// Combines the results of several capture points and time windows (each audited with
/// `--connections`) into the connections of one cluster, each counted once
/// (docs/merge.md).
///
/// Within one capture point, a connection cut by the end of one window (still open) and
/// picked up at the start of a later one (no SYN: `midstream`) is joined into one, its
/// counts summed (`joinWindows`). Across capture points, two sightings of one connection
/// (its two ends) are one when they join the same two endpoints and either both saw the
/// handshake with the same client initial sequence number, or, when one did not, their
/// times overlap within `skew`; the connection takes, per direction, the larger packet
/// and byte counts (each end sees every packet, unless its capture dropped some), the
/// earliest first and the latest last packet (in the merge's one clock, `MergeClock`,
/// once the clocks' offsets are measured), what it speaks as the sighting that says more
/// of it shows (`evidence(_:_:)`: one end may have captured only the headers), and the
/// orientation and state of the sighting on the strongest evidence (its end as any point
/// saw it, `MergeObservations.inOneClock`). Sightings of one capture point are never
/// deduplicated with each other. Every step works on the sightings sorted in one canonical
/// order, so the outcome depends only on the set of sightings, not on the order or
/// grouping of the results: merge is associative and commutative. A connection captured at
/// one point before an address translation another point named (a published port, a
/// Service) is matched to that point's view, the server it reached (`KnownTranslations`).
public struct ResultMerger {
    /// Nanoseconds the nodes' clocks may differ by.
    public var skew: Int64
    /// `--skew`'s default, 2 s: how far the clocks of synchronised hosts may disagree.
    public static let defaultSkew: Int64 = 2_000_000_000

    public init(skew: Int64 = ResultMerger.defaultSkew) { self.skew = skew }

    /// Why a result cannot be merged.
    public struct MergeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// One connection as one capture point saw it (its windows joined).
    public struct Sighting {
        public var point: String
        public var connection: Connection
    }

    /// What a merge gives: each connection once, to audit, and every sighting as its
    /// source listed it (one per capture point and time window that saw the connection),
    /// to list so that the merged result can be merged again. Sightings are listed before
    /// any joining: a merge of some windows cannot tell whether a window between two of
    /// them is missing, so only the merge that has them all joins them, and every tree of
    /// merges joins the same pieces.
    public struct Merged {
        public var connections: [Connection]
        public var sightings: [Sighting]
        /// What the matching learnt that the counts cannot show.
        public var observations = MergeObservations()
        /// The clock `connections` are timed in.
        public var clock = MergeClock()

        /// The sightings as the merged result's `connections` entries, by capture point
        /// then time.
        public var entries: [ConnectionEntry] {
            sightings.map { sighting in
                var entry = ConnectionEntry(sighting.connection)
                entry.capturePoint = sighting.point
                return entry
            }
        }
    }

    /// The connections of all `results` (named by `names` in errors), each counted once.
    /// Throws a `MergeError` for a result without connections, or results repeating
    /// evidence (`refuseRepeats`).
    public func merge(_ results: [AuditResult], names: [String]) throws -> Merged {
        try ResultMerger.refuseRepeats(in: results, names: names)
        try ResultMerger.refuseSharedPoints(in: results, names: names)
        var groups: [PairKey: [Sighting]] = [:]
        for (index, result) in results.enumerated() {
            guard let entries = result.connections else {
                throw MergeError(description: ResultMerger.unmergeableProblem(result, name: names[index]) ?? "")
            }
            // A result from before capture points: its file stands for its point.
            let resultPoint = result.capturePoints?.count == 1 ? result.capturePoints![0].name : names[index]
            for entry in entries {
                guard let connection = entry.connection else {
                    throw MergeError(description: "\(names[index]): connection \(entry.client) -> \(entry.server) has an address that does not parse")
                }
                groups[PairKey(connection), default: []].append(Sighting(point: entry.capturePoint ?? resultPoint, connection: connection))
            }
        }
        var merged = Merged(connections: [], sightings: [])
        var joined: [[Sighting]] = []
        for (_, group) in groups {
            let ordered = group.sorted(by: ResultMerger.canonicalOrder)
            merged.sightings += ordered
            joined.append(ResultMerger.joinWindows(ordered))
        }
        // A connection other points saw before a translation one of them named goes with the
        // view that point audited: grouped again by the endpoints matched.
        let translations = KnownTranslations(results, names: names)
        if !translations.isEmpty {
            joined = Dictionary(grouping: translations.matched(joined.flatMap { $0 }), by: { PairKey($0.connection) })
                .values.map { $0.sorted(by: ResultMerger.canonicalOrder) }
        }
        for sightings in joined {
            merged.connections += mergeGroup(sightings.map { (source: $0.point, connection: $0.connection) },
                                             base: merged.connections.count, observations: &merged.observations)
        }
        // Every time in one clock, once the clocks' offsets are known.
        merged.clock = MergeClock(offsets: merged.observations.measuredOffsets(),
                                  starts: ResultMerger.captureStarts(MergedProvenance(results, names: names).inputs))
        merged.connections = merged.observations.inOneClock(merged.connections, clock: merged.clock)
        merged.sightings.sort { ($0.point, ResultMerger.sortKey($0.connection)) < ($1.point, ResultMerger.sortKey($1.connection)) }
        merged.connections.sort { ResultMerger.sortKey($0) < ResultMerger.sortKey($1) }
        return merged
    }

    /// Each capture point's earliest first packet among `inputs`, as recorded: the point
    /// whose capture began first gives the merge its clock (`MergeClock`).
    static func captureStarts(_ inputs: [InputSummary]) -> [String: Int64] {
        var starts: [String: Int64] = [:]
        for input in inputs {
            guard let point = input.capturePoint, let first = input.firstSeen?.nanoseconds else { continue }
            starts[point] = min(starts[point] ?? .max, first)
        }
        return starts
    }

    /// The order every step walks sightings in: by first packet, then capture point, then
    /// the rest of the connection, so that equal inputs in any order give equal outputs.
    static func canonicalOrder(_ x: Sighting, _ y: Sighting) -> Bool {
        let (kx, ky) = (sortKey(x.connection), sortKey(y.connection))
        if kx.first != ky.first { return kx.first < ky.first }
        if x.point != y.point { return x.point < y.point }
        return kx < ky
    }

    /// A total order of connections, for stable output.
    static func sortKey(_ c: Connection) -> SortKey {
        SortKey(first: c.firstSeen, client: c.client, server: c.server, last: c.lastSeen, packets: c.packets, bytes: c.bytes,
                isn: c.clientInitialSequence.map(Int64.init) ?? -1)
    }

    struct SortKey: Comparable {
        var first: Int64, client: Endpoint, server: Endpoint, last: Int64, packets: UInt64, bytes: UInt64, isn: Int64

        static func < (x: SortKey, y: SortKey) -> Bool {
            if x.first != y.first { return x.first < y.first }
            if x.client != y.client { return x.client < y.client }
            if x.server != y.server { return x.server < y.server }
            return (x.last, x.packets, x.bytes, x.isn) < (y.last, y.packets, y.bytes, y.isn)
        }
    }

    /// The sightings of one endpoint pair, in canonical order, from different capture
    /// points: each joins the earliest-opened merged connection that lacks its point and is
    /// the same connection (`sameConnection`), or opens a new one. The windows of a merged
    /// connection of several sightings go to `observations` (whether its counts are a lower
    /// bound, `MergeObservations.countedLow`, and its times in one clock, `inOneClock`, need
    /// the clocks' offsets measured over the whole merge; `base` is where this group's
    /// connections begin among the merge's), and one whose sightings both saw the handshake
    /// gives its clocks' offset.
    ///
    /// In linear time: sightings come in order of first packet, so a merged connection
    /// that does not match a sighting of a point matches no later sighting of that point
    /// either (that point's sightings of one pair are successive connections) and leaves
    /// that point's queue for good. For each point, a queue holds the merged connections
    /// that lack it, in the order they were opened. (Scanning every open connection for
    /// each sighting took 8.5 s for 40,000 connections on one pair.)
    func mergeGroup(_ ordered: [(source: String, connection: Connection)], base: Int = 0,
                    observations: inout MergeObservations) -> [Connection] {
        var merged: [Connection] = []
        // Per merged connection: the sighting that opened it; per sighting, its merged connection.
        var openers: [(source: String, connection: Connection)] = []
        var owners: [Int] = []
        owners.reserveCapacity(ordered.count)
        let sources = Set(ordered.map(\.source))
        // Per point: indices into `merged` lacking it, oldest first, from `head` on.
        var waiting: [String: (queue: [Int], head: Int)] = Dictionary(uniqueKeysWithValues: sources.map { ($0, ([], 0)) })
        for (source, connection) in ordered {
            var joined = false
            if sources.count > 1 {
                var (queue, head) = waiting[source]!
                while head < queue.count, !sameConnection(merged[queue[head]], connection) { head += 1 }
                if head < queue.count {
                    let index = queue[head], opener = openers[index]
                    if opener.connection.clientInitialSequence != nil && connection.clientInitialSequence != nil {
                        observations.recordHandshake(opener.connection, at: opener.source, connection, at: source)
                    }
                    merged[index] = combine(merged[index], connection)
                    owners.append(index)
                    head += 1
                    joined = true
                }
                waiting[source] = (queue, head)
            }
            if !joined {
                merged.append(connection)
                observations.openedAt.append(source)
                openers.append((source, connection))
                owners.append(merged.count - 1)
                for other in sources where other != source { waiting[other]!.queue.append(merged.count - 1) }
            }
        }
        if sources.count > 1 { observations.recordShared(ordered, owners: owners, count: merged.count, base: base) }
        return merged
    }

    /// Whether two sightings of one endpoint pair from different capture points are one
    /// connection: the same client initial sequence number when both saw the handshake
    /// (the clocks of two hosts may disagree by more than any skew), else times that
    /// overlap within `skew`.
    func sameConnection(_ x: Connection, _ y: Connection) -> Bool {
        if let isnX = x.clientInitialSequence, let isnY = y.clientInitialSequence {
            return isnX == isnY && x.client == y.client
        }
        return overlaps(x, y)
    }

    func overlaps(_ x: Connection, _ y: Connection) -> Bool {
        x.firstSeen <= y.lastSeen.addingSaturated(skew) && y.firstSeen <= x.lastSeen.addingSaturated(skew)
    }

    /// One connection from two captures of it: the counts, times and protocol of both, the
    /// orientation and state of the stronger (`stronger`).
    func combine(_ x: Connection, _ y: Connection) -> Connection {
        let (lead, other) = ResultMerger.stronger(x, y) ? (x, y) : (y, x)
        var result = lead
        let same = other.client == lead.client
        result.packetsToServer = max(lead.packetsToServer, same ? other.packetsToServer : other.packetsToClient)
        result.packetsToClient = max(lead.packetsToClient, same ? other.packetsToClient : other.packetsToServer)
        result.bytesToServer = max(lead.bytesToServer, same ? other.bytesToServer : other.bytesToClient)
        result.bytesToClient = max(lead.bytesToClient, same ? other.bytesToClient : other.bytesToServer)
        result.payloadBytesToServer = max(lead.payloadBytesToServer, same ? other.payloadBytesToServer : other.payloadBytesToClient)
        result.payloadBytesToClient = max(lead.payloadBytesToClient, same ? other.payloadBytesToClient : other.payloadBytesToServer)
        result.firstSeen = min(lead.firstSeen, other.firstSeen)
        result.lastSeen = max(lead.lastSeen, other.lastSeen)
        result.clientInitialSequence = lead.clientInitialSequence ?? other.clientInitialSequence
        result.evidence = ResultMerger.evidence(lead.evidence, other.evidence)
        return result
    }

    /// Whether `x` rests on stronger evidence than `y` (its orientation and state win).
    /// The bases rank in their declaration order, strongest first (a `probe` under `ephemeral`).
    static func stronger(_ x: Connection, _ y: Connection) -> Bool {
        let order = DirectionBasis.allCases
        let (rx, ry) = (order.firstIndex(of: x.directionBasis)!, order.firstIndex(of: y.directionBasis)!)
        if rx != ry { return rx < ry }
        return x.packets >= y.packets
    }

    /// The two endpoints of a connection, lower first.
    struct PairKey: Hashable {
        let low: Endpoint
        let high: Endpoint

        init(_ connection: Connection) {
            (low, high) = connection.client < connection.server
                ? (connection.client, connection.server) : (connection.server, connection.client)
        }
    }
}

