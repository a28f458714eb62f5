import Protocols
import Wire

/// One of the first clients of one protocol at one service, with its own connections of
/// that protocol: what lets the audit's end stage take a port scanner's probes out of what
/// a port speaks (`ServiceTraffic.protocolCountsBesidesScanners`), once port-scan detection
/// has named the scanners, which it can only do at the end.
public struct ProtocolClient: Sendable, Equatable {
    public var protocolName: ProtocolName
    public var address: IPAddress
    /// Its connections of `protocolName` to the service.
    public var connections: UInt32
    /// Those of them the server sent no payload to (`TrafficCounts.unansweredPlaintextConnections`).
    public var unansweredPlaintext: UInt32
    /// Set by the end stage: `address` ran a port scan (`ServiceTraffic.markScanners`).
    public var isScanner = false

    public init(protocolName: ProtocolName, address: IPAddress, connections: UInt32, unansweredPlaintext: UInt32,
                isScanner: Bool = false) {
        self.protocolName = protocolName
        self.address = address
        self.connections = connections
        self.unansweredPlaintext = unansweredPlaintext
        self.isScanner = isScanner
    }
}

/// The first `perProtocol` client addresses of each protocol each service's connections
/// spoke, each with its own connection counts: bounded, whatever the capture holds.
///
/// Keyed by (service row, protocol), one entry holding `perProtocol` clients; at most
/// `maxEntries` entries, and only the first `connectionsRecorded` connections of each
/// (service, protocol) are looked up (`ServiceStatistics`). A client past its entry's
/// `perProtocol`, of a (service, protocol) past `maxEntries`, or a connection past the
/// first `connectionsRecorded`, is not recorded: its connections stay in the service's
/// counts only, so they are never taken out as a scanner's (which ones are recorded then
/// depends on the order connections were folded in, as with the other bounds). `none` and
/// `unknown` name no protocol and are not recorded. The counts of a recorded client are
/// exact: all its connections of that protocol to that service add up in its slot.
struct ProtocolClientTable: Sendable {
    /// Clients recorded per (service, protocol).
    static let perProtocol = 4
    /// Connections of one protocol at one service whose clients are recorded: the first
    /// 8. A scanner's probes are a few per port (nmap -sV: at most 6 of one protocol on the
    /// bug hunt's ports); a protocol a service has carried more
    /// often than this is its clients' (a scanner's later connections of it stay counted,
    /// so the findings keep them: the safe side). Without this bound every connection
    /// looked up its (service, protocol) entry: the tracking thread took 0.84 s instead of
    /// 0.67 s on the services shape of the benchmark (docs/performance-log.md).
    static let connectionsRecorded: UInt64 = 8
    /// (service, protocol) entries at most: 65,536 of 112 bytes (the table at most 3/4 full: 8 to 16 MB).
    static let maxEntries = 1 << 16

    private var table = FlatTable<Entry>()

    /// Counts `connection` (of a service at `row`) for its client, if its protocol is named
    /// and the bounds allow.
    @inline(__always)
    mutating func add(_ connection: Connection, row: Int) {
        let name = connection.evidence.name
        guard name != .none && name != .unknown else { return }
        let unanswered: UInt32 = connection.payloadBytesToClient == 0 && name.isPlaintext ? 1 : 0
        record(Entry(row: row, protocolName: name,
                     first: Slot(address: connection.client.address, connections: 1, unansweredPlaintext: unanswered)))
    }

    /// Adds `other`'s entries, their service rows renumbered by `rowOf` (-1: not listed here).
    mutating func merge(_ other: ProtocolClientTable, rowOf: [Int]) {
        other.table.forEach { entry in
            let row = rowOf[entry.row]
            guard row >= 0 else { return }
            var moved = entry
            moved.key = Entry.key(row: row, protocolName: entry.protocolName)
            record(moved)
        }
    }

    /// Every recorded client, by service row: what `ServiceStatistics.takeServicesAndAttempts`
    /// hands to each service.
    func forEach(_ body: (_ row: Int, _ client: ProtocolClient) -> Void) {
        table.forEach { entry in
            for index in entry.slots.indices where entry.slots[index].connections > 0 {
                let slot = entry.slots[index]
                body(entry.row, ProtocolClient(protocolName: entry.protocolName, address: slot.address,
                                               connections: slot.connections, unansweredPlaintext: slot.unansweredPlaintext))
            }
        }
    }

    @inline(__always)
    private mutating func record(_ entry: Entry) {
        if table.count < Self.maxEntries { _ = table.insertOrMerge(entry) } else { _ = table.merge(entry) }
    }

    struct Slot: BitwiseCopyable {
        var address = IPAddress(high: 0, low: 0)
        /// 0: a free slot. Saturating.
        var connections: UInt32 = 0
        var unansweredPlaintext: UInt32 = 0
    }

    /// One (service row, protocol) and its first clients.
    struct Entry: TalliedEntry {
        /// The row in the high bits, the protocol in the low byte; `UInt64.max` in a free slot.
        var key: UInt64
        var slots = InlineArray<4, Slot>(repeating: Slot())  // perProtocol

        init(row: Int, protocolName: ProtocolName, first: Slot) {
            key = Self.key(row: row, protocolName: protocolName)
            slots[0] = first
        }

        private init(key: UInt64) { self.key = key }

        static func key(row: Int, protocolName: ProtocolName) -> UInt64 {
            UInt64(truncatingIfNeeded: row) << 8 | UInt64(protocolName.rawValue)
        }

        var row: Int { Int(key >> 8) }
        var protocolName: ProtocolName { ProtocolName(rawValue: UInt8(truncatingIfNeeded: key)) ?? .other }

        static var free: Self { Self(key: .max) }
        var isFree: Bool { key == .max }
        @inline(__always)
        static func matches(_ entry: Self, _ key: UInt64) -> Bool { entry.key == key }
        @inline(__always)
        static func hash(_ key: UInt64, _ hash: SeededHash) -> UInt64 {
            hash(IPAddress(high: 0, low: key), tag: 0)
        }

        /// Adds `other`'s clients: to the slot of the same address, or to a free one; a
        /// client with neither is not recorded.
        mutating func merge(_ other: Self) {
            for incoming in other.slots.indices where other.slots[incoming].connections > 0 {
                let client = other.slots[incoming]
                for slot in slots.indices {
                    if slots[slot].connections == 0 {
                        slots[slot] = client
                        break
                    }
                    if slots[slot].address == client.address {
                        slots[slot].connections.addSaturated(client.connections)
                        slots[slot].unansweredPlaintext.addSaturated(client.unansweredPlaintext)
                        break
                    }
                }
            }
        }
    }
}

extension EndpointList where Value == ServiceTraffic {
    /// Hands each service its recorded clients of each protocol (`ServiceTraffic.protocolClients`,
    /// by protocol, then address), from `table`, whose rows are endpoints by `endpointOfRow`.
    mutating func attach(_ table: ProtocolClientTable, endpointOfRow: [Endpoint]) {
        var touched: [Int] = []
        table.forEach { row, client in
            guard let position = position(of: endpointOfRow[row]) else { return }
            modifyValue(at: position) { traffic in
                if traffic.protocolClients.isEmpty { touched.append(position) }
                traffic.protocolClients.append(client)
            }
        }
        for position in touched {
            modifyValue(at: position) { $0.protocolClients.sort { ($0.protocolName, $0.address) < ($1.protocolName, $1.address) } }
        }
    }
}
