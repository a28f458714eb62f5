import Protocols
import Wire

/// One finished connection record, in the spirit of a line of Zeek's conn.log: who was
/// the client, who the server and on what basis, how far it got, and what flowed.
public struct Connection: Sendable {
    /// The client side; when the direction is unknown, the lower endpoint.
    public var client: Endpoint
    /// The server side; when the direction is unknown, the higher endpoint.
    public var server: Endpoint
    public var directionBasis: DirectionBasis
    public var state: ConnectionState
    public var packetsToServer: UInt64
    public var packetsToClient: UInt64
    /// Frame bytes as on the wire, per direction.
    public var bytesToServer: UInt64
    public var bytesToClient: UInt64
    public var payloadBytesToServer: UInt64
    public var payloadBytesToClient: UInt64
    /// Nanoseconds since the Unix epoch.
    public var firstSeen: Int64
    public var lastSeen: Int64
    /// The outermost VLAN id of the first packet, if it was tagged.
    public var vlan: UInt16?
    /// The tunnel the first packet came out of (a capture on an underlay), or `.none`.
    public var tunnel: Tunnel = .none
    /// What the connection speaks, from the first payload bytes of each side
    /// (`ProtocolRecognizer`), recognized once, when the record is done.
    public var evidence: ProtocolEvidence
    /// The client's initial sequence number when the handshake was seen (a SYN or a
    /// SYN-ACK), else nil: with the endpoints, the connection's identity across capture
    /// points whose clocks differ (docs/merge.md).
    public var clientInitialSequence: UInt32? = nil
    /// How the connection stood at its last captured packet, whether or not its start
    /// was seen: `closed` (FIN both ways), `reset`, or `established` (still open). A
    /// `midstream` state says nothing of the end; this does, so that `merge` can join a
    /// connection cut by two capture windows into the state one capture would give it.
    public var ending: ConnectionState = .established
    /// Whether the client answered the server's SYN-ACK with a RST and sent nothing else
    /// but SYNs: a SYN (half-open) scan's probe of an open port. Read from the control bits
    /// of each side, so a capture that holds every packet twice says the same.
    public var halfOpen = false
    /// Whether the connection is nothing but a probe without a SYN: no handshake seen, no
    /// payload either way, the client's packets neither SYN nor RST (a FIN, NULL, Xmas,
    /// ACK, Window or Maimon scan's probe) and the server's a RST or nothing. Such a
    /// connection is `midstream` (the end of a real connection caught at its last packets
    /// looks the same), so it stays a service unless its client probed enough ports for a
    /// port scan (`PortScans`), which then takes it for a refused (RST back) or unanswered
    /// probe. Read from the control bits, as `halfOpen`.
    public var probeWithoutSyn = false
    /// Whether the connection is nothing but one side's RSTs of a connection it had
    /// (`ConnectionRecord.Seen.abort`: an ACK and a non-zero sequence number), nothing from
    /// the other side, no handshake: a connection that idled since before the capture
    /// began, aborted (a close with SO_LINGER 0). It is `midstream` traffic, not a refusal;
    /// and a capture of both directions holds it alike (nothing answers a RST), so it is
    /// not counted as seen one way.
    public var abortOnly = false
    /// Whether the connection is nothing but the server's own probe without a SYN (an ACK,
    /// a FIN or both, no payload, no handshake seen) that the client answered with a RST
    /// of no connection of its own (`ConnectionRecord.Seen.isRefusalWithoutAbort`). One
    /// is what a server's keep-alive to a client that lost its socket looks like; many of
    /// one server endpoint to many ports of one host are an ACK, Window or Maimon scan
    /// sent from a catalog port (`nmap -sA -g 7613`), which the port rules took for the
    /// service (`TrafficCounts.serverProbes`, `PortScans`).
    public var probedByServer = false
    /// The acknowledgment number of the server's probe, when the connection is one
    /// (`probedByServer`; else 0): a scanner sends all its probes with one, a server's
    /// keep-alives each carry their connection's (`SharedAcknowledgment`).
    public var probeAcknowledgment: UInt32 = 0
    /// Whether the server's probe, when the connection is one (`probedByServer`), looked
    /// hand-made (`TCPSegment.looksHandMade`: no TCP option, no DF), as a scanner's do and
    /// a TCP stack's keep-alives do not.
    public var probeLooksHandMade = false
    /// Whether the connection is nothing but RSTs without ACK from one side, nothing from
    /// the other, no payload (`ConnectionRecord.Seen.isResetWithoutAck`): no server served
    /// it and no client was refused (a refusal's RST carries an ACK), so it is no
    /// connection: a spoofed RST flood's packet (`hping3 -R --rand-source`), or the
    /// answer to a segment the capture did not hold. `ServiceStatistics` counts its
    /// packets (`loneResetPackets`) and makes nothing else of it.
    public var loneReset = false
    /// Whether the connection is nothing but a bare ACK (no FIN, no payload, no handshake)
    /// the server answered with a RST (`probeWithoutSyn`, `isRefusedAck`): nothing had
    /// that connection. A service whose every connection is one is no service but a
    /// refused port, as one whose SYNs a RST answered (`TrafficCounts.onlyRefusedAcks`).
    public var refusedAck = false
    /// Whether one side acknowledged bytes of the other that the capture never held
    /// (`ConnectionRecord.missedData`): packets of this connection were lost before they
    /// were captured, so its counts are short of what was sent.
    public var missedData = false

