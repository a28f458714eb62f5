import Wire

/// The client ports each service probed itself (`Connection.probedByServer`): its bare
/// ACK, FIN or both, answered by the client's RST, with no handshake and no payload.
///
/// One such connection is a server's keep-alive to a client that lost its socket; a
/// service whose every connection is one, to many ports of one host, is a scanner whose
/// probes (an ACK, Window or Maimon scan) went out from a catalog port (`nmap -sA -g
/// 7613`), which the port rules took for the service. Port-scan detection reads the ports
/// to name what it probed (`PortScans`). Kept beside the flat tallies, only for such
/// connections: a row and a port in 8 bytes each, at most `maxEntries` (512 KiB), past
/// which the ports are not recorded (`TrafficCounts.serverProbes` still counts them).
struct ServerProbePorts: Sendable {
    /// Entries at most, over every service.
    static let maxEntries = 1 << 16

    /// `row << 16 | port`, in the order they were added.
    private var entries: [UInt64] = []

    /// Records `port`, probed by the service at `row`, while the bound allows.
    mutating func add(row: Int, port: UInt16) {
        guard entries.count < Self.maxEntries else { return }
        entries.append(UInt64(row) << 16 | UInt64(port))
    }

    /// Adds `other`'s entries, their service rows renumbered by `rowOf` (-1: not listed here).
    mutating func merge(_ other: ServerProbePorts, rowOf: [Int]) {
        for entry in other.entries where rowOf[Int(entry >> 16)] >= 0 {
            add(row: rowOf[Int(entry >> 16)], port: UInt16(truncatingIfNeeded: entry))
        }
    }

    /// Each row's distinct ports, in port order, rows in order.
    func forEachRow(_ body: (_ row: Int, _ ports: [UInt16]) -> Void) {
        var run: [UInt16] = []
        var current = -1
        for entry in entries.sorted() {
            let row = Int(entry >> 16), port = UInt16(truncatingIfNeeded: entry)
            if row != current {
                if current >= 0 { body(current, run) }
                (current, run) = (row, [])
            }
            if run.last != port { run.append(port) }
        }
        if current >= 0 { body(current, run) }
    }
}

extension EndpointList where Value == ServiceTraffic {
    /// Hands each service the ports it probed itself (`ServiceTraffic.serverProbedPorts`),
    /// from `ports`, whose rows are endpoints by `endpointOfRow`.
    mutating func attach(_ ports: ServerProbePorts, endpointOfRow: [Endpoint]) {
        ports.forEachRow { row, probed in
            guard let position = position(of: endpointOfRow[row]) else { return }
            modifyValue(at: position) { $0.serverProbedPorts = probed }
        }
    }
}
