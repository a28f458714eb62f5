import Wire

/// The connection table: every TCP segment lands in its connection's record; `finish`
/// turns the records into connections with a direction and a state, and `statistics`
/// folds them per service.
///
/// A SYN on a 4-tuple whose connection has ended (FIN both ways, or RST), or was closing
/// (`ConnectionRecord.isEnded(forConnectionRequestWith:at:linger:)`), starts a new connection,
/// as TCP port reuse does, unless it is the connection's own SYN sent again (its initial
/// sequence number) within the linger and the server did not refuse it. A connection the server refused leaves the table at
/// its RST (`letGoRefused`, `RecentlyRefused`).
///
/// Made with direction rules (`init(rules:limits:)`), the table keeps only the open
/// connections: ended and idle ones are evicted into per-service statistics as the capture
/// clock advances, and at most `limits.maxConnections` are kept, so memory depends on the
/// connections open at once, not on the length of the capture (see `FlowLimits`). Made
/// without rules (`init()`), it keeps every connection, as `finish(rules:)` lists them.
///
/// The per-packet path (`add`) allocates nothing: an open-addressing index with a cheap
/// hash (`FlowStorage`), records updated in place, one comparison with the sweep clock.
public struct FlowTable: Sendable {
    @usableFromInline var storage: FlowStorage
    /// The rules evicted connections are oriented by; nil: nothing is evicted.
    public let rules: DirectionRules?
    public private(set) var limits: FlowLimits
    /// Whether this table reads an input that continues an earlier one read into another
    /// table (to be merged with `absorb`): it then keeps the records that may continue
    /// that input's connections until the merge.
    public let continuesEarlierInput: Bool
    /// Connections evicted so far.
    @usableFromInline var evicted: ServiceStatistics
    /// Whether evicted connections are also kept one by one (`connections(rules:)`).
    public let keepsConnections: Bool
    /// The evicted connections, when `keepsConnections`: about 100 bytes each.
    @usableFromInline var evictedConnections: [Connection] = []
    /// How many of `evictedConnections` left before the last sweep, each sweep's in the
    /// order of their first packets: what `takeSweptConnections` hands over.
    @usableFromInline var sweptCount = 0
    /// Records replaced by a new connection on the same 4-tuple and kept individually:
    /// all of them without rules; with rules, those that may continue an earlier input's
    /// connection (the others are evicted).
    @usableFromInline var ended: [DetachedRecord] = []
    /// The capture clock: the latest timestamp seen.
    @usableFromInline var clock = Int64.min
    /// The first timestamp seen (the earliest, once tables are merged); `Int64.max` before.
    @usableFromInline var start = Int64.max
    /// When the next eviction sweep is due; the first packet sets it.
    @usableFromInline var nextSweep = Int64.min
    /// Connections refused within the linger, let go at their RST (`letGoRefused`).
    @usableFromInline var recentlyRefused = RecentlyRefused()
    /// The packets taken back by `retract`, by the tunnel of their connection's first packet.
    public internal(set) var retracted = CaseCounts<Tunnel>()
    /// The damaged segments (`TCPSegment.checksumFailed`) but SYNs, by the tunnel they came
    /// in (`setAsideDamaged`): not tracked, so the reader counts them as skipped
    /// (`SkipReason.badChecksum`), not as tracked segments.
    public internal(set) var badChecksums = CaseCounts<Tunnel>()

    /// The seed of every table's hash in this process (`FlowStorage.hash`), drawn once: the
    /// same for tables read on different threads, so that what one table remembers by hash
    /// (`RecentlyRefused`) means the same in the table it is merged into. Whoever crafts a
    /// capture still cannot know it.
    static let processSeed: UInt64 = {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }()

    /// A table that keeps every connection.
    public init() {
        self.init(rules: nil)
    }

    /// A table that evicts ended and idle connections into per-service statistics, oriented
    /// by `rules` (pass the rules `finish` and `statistics` will use), within `limits`.
    /// `continuesEarlierInput`: the table reads a later part of a capture whose earlier part
    /// another table reads; it will be merged into that one with `absorb` (`ParallelReader`).
    /// `keepingConnections`: also keep every evicted connection, for a listing of all of
    /// them (`connections(rules:)`); memory then grows with the connections again.
    public init(rules: DirectionRules?, limits: FlowLimits = .standard, continuesEarlierInput: Bool = false,
                keepingConnections: Bool = false) {
        self.rules = rules
        self.limits = limits
        self.continuesEarlierInput = continuesEarlierInput
        self.keepsConnections = keepingConnections
        self.evicted = ServiceStatistics(limits: limits)
        storage = FlowStorage(seed: FlowTable.processSeed, recognizesEarly: !continuesEarlierInput)
    }