    /// Both directions; saturating, since merged counts come from result files.
    public var packets: UInt64 { packetsToServer.addingSaturated(packetsToClient) }

    /// A connection as recorded elsewhere (a result's `connections` section).
    public init(client: Endpoint, server: Endpoint, directionBasis: DirectionBasis, state: ConnectionState,
                packetsToServer: UInt64, packetsToClient: UInt64, bytesToServer: UInt64, bytesToClient: UInt64,
                payloadBytesToServer: UInt64, payloadBytesToClient: UInt64, firstSeen: Int64, lastSeen: Int64,
                vlan: UInt16? = nil, tunnel: Tunnel = .none, evidence: ProtocolEvidence = .none,
                clientInitialSequence: UInt32? = nil, ending: ConnectionState = .established, halfOpen: Bool? = nil) {
        self.client = client
        self.server = server
        self.directionBasis = directionBasis
        self.state = state
        self.packetsToServer = packetsToServer
        self.packetsToClient = packetsToClient
        self.bytesToServer = bytesToServer
        self.bytesToClient = bytesToClient
        self.payloadBytesToServer = payloadBytesToServer
        self.payloadBytesToClient = payloadBytesToClient
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.vlan = vlan
        self.tunnel = tunnel
        self.evidence = evidence
        self.clientInitialSequence = clientInitialSequence
        self.ending = ending
        // A result's record has no control bits: at most SYN, SYN-ACK and RST, no payload.
        self.halfOpen = halfOpen
            ?? (state == .reset && packetsToServer.addingSaturated(packetsToClient) <= 3
                && payloadBytesToServer == 0 && payloadBytesToClient == 0)
    }
    /// Frame bytes both directions; saturating, as `packets`.
    public var bytes: UInt64 { bytesToServer.addingSaturated(bytesToClient) }
    /// TCP payload bytes both directions; saturating, as `packets`.
    public var payloadBytes: UInt64 { payloadBytesToServer.addingSaturated(payloadBytesToClient) }

    /// Decides the direction and the state of a record once its packets are all in;
    /// `samples` are its sides' first payload bytes.
    public init(_ record: ConnectionRecord, samples: PayloadSamples, rules: DirectionRules) {
        self = withUnsafePointer(to: samples) { Connection(record, samplesAt: $0, rules: rules) }
    }

