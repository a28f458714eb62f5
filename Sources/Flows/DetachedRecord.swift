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
    mutating func combine(_ other: DetachedRecord) {
        let otherIsEarlier = other.record.firstSeen < record.firstSeen
        samples = otherIsEarlier ? other.samples.or(samples) : samples.or(other.samples)
        record.combine(other.record)
    }
}