    /// An empty table with `other`'s rules, limits and settings, holding at most
    /// `maxConnections` at once if given: for part of the connections of the same input
    /// (`absorb` the parts into one table once they are read).
    public init(settingsOf other: FlowTable, maxConnections: Int? = nil) {
        var limits = other.limits
        if let maxConnections { limits.maxConnections = max(1, maxConnections) }
        self.init(rules: other.rules, limits: limits, continuesEarlierInput: other.continuesEarlierInput,
                  keepingConnections: other.keepsConnections)
    }

    /// Whether the table has seen nothing yet.
    public var isEmpty: Bool { count == 0 }

    /// Connections tracked so far: open, ended and evicted.
    public var count: Int { storage.count + ended.count + evicted.connections }

    /// Connections held individually (open, or ended and not yet evicted).
    public var openCount: Int { storage.count + ended.count }

    /// Connections evicted into the statistics so far.
    public var evictedCount: Int { evicted.connections }

    /// The index: open connections, slots, and the mean number of slots a lookup of an
    /// open connection reads (1 is ideal). For benchmarks and tests.
    public var indexStatistics: (records: Int, slots: Int, meanProbes: Double) { storage.probeStatistics() }

    // MARK: - The per-packet path

    /// Adds a segment whose payload bytes were not kept (a side's first payload then counts
    /// as sent but not captured: its protocol is `unknown`).
    @inlinable @inline(__always)
    public mutating func add(_ segment: TCPSegment, timestamp: Int64, wireLength: UInt32) {
        add(segment, payload: UnsafeRawBufferPointer(start: nil, count: 0), timestamp: timestamp, wireLength: wireLength)
    }

    /// Adds a segment with its captured payload (`TCPSegment.capturedPayload(in:)`), of
    /// which a side's first is kept for the protocol recognizers.
    @inlinable @inline(__always)
    public mutating func add(_ segment: TCPSegment, payload: UnsafeRawBufferPointer, timestamp: Int64, wireLength: UInt32) {
        let (key, fromA) = FlowTable.key(of: segment)
        add(segment, key: key, fromA: fromA, tag: storage.tag(key), payload: payload, timestamp: timestamp, wireLength: wireLength)
    }

    /// `add(_:payload:timestamp:wireLength:)` with the segment's key, direction and tag
    /// (`FlowStorage.tag`, which a copy of the storage keeps) already worked out: the batch
    /// loop works them out a few segments ahead, for its prefetching, and keeps them.
    @inlinable @inline(__always)
    mutating func add(_ segment: TCPSegment, key: ConnectionKey, fromA: Bool, tag: UInt32, payload: UnsafeRawBufferPointer,
                      timestamp: Int64, wireLength: UInt32) {
        makeStorageUnique()
        addToUniqueStorage(segment, key: key, fromA: fromA, tag: tag, payload: payload, timestamp: timestamp, wireLength: wireLength)
    }

    /// Copies the storage if another table shares it (copy on write): once per segment on
    /// the one-by-one path, once per batch on the batch path (a runtime call per segment
    /// there was 1% of the tracking thread).
    @inlinable @inline(__always)
    mutating func makeStorageUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// `add(_:key:fromA:tag:payload:timestamp:wireLength:)` on a storage this table alone
    /// holds (`makeStorageUnique`).
    @inlinable @inline(__always)
    mutating func addToUniqueStorage(_ segment: TCPSegment, key: ConnectionKey, fromA: Bool, tag: UInt32,
                                     payload: UnsafeRawBufferPointer, timestamp: Int64, wireLength: UInt32) {
        if timestamp >= nextSweep { advanceClock(to: timestamp) }
        if timestamp > clock { clock = timestamp }
        if segment.checksumFailed && !segment.flags.isConnectionRequest { return setAsideDamaged(segment) }
        let position = storage.find(key, tag: tag)
        if position >= 0 {
            let record = storage.records + position
            if segment.flags.isConnectionRequest
                && record.pointee.isEnded(forConnectionRequestWith: segment.sequenceNumber, at: timestamp,
                                          linger: limits.endedLinger) {
                replace(at: position, with: segment, timestamp: timestamp)
            }
            if record.pointee.add(segment, fromA: fromA, timestamp: timestamp, wireLength: wireLength) {
                storage.keepSample(at: position, fromA: fromA, payload: payload, payloadLength: segment.payloadLength)
            }
            let missed = record.pointee.trackSequence(segment, fromA: fromA)
            if missed != 0 { noteMissed(bytes: missed) }
            if segment.flags.contains(.rst) && rules != nil && limits.releasesRefusedAtOnce && !record.pointee.mayContinue
                && record.pointee.wasRefused {
                return letGoRefused(at: position)
            }
            storage.lastSeenTimes[position] = record.pointee.lastSeen
        } else {
            insert(segment, payload: payload, key: key, tag: tag, fromA: fromA, timestamp: timestamp, wireLength: wireLength)
        }
    }

