import Protocols

/// The first payload bytes of both sides of one connection (`PayloadSample`), for the
/// protocol recognizers once the connection is done.
///
/// They are not part of the connection's record: at 200 bytes they were more than half of
/// it, and they are written once per side and read once at the end, while the record's
/// counters are updated on every packet. The table keeps them in a pool of their own
/// (`FlowStorage`), taken only by connections that carried payload.
public struct PayloadSamples: Sendable {
    public var fromA = PayloadSample()
    public var fromB = PayloadSample()

    public init() {}

    /// Whether either side's sample was taken.
    @inlinable public var isEmpty: Bool { !fromA.isTaken && !fromB.isTaken }

    /// What the two sides' first payload bytes at `samples` speak, side a being the server
    /// if `serverIsA`; `fromStart`: whether the connection's handshake was seen (its first
    /// payload is the start of its protocol), as `ProtocolRecognizer.recognize` takes it.
    ///
    /// Read where they are: the table's pool recognizes each connection's samples in place,
    /// where copying them out (200 bytes, then each side again to reach its bytes) was a
    /// fifth of the recognition's instructions on millions of short connections.
    ///
    /// `clientSampleUnaccepted`: the client's bytes came in SYNs no open connection took
    /// (`Connection.sentDataOnlyInSyns`), and are read as if it sent none: a SYN scan's
    /// probe payload (`nmap --data-length`) named the probed port's protocol `other`.
    ///
    /// `candidates`: `FirstByteCandidates.table`, read once by a caller that recognizes
    /// many connections (`FlowStorage`).
    @usableFromInline
    static func evidence(of samples: UnsafePointer<PayloadSamples>, serverIsA: Bool, fromStart: Bool,
                         clientSampleUnaccepted: Bool = false,
                         candidates: FirstByteCandidates = .table) -> ProtocolEvidence {
        // What the recognizer says of no payload either way, without reading the bytes (a
        // scan's millions of connections carry none).
        if samples.pointee.isEmpty { return .none }
        let sideA = UnsafeRawPointer(samples) + MemoryLayout<PayloadSamples>.offset(of: \.fromA)!
        let sideB = UnsafeRawPointer(samples) + MemoryLayout<PayloadSamples>.offset(of: \.fromB)!
        let client = clientSampleUnaccepted ? .silent
            : PayloadSample.payloadBytes(at: (serverIsA ? sideB : sideA).assumingMemoryBound(to: PayloadSample.self))
        let server = PayloadSample.payloadBytes(at: (serverIsA ? sideA : sideB).assumingMemoryBound(to: PayloadSample.self))
        if !client.sent && !server.sent { return .none }
        return ProtocolRecognizer.recognize(client: client, server: server, fromStart: fromStart, candidates: candidates)
    }

    /// Per side, this one's sample if it was taken, else `later`'s: the samples of a
    /// connection whose earlier record is this one.
    func or(_ later: PayloadSamples) -> PayloadSamples {
        var combined = PayloadSamples()
        combined.fromA = fromA.or(later.fromA)
        combined.fromB = fromB.or(later.fromB)
        return combined
    }
}

/// A connection's record taken out of (or copied from) a table's storage, with its payload
/// samples: what the table ends, evicts, lists and merges.
public struct DetachedRecord: Sendable {
    public var record: ConnectionRecord
    public var samples: PayloadSamples

    public init(record: ConnectionRecord, samples: PayloadSamples = PayloadSamples()) {
        self.record = record
        self.samples = samples
    }

    /// Folds in a later record of the same connection.
    ///
    /// Samples recognized already (`ConnectionRecord.isRecognized`) are the first of both
    /// sides read, and stay what the connection speaks, as they would had the two been read
    /// into one table. Only a table that continues no earlier input recognizes early, so
    /// `other`, the later record, has its samples still, unless this one has none.
    mutating func combine(_ other: DetachedRecord) {
        let otherIsEarlier = other.record.firstSeen < record.firstSeen
        if record.isRecognized {
            samples = PayloadSamples()
        } else if let evidence = other.record.recognizedEvidence, samples.isEmpty {
            record.recognizedEvidence = evidence
        } else {
            samples = otherIsEarlier ? other.samples.or(samples) : samples.or(other.samples)
        }
        record.combine(other.record)
    }
}
