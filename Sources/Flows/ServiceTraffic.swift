import Protocols
import Wire

/// The traffic one server endpoint served: its counters and its client addresses.
///
/// `ServiceStatistics` keeps the counters (`TrafficCounts`) in a dense array and the
/// clients in one flat set for all services while it folds connections in, and builds
/// these values when `services` is read, the clients of each sorted (`ClientAddresses`).
/// The counters read and write as fields of the service (`traffic.connections`,
/// `traffic.stateCounts[.midstream]`).
@dynamicMemberLookup
public struct ServiceTraffic: Sendable, Equatable {
    public var counts = TrafficCounts()
    /// Distinct client addresses, sorted (see `ServiceStatistics` for the bound).
    public var clients: ClientAddresses = []
    /// The first clients of each protocol it spoke, with their own counts, by protocol then
    /// address (`ProtocolClientTable` for the bounds); empty for a service no table built.
    public var protocolClients: [ProtocolClient] = []
    /// Set by `markScanners`: every client address it has is a marked scanner, so all its
    /// connections are theirs, recorded in `protocolClients` or not.
    public var servedOnlyScanners = false
    /// The client ports of the connections that were the service's own probes
    /// (`TrafficCounts.serverProbes`), distinct, in order; at most what `ServerProbePorts`
    /// keeps.
    public var serverProbedPorts: [UInt16] = []

    public init() {}

    init(counts: TrafficCounts, clients: ClientAddresses) {
        self.counts = counts
        self.clients = clients
    }

    @inlinable
    public subscript<Value>(dynamicMember field: WritableKeyPath<TrafficCounts, Value>) -> Value {
        get { counts[keyPath: field] }
        set { counts[keyPath: field] = newValue }
    }

    @inlinable
    public subscript<Value>(dynamicMember field: KeyPath<TrafficCounts, Value>) -> Value {
        counts[keyPath: field]
    }
}

/// The counters of one service: fixed-size, so that folding a connection in allocates and
/// hashes nothing (the client address is recorded apart, `ClientAddressPairs`).
public struct TrafficCounts: Sendable, Equatable, EndpointCounts {
    public var connections: UInt64 = 0
    public var packets: UInt64 = 0
    /// Frame bytes as on the wire, both directions.
    public var bytes: UInt64 = 0
    public var payloadBytes: UInt64 = 0
    /// Connections the client left half open (`Connection.halfOpen`): how port-scan
    /// detection tells a SYN scan from a connect scan.
    public var halfOpenConnections: UInt64 = 0
    /// Connections that were only a probe without a SYN (`Connection.probeWithoutSyn`), and
    /// those of them the server answered with a RST: a service all of whose connections
    /// are such probes is, within a port scan, a probed port that did not serve.
    public var probesWithoutSyn: UInt64 = 0
    public var probesWithoutSynReset: UInt64 = 0
    /// The client port every probe without a SYN came from (`SoleClientPort`): a FIN, NULL,
    /// Xmas, ACK or Maimon scan sends all its probes from one.
    public var probeClientPorts = SoleClientPort()
    /// Connections that were the server's own probe without a SYN, answered by the
    /// client's RST (`Connection.probedByServer`): a service whose every connection is
    /// one, to one host, may be a scanner sending from a catalog port (`PortScans`).
    public var serverProbes: UInt64 = 0
    /// Whether every connection was the server's own probe (`serverProbes`).
    public var onlyServerProbes: Bool { connections > 0 && serverProbes == connections }
    /// Whether those probes all carried one acknowledgment number, as a scanner's do and a
    /// server's keep-alives to several clients do not (`Connection.probeAcknowledgment`).
    public var serverProbeAcknowledgments = SharedAcknowledgment()
    /// Those of `serverProbes` that looked hand-made (`Connection.probeLooksHandMade`: no
    /// TCP option, no DF), as a scanner's probes do whatever their numbers, and a server's
    /// keep-alives do not whatever their clients' ports.
    public var handMadeServerProbes: UInt64 = 0
    /// Whether every one of the server's own probes looked hand-made (`handMadeServerProbes`).
    public var onlyHandMadeServerProbes: Bool { serverProbes > 0 && handMadeServerProbes == serverProbes }
    /// Connections that were a bare ACK the server answered with a RST (`Connection.refusedAck`).
    public var refusedAcks: UInt64 = 0
    /// Whether every connection was such a refused ACK: no handshake and no byte shows
    /// anything served there (nmap's host discovery ACK to port 80, answered by a RST). The
    /// audit makes it a refused attempt, unless a port scan took it (`Auditor`).
    public var onlyRefusedAcks: Bool { connections > 0 && refusedAcks == connections }
    /// Whether every connection was a probe without a SYN.
    public var onlyProbesWithoutSyn: Bool { connections > 0 && probesWithoutSyn == connections }
    /// Connections still open at their last captured packet (`Connection.isOpenAtEnd`): what
    /// a port a scan folded takes out of `coverage.open_at_end` (its probes were none).
    public var openAtEndConnections: UInt64 = 0
    /// Connections in which the client sent payload: a request, which no port scan's probe
    /// carries (a SYN scan's half-open handshake, a connect scan's handshake closed at once).
    public var clientPayloadConnections: UInt64 = 0
    /// Whether every connection carried the client's payload: the port served real clients
    /// only, and no scanner among them probed it (`ScanProbes`).
    public var onlyClientPayload: Bool { connections > 0 && clientPayloadConnections == connections }
    /// Connections of a plaintext protocol (`ProtocolName.isPlaintext`) to which the server
    /// sent no payload: only the client spoke in the clear, and the service did not answer
    /// it so (a TLS server waits for a hello). What a `plaintext-on-tls-port` finding tells
    /// apart: the clients to configure, not the service.
    public var unansweredPlaintextConnections: UInt64 = 0
    /// Connections per direction basis, state, protocol spoken (`Connection.evidence`) and
    /// negotiated TLS version (those whose server hello was captured): fixed counters
    /// (`CaseCounts`).
    public var basisCounts = CaseCounts<DirectionBasis>()
    public var stateCounts = CaseCounts<ConnectionState>()
    public var protocolCounts = CaseCounts<ProtocolName>()
    public var tlsVersionCounts = CaseCounts<TLSVersion>()
    /// The same counts as dictionaries (each case counted at least once), as results hold them.
    public var basis: [DirectionBasis: UInt64] { basisCounts.dictionary }
    public var states: [ConnectionState: UInt64] { stateCounts.dictionary }
    public var protocols: [ProtocolName: UInt64] { protocolCounts.dictionary }
    public var tlsVersions: [TLSVersion: UInt64] { tlsVersionCounts.dictionary }
    /// Nanoseconds since the Unix epoch; `Int64.max` / `Int64.min` while empty.
    public var firstSeen = Int64.max
    public var lastSeen = Int64.min