    /// `init(_:samples:rules:)` with the samples read where they lie (nil: none kept): a
    /// sweep makes its connections from the records and samples in the table's storage,
    /// where handing each over as a `DetachedRecord` copied 320 bytes, 200 of them samples
    /// recognized already or empty (docs/performance-log.md, "Evicted in place").
    public init(_ record: ConnectionRecord, samplesAt samples: UnsafePointer<PayloadSamples>?,
                rules: borrowing DirectionRules) {
        let serverIsA: Bool
        // A simultaneous open's first SYN names no server: the rules for connections without
        // a handshake are asked first, and the first SYN's receiver is kept only where they
        // say nothing.
        let simultaneous = record.isSimultaneousOpen
            ? rules.serverIsA(portA: record.key.a.port, portB: record.key.b.port) : nil
        if let (isA, basis) = simultaneous {
            serverIsA = isA
            directionBasis = basis
        } else if let clientIsA = record.clientIsA {
            serverIsA = !clientIsA
            directionBasis = .handshake
        } else if let proberIsA = Connection.handMadeProberIsA(record),
                  rules.serverIsA(portA: record.key.a.port, portB: record.key.b.port).map({ $0.0 == proberIsA }) ?? true {
            // A scanner's probe without an ACK from a catalog port (`nmap -sF -g 9445`): the
            // policy rule named the scanner a DAS service and the probed node its client.
            serverIsA = !proberIsA
            directionBasis = .probe
        } else if let (isA, basis) = rules.serverIsA(portA: record.key.a.port, portB: record.key.b.port) {
            serverIsA = isA
            directionBasis = basis
        } else if let proberIsA = Connection.proberIsA(record) {
            serverIsA = !proberIsA
            directionBasis = .probe
        } else {
            serverIsA = false
            directionBasis = .unknown
        }
        client = serverIsA ? record.key.b : record.key.a
        server = serverIsA ? record.key.a : record.key.b
        packetsToServer = serverIsA ? record.packetsFromB : record.packetsFromA
        packetsToClient = serverIsA ? record.packetsFromA : record.packetsFromB
        bytesToServer = serverIsA ? record.bytesFromB : record.bytesFromA
        bytesToClient = serverIsA ? record.bytesFromA : record.bytesFromB
        payloadBytesToServer = serverIsA ? record.payloadFromB : record.payloadFromA
        payloadBytesToClient = serverIsA ? record.payloadFromA : record.payloadFromB
        firstSeen = record.firstSeen
        lastSeen = record.lastSeen
        vlan = record.vlan
        tunnel = record.tunnel
        clientInitialSequence = record.clientIsA != nil ? record.clientInitialSequence : nil
        let fromServer = serverIsA ? record.seenFromA : record.seenFromB
        let fromClient = serverIsA ? record.seenFromB : record.seenFromA
        // A self-connect has no server: nothing listened on the port (a listener holds it, so
        // no client is given it as its own), and the client's SYN reached its own socket.
        state = record.isSelfConnect
            ? .refused
            : Connection.state(handshakeSeen: record.clientIsA != nil, fromClient: fromClient, fromServer: fromServer,
                               serverResetWithAck: record.resetsWithAck
                                   & (serverIsA ? ConnectionRecord.resetWithAckFromA : ConnectionRecord.resetWithAckFromB) != 0)
        ending = Connection.ending(fromClient: fromClient, fromServer: fromServer)
        missedData = record.missedData
        halfOpen = fromServer.contains(.synAck) && fromClient.isHalfOpenClose
        probeWithoutSyn = record.clientIsA == nil && payloadBytesToServer == 0 && payloadBytesToClient == 0
            && fromClient.isProbeWithoutSyn && (fromServer.isEmpty || fromServer.isRefusalWithoutAbort)
        abortOnly = record.clientIsA == nil && payloadBytesToServer == 0 && payloadBytesToClient == 0
            && (fromClient.isEmpty && fromServer.isAbortOnly || fromServer.isEmpty && fromClient.isAbortOnly)
        let payloadless = payloadBytesToServer == 0 && payloadBytesToClient == 0
        probedByServer = record.clientIsA == nil && payloadless && fromServer.isProbeWithoutSyn
            && !fromServer.contains(.withoutAck) && fromClient.isRefusalWithoutAbort
        if probedByServer {
            probeAcknowledgment = record.firstAcknowledgment ?? 0
            probeLooksHandMade = record.firstLooksHandMade
        }
        loneReset = record.clientIsA == nil && payloadless
            && (fromClient.isEmpty && fromServer.isResetWithoutAck || fromServer.isEmpty && fromClient.isResetWithoutAck)
        refusedAck = probeWithoutSyn && Connection.isRefusedAck(fromClient: fromClient, fromServer: fromServer)
        if let recognized = record.recognizedEvidence {
            evidence = recognized
        } else if let samples {
            evidence = PayloadSamples.evidence(of: samples, serverIsA: serverIsA, fromStart: record.payloadFromStart,
                                               clientSampleUnaccepted: Connection.sentDataOnlyInSyns(fromClient))
        } else {
            evidence = .none
        }
    }

