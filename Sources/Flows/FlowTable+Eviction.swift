/// Eviction: as the capture clock crosses each tick of the sweep grid, the records that
/// ended and lingered, or stayed idle, leave the table; at the cap the least recently seen
/// quarter does. What leaves is folded into the per-service statistics, in batches
/// (`FoldingBatch`), and kept one by one too for a listing (`keepingConnections`).
extension FlowTable {
    /// The first packet, or the clock crossing a sweep tick.
    @usableFromInline
    mutating func advanceClock(to timestamp: Int64) {
        if start == Int64.max { start = timestamp }
        guard rules != nil else {
            nextSweep = Int64.max
            return
        }
        let tick = FlowTable.tick(timestamp, interval: limits.sweepInterval)
        if nextSweep != Int64.min { sweep(now: tick) }
        nextSweep = tick &+ limits.sweepInterval
    }

    /// The sweep tick at or before `time`.
    @inlinable
    static func tick(_ time: Int64, interval: Int64) -> Int64 {
        let (quotient, remainder) = time.quotientAndRemainder(dividingBy: interval)
        return (remainder < 0 ? quotient - 1 : quotient) &* interval
    }

    /// Whether a sweep at `now` evicts `record`.
    @inlinable
    func expired(_ record: ConnectionRecord, now: Int64) -> Bool {
        FlowTable.expired(record, now: now, limits: limits)
    }

    @inlinable
    static func expired(_ record: ConnectionRecord, now: Int64, limits: FlowLimits) -> Bool {
        !record.mayContinue
            && record.lastSeen <= now &- (record.hasEnded ? limits.endedLinger : limits.idleTimeout)
    }

    /// Evicts every record that has ended and lingered, or been idle, long enough.
    @usableFromInline
    mutating func sweep(now: Int64) {
        guard rules != nil else { return }
        // A sweep can run before `add`'s copy-on-write check: the storage may be shared.
        makeStorageUnique()
        let storage = self.storage, limits = self.limits
        // Nothing last seen within the shorter of the two timeouts can have expired.
        evictInBatches { evict in
            storage.removeAll(lastSeenAtMost: now &- min(limits.endedLinger, limits.idleTimeout),
                              where: { FlowTable.expired($0, now: now, limits: limits) }, evict)
        }
        closeRound()
    }

    /// At the cap: evicts the least recently seen quarter of the open connections.
    @usableFromInline
    mutating func relieve() {
        let storage = self.storage
        let threshold = storage.lastSeen(rank: storage.count / 4)
        var evictedOpen: UInt64 = 0
        evictInBatches { evict in
            storage.removeAll(lastSeenAtMost: threshold, where: { _ in true }) { record, samples in
                if !record.pointee.hasEnded { evictedOpen += 1 }
                evict(record, samples)
            }
        }
        evicted.openConnectionsEvictedAtCap += evictedOpen
        // A listing takes them now: a flood that reaches the cap again and again before
        // the next sweep would otherwise pile up its evicted connections until it.
        closeRound()
    }

    /// A record that is done: into the statistics, or kept when it may continue an earlier
    /// input's connection (or when the table evicts nothing).
    @usableFromInline
    mutating func finalize(_ record: DetachedRecord) {
        if rules == nil || (record.record.mayContinue && ended.count < limits.maxConnections / 4) {
            ended.append(record)
        } else {
            evict(record)
        }
    }

    @usableFromInline
    mutating func evict(_ record: DetachedRecord) {
        evicted.add(evictedConnection(record))
    }

    /// A record that goes as a connection, kept one by one too when the table keeps them.
    @usableFromInline
    mutating func evictedConnection(_ record: DetachedRecord) -> Connection {
        withUnsafePointer(to: record.samples) { evictedConnection(record.record, samplesAt: $0) }
    }

    /// `evictedConnection(_:)` of a record and its samples (nil: none) where they lie.
    private mutating func evictedConnection(_ record: ConnectionRecord,
                                            samplesAt samples: UnsafePointer<PayloadSamples>?) -> Connection {
        let connection = Connection(record, samplesAt: samples, rules: rules!)
        if keepsConnections { evictedConnections.append(connection) }
        return connection
    }

    /// Evicts every record `remove` hands to the function it is given (where it lies, as
    /// `FlowStorage.removeAll` hands them), as `evict` would one by one, folding them into
    /// the statistics in batches (`FoldingBatch`): a sweep or the cap evicts thousands at
    /// once, whose lookups then overlap their cache misses.
    private mutating func evictInBatches(
        _ remove: (_ evict: (UnsafePointer<ConnectionRecord>, UnsafePointer<PayloadSamples>?) -> Void) -> Void
    ) {
        var batch = FoldingBatch()
        remove { record, samples in
            let connection = evictedConnection(record.pointee, samplesAt: samples)
            batch.add(connection, into: &evicted)
        }
        batch.flush(into: &evicted)
    }
}
