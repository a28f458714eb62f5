/// The table as a listing written while the capture is read (`dasaudit flows`): when it
/// keeps its connections (`keepingConnections`), each sweep closes a round of the ones it
/// let go of, which the reader takes (`CaptureReader.swept`) and the listing writes.
extension FlowTable {
    /// Puts the connections kept since the last sweep in the order of their first packets
    /// and counts them as swept: a round is what left between two sweeps, whose times are
    /// a grid of capture time, so the rounds do not depend on where the inputs were cut.
    mutating func closeRound() {
        guard keepsConnections, evictedConnections.count > sweptCount else { return }
        evictedConnections[sweptCount...].sort(by: Connection.beganBefore)
        sweptCount = evictedConnections.count
    }

    /// The connections that left the table in the sweeps since the last call, when it keeps
    /// them (`keepingConnections`): round after round, each in the order of their first
    /// packets. The table lets go of them, so that a listing written as the reading goes
    /// (`dasaudit flows`) holds only the connections still open.
    public mutating func takeSweptConnections() -> [Connection] {
        guard sweptCount > 0 else { return [] }
        let swept = Array(evictedConnections[..<sweptCount])
        evictedConnections.removeFirst(sweptCount)
        sweptCount = 0
        return swept
    }

    /// Hands `each` the connections not yet taken by `takeSweptConnections` (a table with
    /// rules, keeping its connections), `chunk` at a time: the last round's and those still
    /// held, in the order they are listed (`ListingOrder`). The held records are sorted by
    /// their places, not copied, and turned into connections a chunk at a time, so that the
    /// end of a listing that still holds a cap's worth of connections (a SYN flood's) adds
    /// little to its memory: the whole of them, copied and sorted, was 168 MB at 500,000.
    public mutating func handOverUnswept(chunk: Int = 4096, to each: ([Connection]) -> Void) {
        guard let rules else { preconditionFailure("FlowTable.handOverUnswept: a listing's table has rules") }
        closeRound()
        let lastRound = takeSweptConnections()
        let ended = self.ended, storage = self.storage
        // The held records by place: the ended ones first, then the storage's. Read where
        // each lies.
        func order(_ place: Int) -> ListingOrder {
            place < ended.count ? ended[place].record.listingOrder : storage.records[place - ended.count].listingOrder
        }
        func detached(_ place: Int) -> DetachedRecord {
            place < ended.count ? ended[place] : storage.detached(at: place - ended.count)
        }
        let places = (0..<(ended.count + storage.count)).sorted { order($0) < order($1) }
        var part: [Connection] = []
        part.reserveCapacity(chunk)
        func append(_ connection: Connection) {
            part.append(connection)
            if part.count == chunk {
                each(part)
                part.removeAll(keepingCapacity: true)
            }
        }
        var nextOfRound = lastRound.startIndex
        for place in places {
            let held = Connection(detached(place), rules: rules)
            // A tie goes to the round's, as it went when the two were sorted together.
            while nextOfRound < lastRound.endIndex && !Connection.beganBefore(held, lastRound[nextOfRound]) {
                append(lastRound[nextOfRound])
                nextOfRound += 1
            }
            append(held)
        }
        lastRound[nextOfRound...].forEach(append)
        if !part.isEmpty { each(part) }
    }

    /// Open connections the cap let go of before they ended (`FlowLimits.maxConnections`):
    /// in a listing, each is written as it stood, and a later packet of one begins a new
    /// record.
    public var openConnectionsEvictedAtCap: UInt64 { evicted.openConnectionsEvictedAtCap }
}