    /// Whether a probe without a SYN (`probeWithoutSyn`) is a bare ACK its server answered
    /// with a RST: the client's packets carry an ACK and nothing else (no FIN, no flag
    /// missing an ACK), the server's are RSTs. A RST answers such an ACK only where no
    /// socket has the connection (a listener answers it so too: it takes only SYNs). A FIN
    /// answered by a RST is not one: a real connection's last packets look so.
    static func isRefusedAck(fromClient: ConnectionRecord.Seen, fromServer: ConnectionRecord.Seen) -> Bool {
        !fromClient.contains(.fin) && !fromClient.contains(.withoutAck) && fromServer.contains(.rst)
    }

    /// Whether a client side that sent payload sent it only in SYNs: it sent nothing but
    /// SYNs and RSTs (no ACK of the server's SYN-ACK, `other`), so its SYN's data was never
    /// taken by an open connection (a SYN scan's probe with `--data-length`, answered by a
    /// RST or by a SYN-ACK the prober resets). TCP Fast Open's accepted data is followed
    /// by the client's ACK, and counts.
    static func sentDataOnlyInSyns(_ fromClient: ConnectionRecord.Seen) -> Bool {
        fromClient.contains(.syn) && !fromClient.contains(.other)
    }

    /// Which side sent a probe without a SYN (`probeWithoutSyn`) that the other answered with
    /// a RST, or sent nothing captured and was sent RSTs and nothing else (a lone refusal:
    /// the SYN or probe it answered was not captured, `state`): `true` for a, `false` for b,
    /// nil when the record is no such probe. Only an
    /// answered one: a packet nothing answered is also what a capture that sees one
    /// direction only holds of a real connection, whose side stays unknown.
    static func proberIsA(_ record: ConnectionRecord) -> Bool? {
        guard record.clientIsA == nil, record.payloadFromA == 0, record.payloadFromB == 0 else { return nil }
        func probes(_ prober: ConnectionRecord.Seen, _ other: ConnectionRecord.Seen) -> Bool {
            (prober.isProbeWithoutSyn || prober.isEmpty) && other.isRefusalWithoutAbort
        }
        if probes(record.seenFromA, record.seenFromB) { return true }
        if probes(record.seenFromB, record.seenFromA) { return false }
        return nil
    }

    /// Which side sent hand-made probes (`ConnectionRecord.Seen.withoutAck`: packets
    /// without an ACK, neither SYN nor RST, which no TCP stack sends in a connection) that
    /// the other answered with RSTs of no connection of its own, or not at all: `true` for
    /// a, `false` for b, nil when the record is no such probe. The prober is the client,
    /// whatever the port rules say of its port: a FIN, NULL or Xmas scan sent from a
    /// catalog port (`nmap -g 9445`, to pass firewalls that trust a service's port) is
    /// told from a service by this alone. A probe with an ACK (an ACK, Window or Maimon
    /// scan's) looks like a real connection's last packets, and is left to the rules.
    static func handMadeProberIsA(_ record: ConnectionRecord) -> Bool? {
        guard record.clientIsA == nil else { return nil }
        func probes(_ prober: ConnectionRecord.Seen, _ other: ConnectionRecord.Seen, otherPayload: UInt64) -> Bool {
            prober.isProbeWithoutSyn && prober.contains(.withoutAck) && otherPayload == 0
                && (other.isEmpty || other.isRefusalWithoutAbort)
        }
        if probes(record.seenFromA, record.seenFromB, otherPayload: record.payloadFromB) { return true }
        if probes(record.seenFromB, record.seenFromA, otherPayload: record.payloadFromA) { return false }
        return nil
    }