    /// The segment's connection key, and whether it travels from the key's `a` side.
    @inlinable @inline(__always)
    static func key(of segment: TCPSegment) -> (key: ConnectionKey, fromA: Bool) {
        let source = Endpoint(address: segment.source, port: segment.sourcePort)
        let destination = Endpoint(address: segment.destination, port: segment.destinationPort)
        let fromA = FlowTable.precedes(source, destination)
        return (fromA ? ConnectionKey(a: source, b: destination) : ConnectionKey(a: destination, b: source), fromA)
    }

    /// Whether `x` sorts before `y` (address, then port): `x` is the key's `a` side.
    @inlinable
    static func precedes(_ x: Endpoint, _ y: Endpoint) -> Bool {
        if x.address.high != y.address.high { return x.address.high < y.address.high }
        if x.address.low != y.address.low { return x.address.low < y.address.low }
        return x.port < y.port
    }

    /// A damaged segment (`TCPSegment.checksumFailed`) that is not a connection request:
    /// its receiver dropped it, so for both hosts it never happened, and it is counted in
    /// `badChecksums`, not tracked. It starts no connection (a bit flipped in an address or
    /// a port would make one nobody made), and it changes none already open: a damaged FIN
    /// or RST ended the record while the hosts went on, so that a connection still open at
    /// the capture's end was `reset`, and one quiet for the linger after it was let go and
    /// came back as a second connection, picked up mid-stream. A damaged SYN is tracked
    /// (`TCPSegment.judgeChecksum` does not even sum one): a scan that sends bad sums
    /// (`nmap --badsum`) still probes, and an unanswered SYN makes no service. Out of line:
    /// damaged segments are rare, and the per-segment path is kept small.
    @usableFromInline @inline(never)
    mutating func setAsideDamaged(_ segment: TCPSegment) {
        badChecksums.increment(segment.tunnel)
    }

    /// A new connection's first segment; nothing for a straggler of a connection refused
    /// within the linger, or its SYN sent again (`RecentlyRefused`). A damaged segment
    /// never comes here but as a SYN (`setAsideDamaged`).
    @usableFromInline
    mutating func insert(_ segment: TCPSegment, payload: UnsafeRawBufferPointer, key: ConnectionKey, tag: UInt32,
                         fromA: Bool, timestamp: Int64, wireLength: UInt32) {
        if !recentlyRefused.isEmpty && isStragglerOfRefused(segment, key: key, at: timestamp) { return }
        var record = ConnectionRecord(key: key, timestamp: timestamp, vlan: segment.vlan, tunnel: segment.tunnel)
        record.openedWithSyn = segment.flags.isConnectionRequest
        if !segment.flags.contains(.syn) {
            record.serverInitialSequence = segment.acknowledgmentNumber
            record.firstLooksHandMade = segment.looksHandMade
        }
        record.mayContinue = mayContinue(record)
        let firstPayload = record.add(segment, fromA: fromA, timestamp: timestamp, wireLength: wireLength)
        _ = record.trackSequenceAtEdges(segment, fromA: fromA)  // its first segment: no other side to compare with yet
        if rules != nil && storage.count >= limits.maxConnections { relieve() }
        let position = storage.append(record, tag: tag)
        if firstPayload {
            storage.keepSample(at: position, fromA: fromA, payload: payload, payloadLength: segment.payloadLength)
        }
    }

    /// Bytes a segment acknowledged that the capture never held (`ConnectionRecord.trackSequence`):
    /// counted in the statistics' `missedBytes`. Out of line: only where packets were lost.
    @usableFromInline @inline(never)
    mutating func noteMissed(bytes: UInt32) {
        evicted.missedBytes.addSaturated(UInt64(bytes))
    }

    /// Whether a segment that found no record belongs to a connection refused within the
    /// linger (`RecentlyRefused`): any segment but a SYN, or the refused SYN sent again,
    /// from which the refusal is then remembered, as its record would have lingered.
    @usableFromInline
    mutating func isStragglerOfRefused(_ segment: TCPSegment, key: ConnectionKey, at timestamp: Int64) -> Bool {
        let hash = storage.hash(key)
        guard segment.flags.isConnectionRequest else {
            return recentlyRefused.contains(hash: hash, refusedWithin: limits.endedLinger, of: timestamp)
        }
        guard recentlyRefused.contains(hash: hash, refusedWithin: limits.endedLinger, of: timestamp,
                                       request: segment.sequenceNumber) else { return false }
        recentlyRefused.note(hash: hash, initialSequence: segment.sequenceNumber, at: timestamp)
        return true
    }

