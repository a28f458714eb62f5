import Audit
import Flows

/// The attempts table with runs of ports collapsed: consecutive ports of one address that
/// are all outside the catalog become one row ("20000-20029"), their counts summed, so
/// probes the scan detection did not fold still read as a few rows. Catalog ports keep a
/// row each: each names its own service.
struct AttemptRun {
    var address: String
    var ports: ClosedRange<UInt16>
    var catalogKey: String?
    var refused: UInt64
    var unanswered: UInt64
    /// The most clients any one port of the run saw.
    var clients: Int
    var firstSeen: Timestamp
    var lastSeen: Timestamp

    var portText: String { ports.count == 1 ? "\(ports.lowerBound)" : "\(ports.lowerBound)-\(ports.upperBound)" }

    /// `attempts` (in the result's order, by address then port) collapsed.
    static func collapsing(_ attempts: [AttemptSummary]) -> [AttemptRun] {
        var runs: [AttemptRun] = []
        for attempt in attempts {
            if var last = runs.last, last.catalogKey == nil, attempt.catalogKey == nil, last.address == attempt.address,
               last.ports.upperBound < UInt16.max, last.ports.upperBound + 1 == attempt.port {
                last.ports = last.ports.lowerBound...attempt.port
                last.refused.addSaturated(attempt.refused)
                last.unanswered.addSaturated(attempt.unanswered)
                last.clients = max(last.clients, attempt.clients)
                last.firstSeen = min(last.firstSeen, attempt.firstSeen)
                last.lastSeen = max(last.lastSeen, attempt.lastSeen)
                runs[runs.count - 1] = last
            } else {
                runs.append(AttemptRun(address: attempt.address, ports: attempt.port...attempt.port, catalogKey: attempt.catalogKey,
                                       refused: attempt.refused, unanswered: attempt.unanswered, clients: attempt.clients,
                                       firstSeen: attempt.firstSeen, lastSeen: attempt.lastSeen))
            }
        }
        return runs
    }
}