    /// `closed`, `reset` or `established`, from the control bits alone (see `ending`). A
    /// connection of which one side only was captured (a capture of one
    /// direction, a SPAN port mirroring one way, `tcpdump -Q in`) ends as that side's FIN or
    /// RST says: the other side's packets are not in the capture, and waiting for its FIN
    /// counted every such connection still open at the end.
    static func ending(fromClient: ConnectionRecord.Seen, fromServer: ConnectionRecord.Seen) -> ConnectionState {
        if fromClient.isEmpty || fromServer.isEmpty {
            let side = fromClient.union(fromServer)
            return side.contains(.fin) ? .closed : side.contains(.rst) ? .reset : .established
        }
        if fromClient.contains(.fin) && fromServer.contains(.fin) { return .closed }
        if fromClient.contains(.rst) || fromServer.contains(.rst) { return .reset }
        return .established
    }

    /// A record out of its table, with its samples.
    public init(_ detached: DetachedRecord, rules: DirectionRules) {
        self.init(detached.record, samples: detached.samples, rules: rules)
    }

    /// The state from the control bits of each side. Without a handshake, RSTs from the
    /// server and nothing from the client are a refusal whose SYN was not captured (a
    /// capture of the server's side only of a connect to a closed port, or of a port scan):
    /// no data could flow, so it is `refused`, never a mid-stream service; unless a RST
    /// carries what only a socket that had the connection sends (`Seen.abort`: a server
    /// that aborts a connection idle since before the capture), which is `midstream`. With one, a
    /// client whose server sent nothing captured but who answered as only a SYN-ACK lets
    /// it (`Seen.showsHandshakeAnswered`: an ACK, data or a FIN, or a SYN-ACK of its own
    /// in a simultaneous open) completed the handshake: the capture holds its direction
    /// only, and the connection served. A server that sent RSTs and nothing else refused
    /// the SYN only if one of them carried an ACK (`serverResetWithAck`, as a RST answering
    /// a SYN does, RFC 9293 3.10.7.1): RSTs without ACK answered segments with one (a late
    /// ACK of the connection before on the same 4-tuple), and the SYN went unanswered.
    static func state(handshakeSeen: Bool, fromClient: ConnectionRecord.Seen, fromServer: ConnectionRecord.Seen,
                      serverResetWithAck: Bool) -> ConnectionState {
        guard handshakeSeen else { return fromClient.isEmpty && fromServer.isRefusalWithoutAbort ? .refused : .midstream }
        if fromServer.isRefusal && serverResetWithAck { return .refused }
        if fromServer.isEmpty && !fromClient.showsHandshakeAnswered { return .attempted }
        return ending(fromClient: fromClient, fromServer: fromServer)
    }

    /// Whether the capture holds one side's packets only although the other side took
    /// part: data, a handshake answered, a close, or a refusal seen from one side alone.
    /// A self-connect's packets all go from its one endpoint to itself, in both directions
    /// at once: it is not counted either.
    /// An unanswered connect (`attempted`) and an unanswered probe without a SYN are not
    /// counted: a capture of both directions holds those too (a firewall that drops them,
    /// an open port silent to a FIN probe), nor is a lone abort (`abortOnly`).
    public var seenOneWay: Bool {
        (packetsToServer == 0) != (packetsToClient == 0) && state != .attempted && !probeWithoutSyn && !abortOnly
            && client != server
    }

    /// Whether the connection was still open at its last captured packet (`ending`
    /// `established`) and carried traffic: what `coverage.open_at_end` counts, mid-stream
    /// ones included (begun before the window, they are open at both ends).
    public var isOpenAtEnd: Bool { state.isTraffic && ending == .established }
}
