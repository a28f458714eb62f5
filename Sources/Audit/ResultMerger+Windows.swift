import Flows

extension ResultMerger {
    /// The sightings of one endpoint pair, in canonical order, with each capture point's
    /// pieces of one connection cut by time windows joined into one sighting.
    ///
    /// A capture that ends while a connection is open leaves it `ending` `established`;
    /// the next window picks it up without its SYN, as `midstream`. Within one capture
    /// point (one clock), a sighting that is still open joins the next sighting of the same
    /// endpoints when that one started mid-stream at or after its last packet. Joined
    /// pieces are disjoint packets, so their counts add up (`append`); the state is the one
    /// a single capture of both windows gives.
    static func joinWindows(_ ordered: [Sighting]) -> [Sighting] {
        var joined: [Sighting] = []
        var open: [String: Int] = [:]  // per point: its last sighting, while it may continue
        for sighting in ordered {
            if let index = open[sighting.point], continues(joined[index].connection, with: sighting.connection) {
                joined[index].connection = append(joined[index].connection, sighting.connection)
            } else {
                joined.append(sighting)
                open[sighting.point] = joined.count - 1
            }
        }
        return joined
    }

    /// Whether `later` is the rest of `earlier` seen in a later window of the same point.
    static func continues(_ earlier: Connection, with later: Connection) -> Bool {
        earlier.state.isTraffic && earlier.ending == .established && later.state == .midstream
            && later.firstSeen >= earlier.lastSeen
    }

    /// One connection from its piece in one window and its `later` piece in the next.
    static func append(_ earlier: Connection, _ later: Connection) -> Connection {
        var result = earlier
        // The orientation on the stronger evidence (the earlier piece's handshake, usually).
        let lead = stronger(later, earlier) && later.directionBasis != earlier.directionBasis ? later : earlier
        result.client = lead.client
        result.server = lead.server
        result.directionBasis = lead.directionBasis
        let flipped = earlier.client != lead.client, laterFlipped = later.client != lead.client
        func directed(_ c: Connection, flipped: Bool) -> [UInt64] {
            let forward = [c.packetsToServer, c.packetsToClient, c.bytesToServer, c.bytesToClient,
                           c.payloadBytesToServer, c.payloadBytesToClient]
            return flipped ? [forward[1], forward[0], forward[3], forward[2], forward[5], forward[4]] : forward
        }
        let sums = zip(directed(earlier, flipped: flipped), directed(later, flipped: laterFlipped)).map { $0.addingSaturated($1) }
        (result.packetsToServer, result.packetsToClient, result.bytesToServer, result.bytesToClient,
         result.payloadBytesToServer, result.payloadBytesToClient) = (sums[0], sums[1], sums[2], sums[3], sums[4], sums[5])
        result.lastSeen = max(earlier.lastSeen, later.lastSeen)
        // Opened in the first window: ends as the last piece ends; else mid-stream throughout.
        result.state = earlier.state == .midstream ? .midstream : later.ending
        result.ending = later.ending
        if earlier.evidence.name == .none { result.evidence = later.evidence }
        return result
    }
}
