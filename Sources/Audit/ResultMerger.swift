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
    /// What the connection speaks (docs/protocols.md); null in results made before it.
    @Nullable public var `protocol`: String? = nil
    /// The negotiated TLS version, for TLS connections whose server hello was captured.
    @Nullable public var tlsVersion: String? = nil

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
        self.protocol = connection.evidence.name.name
        tlsVersion = connection.evidence.tlsVersion?.name
    }

    /// The connection back, or nil when an address does not parse.
    public var connection: Connection? {
        guard let clientAddress = IPAddress(client), let serverAddress = IPAddress(server) else { return nil }
        return Connection(
            client: Endpoint(address: clientAddress, port: clientPort), server: Endpoint(address: serverAddress, port: serverPort),
            directionBasis: directionBasis, state: state, packetsToServer: packetsToServer, packetsToClient: packetsToClient,
            bytesToServer: bytesToServer, bytesToClient: bytesToClient, payloadBytesToServer: payloadBytesToServer,
            payloadBytesToClient: payloadBytesToClient, firstSeen: firstSeen.nanoseconds, lastSeen: lastSeen.nanoseconds,
            vlan: vlan, evidence: ProtocolEvidence(self.protocol.flatMap(ProtocolName.init(name:)) ?? .unknown,
                                                   tlsVersion: tlsVersion.flatMap(TLSVersion.init(name:))))
    }
}

/// Combines the results of several nodes (each audited its own traffic with
/// `--connections`) into the connections of one cluster, counting a connection that two
/// nodes captured, one at each end, once.
///
/// Two entries from different results are the same connection when they have the same two
/// endpoints (in either orientation) and their times overlap, allowing `skew` for the
/// nodes' clocks. Entries of one result are never merged with each other: they are
/// different connections of that capture (a client port reused after a close). The merged
/// connection takes, per direction, the larger packet and byte counts (each end sees every
/// packet, unless its capture dropped some), the earliest first and the latest last packet,
/// and the orientation and state of the entry on the strongest evidence (a handshake over
/// the policy, over the ephemeral range; then the one with more packets).
public struct ResultMerger {
    /// Nanoseconds the nodes' clocks may differ by.
    public var skew: Int64

    public init(skew: Int64 = 2_000_000_000) { self.skew = skew }

    /// Why a result cannot be merged.
    public struct MergeError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The connections of all `results` (named by `names` in errors), each counted once.
    /// Throws a `MergeError` for a result without connections, or results repeating
    /// evidence (`refuseRepeats`).
    public func merge(_ results: [AuditResult], names: [String]) throws -> [Connection] {
        try ResultMerger.refuseRepeats(in: results, names: names)
        var tagged: [(source: Int, connection: Connection)] = []
        for (index, result) in results.enumerated() {
            guard let entries = result.connections else {
                throw MergeError(description: "\(names[index]) has no connections section: audit with --connections "
                    + "so that a connection seen at both ends can be counted once")
            }
            for entry in entries {
                guard let connection = entry.connection else {
                    throw MergeError(description: "\(names[index]): connection \(entry.client) -> \(entry.server) has an address that does not parse")
                }
                tagged.append((index, connection))
            }
        }
        // Group by the unordered pair of endpoints, then walk each group in time order.
        var groups: [PairKey: [(source: Int, connection: Connection)]] = [:]
        for item in tagged { groups[PairKey(item.connection), default: []].append(item) }
        var merged: [Connection] = []
        for (_, group) in groups {
            merged += mergeGroup(group.sorted { ($0.connection.firstSeen, $0.source) < ($1.connection.firstSeen, $1.source) })
        }
        return merged.sorted { ($0.firstSeen, $0.client, $0.server) < ($1.firstSeen, $1.client, $1.server) }
    }

    /// The connections of one endpoint pair, `ordered` by first packet: each entry joins
    /// the earliest-opened merged connection that lacks its result and overlaps it in time,
    /// or opens a new one.
    ///
    /// In linear time: entries come in order of first packet, so a merged connection
    /// whose last packet (plus the skew) is before an entry's first packet overlaps no
    /// later entry either and can be dropped for good. For each result, a queue holds the
    /// merged connections that lack it, in the order they were opened; the front one,
    /// once those ended too early are dropped, is the one the entry joins. (Scanning every
    /// open connection for each entry took 8.5 s for 40,000 connections on one pair.)
    func mergeGroup(_ ordered: [(source: Int, connection: Connection)]) -> [Connection] {
        var merged: [Connection] = []
        let sources = Set(ordered.map(\.source))
        // Per result: indices into `merged` lacking it, oldest first, from `head` on.
        var waiting: [Int: (queue: [Int], head: Int)] = Dictionary(uniqueKeysWithValues: sources.map { ($0, ([], 0)) })
        for (source, connection) in ordered {
            var joined = false
            if sources.count > 1 {
                var (queue, head) = waiting[source]!
                while head < queue.count, !overlaps(merged[queue[head]], connection) { head += 1 }
                if head < queue.count {
                    merged[queue[head]] = combine(merged[queue[head]], connection)
                    head += 1
                    joined = true
                }
                waiting[source] = (queue, head)
            }
            if !joined {
                merged.append(connection)
                for other in sources where other != source { waiting[other]!.queue.append(merged.count - 1) }
            }
        }
        return merged
    }

    func overlaps(_ x: Connection, _ y: Connection) -> Bool {
        x.firstSeen <= y.lastSeen.addingSaturated(skew) && y.firstSeen <= x.lastSeen.addingSaturated(skew)
    }

    /// One connection from two captures of it.
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
        return result
    }

    /// Whether `x` rests on stronger evidence than `y` (its orientation and state win).
    static func stronger(_ x: Connection, _ y: Connection) -> Bool {
        let rank: [DirectionBasis: Int] = [.handshake: 3, .policy: 2, .ephemeral: 1, .unknown: 0]
        let (rx, ry) = (rank[x.directionBasis, default: 0], rank[y.directionBasis, default: 0])
        if rx != ry { return rx > ry }
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

extension ResultMerger {
    /// The inputs of the merged results, each path prefixed with the result file it came
    /// from (`node1.json: /captures/a.pcap`).
    public static func inputs(of results: [AuditResult], names: [String]) -> [InputSummary] {
        zip(results, names).flatMap { result, name in
            result.inputs.map { input in
                var input = input
                input.path = "\(name): \(input.path)"
                return input
            }
        }
    }
}

extension Evidence {
    /// The evidence of a merged result: the command line, the policy digest, and the
    /// SHA-256 of each result file merged (the captures themselves are on the nodes).
    public init(ofMerged result: AuditResult, arguments: [String], resultFiles: [String]) throws {
        let policyJSON = try ResultCoding.encoder(canonical: true).encode(result.policy)
        self.init(commandLine: ["dasaudit"] + arguments,
                  policySha256: SHA256.hash(data: policyJSON).map { String(format: "%02x", $0) }.joined(),
                  inputs: resultFiles.map { InputEvidence(hashing: $0) })
    }
}
