/// Merging tables read apart: the inputs of a capture read at once (`ParallelReader`) are
/// merged in their order, as if read one after another into one table.
extension FlowTable {
    /// Adds every record of `other`, as if its packets had come after this table's: a
    /// connection that `other` picked up mid-stream (or that opened near its start)
    /// continues this table's record of the same 4-tuple, unless that record would have
    /// ended or been evicted by then when read in one table.
    public mutating func absorb(_ other: FlowTable) {
        makeStorageUnique()
        evicted.merge(other.evicted)
        evictedConnections.append(contentsOf: other.evictedConnections)
        if other.start < start { start = other.start }
        // Per 4-tuple, other's records in time order: the ended ones, then the open one.
        var chains: [ConnectionKey: [DetachedRecord]] = [:]
        for record in other.ended.sorted(by: FlowTable.earlier) {
            chains[record.record.key, default: []].append(record)
        }
        for position in 0..<other.storage.count {
            let record = other.storage.detached(at: position)
            var chain = chains.removeValue(forKey: record.record.key) ?? []
            chain.append(record)
            absorb(chain: chain, lastIsOpen: true, otherClock: other.clock)
        }
        for chain in chains.values.sorted(by: { FlowTable.earlier($0[0], $1[0]) }) {
            absorb(chain: chain, lastIsOpen: false, otherClock: other.clock)
        }
        if other.clock > clock { clock = other.clock }
        recentlyRefused.merge(later: other.recentlyRefused)
        if rules != nil && clock != Int64.min {
            let tick = FlowTable.tick(clock, interval: limits.sweepInterval)
            sweep(now: tick)
            nextSweep = tick &+ limits.sweepInterval
        } else if rules == nil && start != Int64.max {
            nextSweep = Int64.max
        }
    }

    private mutating func absorb(chain: [DetachedRecord], lastIsOpen: Bool, otherClock: Int64) {
        if isStragglerOfRefused(chain[0].record) {
            // Segments this table would not have tracked (`insert`): gone with the refusal.
            if chain.count > 1 { absorb(chain: Array(chain.dropFirst()), lastIsOpen: lastIsOpen, otherClock: otherClock) }
            return
        }
        var first = chain[0]
        first.record.mayContinue = mayContinue(first.record)
        var current = first
        let tag = storage.tag(first.record.key)
        let position = storage.find(first.record.key, tag: tag)
        if position >= 0 {
            let mine = storage.remove(at: position)
            if continues(mine.record, with: first.record) {
                current = mine
                current.combine(first)
            } else {
                finalize(mine)
            }
        }
        for index in chain.indices {
            if index > 0 {
                current = chain[index]
                current.record.mayContinue = mayContinue(current.record)
            }
            if index == chain.count - 1 && lastIsOpen {
                if rules != nil && storage.count >= limits.maxConnections { relieve() }
                storage.append(current.record, samples: current.samples, tag: tag)
            } else {
                finalize(current)
            }
        }
    }

    /// Whether `record`, from a later input, starts with a segment that `insert` would have
    /// dropped here: no SYN, or the refused SYN sent again, and no record of its 4-tuple,
    /// which this table let go refused within the linger before.
    private func isStragglerOfRefused(_ record: ConnectionRecord) -> Bool {
        recentlyRefused.contains(hash: storage.hash(record.key), refusedWithin: limits.endedLinger, of: record.firstSeen,
                                 request: record.openedWithSyn ? record.clientInitialSequence : nil)
            && storage.find(record.key, tag: storage.tag(record.key)) < 0
    }

    /// Whether, read in one table, the first packet of `next` would have gone to `mine`.
    private func continues(_ mine: ConnectionRecord, with next: ConnectionRecord) -> Bool {
        if next.openedWithSyn && mine.isEnded(forConnectionRequestWith: next.clientInitialSequence, at: next.firstSeen,
                                              linger: limits.endedLinger) { return false }
        if rules != nil {
            let now = FlowTable.tick(max(clock, next.firstSeen), interval: limits.sweepInterval)
            if expired(mine, now: now) { return false }
        }
        return true
    }

    /// Records in the order they are listed (`ListingOrder`): how merged and finished
    /// records are listed.
    static func earlier(_ x: DetachedRecord, _ y: DetachedRecord) -> Bool {
        x.record.listingOrder < y.record.listingOrder
    }
}

extension ConnectionRecord {
    /// Folds in a later record of the same connection.
    mutating func combine(_ other: ConnectionRecord) {
        packetsFromA += other.packetsFromA
        packetsFromB += other.packetsFromB
        bytesFromA += other.bytesFromA
        bytesFromB += other.bytesFromB
        payloadFromA += other.payloadFromA
        payloadFromB += other.payloadFromB
        seenFromA.formUnion(other.seenFromA)
        seenFromB.formUnion(other.seenFromB)
        resetsWithAck |= other.resetsWithAck
        samplesTaken |= other.samplesTaken
        lateSamples = (lateSamples | other.lateSamples) & ~samplesTaken
        missedData = missedData || other.missedData
        // The later record's bases, where it saw the side, moved down by this record's
        // payload: where the bytes of both records reach is where the later one's reached.
        if other.sideMarks & Self.sequenceFromA != 0 {
            sequenceBaseFromA = other.sequenceBaseFromA &- UInt32(truncatingIfNeeded: payloadFromA &- other.payloadFromA)
            sideMarks |= Self.sequenceFromA
        }
        if other.sideMarks & Self.sequenceFromB != 0 {
            sequenceBaseFromB = other.sequenceBaseFromB &- UInt32(truncatingIfNeeded: payloadFromB &- other.payloadFromB)
            sideMarks |= Self.sequenceFromB
        }
        // Whether a base awaits its first acknowledgment is the later record's to say, where
        // it set one: its bases are the ones kept.
        if other.sideMarks & Self.bothSequences != 0 {
            sideMarks = sideMarks & ~Self.unconfirmedBaseBit | other.sideMarks & Self.unconfirmedBaseBit
        }
        if other.firstSeen < firstSeen {
            firstSeen = other.firstSeen
            if other.clientIsA != nil {
                clientInitialSequence = other.clientInitialSequence
                serverInitialSequence = other.serverInitialSequence
            } else if clientIsA == nil {
                serverInitialSequence = other.serverInitialSequence  // the first segment's (`firstAcknowledgment`)
                firstLooksHandMade = other.firstLooksHandMade
            }
            clientIsA = other.clientIsA ?? clientIsA
            vlan = other.vlan
            tunnel = other.tunnel
            openedWithSyn = other.openedWithSyn
        } else {
            if clientIsA == nil && other.clientIsA != nil {
                clientInitialSequence = other.clientInitialSequence
                serverInitialSequence = other.serverInitialSequence
            }
            clientIsA = clientIsA ?? other.clientIsA
        }
        lastSeen = max(lastSeen, other.lastSeen)
    }
}