    public init() {}

    /// Counts one connection (its client is recorded apart).
    @inline(__always)
    mutating func add(_ connection: Connection) {
        protocolCounts.increment(connection.evidence.name)
        if let version = connection.evidence.tlsVersion { tlsVersionCounts.increment(version) }
        connections += 1
        if connection.halfOpen { halfOpenConnections += 1 }
        if connection.isOpenAtEnd { openAtEndConnections += 1 }
        if connection.payloadBytesToServer > 0 { clientPayloadConnections += 1 }
        if connection.probeWithoutSyn {
            probesWithoutSyn += 1
            if connection.packetsToClient > 0 { probesWithoutSynReset += 1 }
            probeClientPorts.add(connection.client.port)
        }
        if connection.probedByServer {
            serverProbes += 1
            serverProbeAcknowledgments.add(connection.probeAcknowledgment)
            if connection.probeLooksHandMade { handMadeServerProbes += 1 }
        }
        if connection.refusedAck { refusedAcks += 1 }
        if connection.payloadBytesToClient == 0 && connection.evidence.name.isPlaintext { unansweredPlaintextConnections += 1 }
        packets.addSaturated(connection.packets)
        bytes.addSaturated(connection.bytes)
        payloadBytes.addSaturated(connection.payloadBytes)
        basisCounts.increment(connection.directionBasis)
        stateCounts.increment(connection.state)
        firstSeen = min(firstSeen, connection.firstSeen)
        lastSeen = max(lastSeen, connection.lastSeen)
    }

    /// Adds `other`'s counts, saturating (counts merged from result files are outside input).
    mutating func merge(_ other: TrafficCounts) {
        connections += other.connections
        halfOpenConnections.addSaturated(other.halfOpenConnections)
        openAtEndConnections.addSaturated(other.openAtEndConnections)
        clientPayloadConnections.addSaturated(other.clientPayloadConnections)
        probesWithoutSyn.addSaturated(other.probesWithoutSyn)
        probesWithoutSynReset.addSaturated(other.probesWithoutSynReset)
        serverProbes.addSaturated(other.serverProbes)
        serverProbeAcknowledgments.merge(other.serverProbeAcknowledgments)
        handMadeServerProbes.addSaturated(other.handMadeServerProbes)
        refusedAcks.addSaturated(other.refusedAcks)
        probeClientPorts.merge(other.probeClientPorts)
        unansweredPlaintextConnections.addSaturated(other.unansweredPlaintextConnections)
        packets.addSaturated(other.packets)
        bytes.addSaturated(other.bytes)
        payloadBytes.addSaturated(other.payloadBytes)
        basisCounts.add(other.basisCounts)
        stateCounts.add(other.stateCounts)
        protocolCounts.add(other.protocolCounts)
        tlsVersionCounts.add(other.tlsVersionCounts)
        firstSeen = min(firstSeen, other.firstSeen)
        lastSeen = max(lastSeen, other.lastSeen)
    }
}