    /// A connection the server refused: evicted at once rather than held for the linger,
    /// and remembered for it (`RecentlyRefused`).
    @usableFromInline
    mutating func letGoRefused(at position: Int) {
        let record = storage.records + position
        recentlyRefused.note(hash: storage.hash(record.pointee.key), initialSequence: record.pointee.clientInitialSequence,
                             at: record.pointee.lastSeen)
        evict(storage.remove(at: position))
    }

    /// A SYN on an ended or closing connection's 4-tuple: the old record is done.
    @usableFromInline
    mutating func replace(at position: Int, with segment: TCPSegment, timestamp: Int64) {
        var record = ConnectionRecord(key: storage.records[position].key, timestamp: timestamp, vlan: segment.vlan,
                                      tunnel: segment.tunnel)
        record.openedWithSyn = true
        record.mayContinue = mayContinue(record)
        finalize(storage.replace(at: position, with: record))
    }

    /// Whether a record may continue a connection of an input read before this table's:
    /// picked up mid-stream, or opened near the start (a SYN retransmitted across the cut).
    @inlinable
    func mayContinue(_ record: ConnectionRecord) -> Bool {
        continuesEarlierInput
            && (!record.openedWithSyn || record.firstSeen < start &+ limits.continuationWindow)
    }

    // MARK: - Finishing

    /// The connections held individually, in the order of their first packet: with rules,
    /// the evicted ones are only in `statistics`.
    public func finish(rules: DirectionRules) -> [Connection] {
        var all = ended
        all.reserveCapacity(ended.count + storage.count)
        for position in 0..<storage.count { all.append(storage.detached(at: position)) }
        return all.sorted(by: FlowTable.earlier).map { Connection($0, rules: rules) }
    }

    /// Every connection the table has seen, one by one, in the order they are listed
    /// (`ListingOrder`): the evicted ones too when the table keeps them (`keepingConnections`).
    public func connections(rules: DirectionRules? = nil) -> [Connection] {
        guard let rules = rules ?? self.rules else {
            preconditionFailure("FlowTable.connections: a table made without rules needs rules here")
        }
        return (evictedConnections + finish(rules: rules))
            .sorted(by: Connection.beganBefore)
    }

    /// Every connection the table has seen, folded per service: the evicted ones and the
    /// ones still held. `rules` defaults to the table's own (evicted connections were
    /// oriented by those).
    public func statistics(rules: DirectionRules? = nil) -> ServiceStatistics {
        var table = self
        return table.takeStatistics(rules: rules)
    }

    /// `statistics(rules:)` of a capture still running: a connect attempt still held whose
    /// SYN came at or after `pendingSince` (nanoseconds since the Unix epoch) is left out,
    /// since its SYN-ACK may yet come; counted now, it made an interim audit report an
    /// unanswered connect that the final audit did not have (`LiveAudit`).
    public func statistics(pendingSince: Int64) -> ServiceStatistics {
        var table = self
        return table.takeStatistics(leavingOutAttemptsSince: pendingSince)
    }

    /// `statistics(rules:)`, moving the evicted statistics out instead of copying them:
    /// folding the held connections into a copy that the table still shares copies every
    /// service's dictionary entry and client set on first write (39 MB and 31 MB with 40 k
    /// services, measured). The table keeps its held records; its evicted statistics are
    /// left empty.
    /// `leavingOutAttemptsSince`: as `statistics(pendingSince:)`. `cuttingAttemptsAt`: the
    /// times the capture ended, whose unanswered connects of the last 3 s are also counted
    /// as cut by the end (`AttemptsCutByEnd`), which no finding is made of.
    public mutating func takeStatistics(rules: DirectionRules? = nil,
                                        leavingOutAttemptsSince pendingSince: Int64? = nil,
                                        cuttingAttemptsAt ends: [Int64] = []) -> ServiceStatistics {
        guard let rules = rules ?? self.rules else {
            preconditionFailure("FlowTable.statistics: a table made without rules needs rules here")
        }
        var statistics = evicted
        evicted = ServiceStatistics(limits: limits)
        statistics.cutByEnd = AttemptsCutByEnd(ends: ends)
        var batch = FoldingBatch()
        for record in ended { batch.add(Connection(record, rules: rules), into: &statistics) }
        for position in 0..<storage.count {
            let connection = Connection(storage.detached(at: position), rules: rules)
            // No sentinel time for "none left out": a capture's clock may say Int64.max (a
            // timestamp past 2262, held at the largest time dasaudit keeps).
            if let pendingSince, connection.state == .attempted && connection.firstSeen >= pendingSince { continue }
            if statistics.cutByEnd.cuts(connection) { statistics.cutByEnd.add(connection, cap: limits.maxAttempts) }
            batch.add(connection, into: &statistics)
        }
        batch.flush(into: &statistics)
        statistics.sortUnresolved()
        return statistics
    }
}
