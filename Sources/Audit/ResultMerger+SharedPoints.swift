import Policy

extension ResultMerger {
    /// How long two results of one capture point may overlap in time and still be its
    /// successive windows: a rotated capture's files may disagree by the order packets left
    /// the kernel's per-CPU buffers, never by a second.
    static let windowOverlapAllowance: Int64 = 1_000_000_000

    /// Refuses two results that name the same capture point but cannot be one: a capture
    /// point is one clock and one vantage, so two results of it are its time windows and
    /// cannot overlap. Two nodes given the same `--capture-point`, or audited without one
    /// on files of the same name (tcpdump's `cap-%Y%m%d-%H%M%S.pcap` started in the same
    /// second on each node), would otherwise be merged as one point: a connection seen at
    /// both ends would be two connections of that point, counted twice. Renaming one of
    /// them instead was weighed and not done: no name derived from the results alone keeps
    /// every tree of merges giving the same bytes. (Two results of the same capture are
    /// refused before, `refuseRepeats`.)
    static func refuseSharedPoints(in results: [AuditResult], names: [String]) throws {
        // "2026-12-05T08:56:25": a time to the second, UTC.
        func clock(_ nanoseconds: Int64) -> String { String(Timestamp(nanoseconds: nanoseconds).description.prefix(19)) }
        // Per capture point name: each input's time span, with its result. A merged result's
        // windows of one point are its inputs: compared one by one, since a later merge may
        // bring the window between two of them.
        var spans: [String: [(result: Int, first: Int64, last: Int64)]] = [:]
        for (index, result) in results.enumerated() {
            let own = result.capturePoints?.count == 1 ? result.capturePoints![0].name : names[index]
            for input in result.inputs {
                guard let first = input.firstSeen?.nanoseconds, let last = input.lastSeen?.nanoseconds else { continue }
                spans[input.capturePoint ?? own, default: []].append((index, first, last))
            }
        }
        // By first packet: each span meets only those that start before it ends.
        for (point, list) in spans.sorted(by: { $0.key < $1.key }) {
            let sorted = list.sorted { ($0.first, $0.result) < ($1.first, $1.result) }
            for (position, span) in sorted.enumerated() {
                for other in sorted[(position + 1)...] {
                    guard other.first < span.last.subtractingSaturated(windowOverlapAllowance) else { break }
                    guard other.result != span.result,
                          min(span.last, other.last).subtractingSaturated(other.first) > windowOverlapAllowance else { continue }
                    let (x, y) = other.result > span.result ? (other, span) : (span, other)
                    throw MergeError(description: "\(names[x.result]) and \(names[y.result]) both name their capture point "
                        + "'\(point.escapedForMessage)', but are different captures of the same time (\(clock(x.first)) to "
                        + "\(clock(x.last)) and \(clock(y.first)) to \(clock(y.last))): one capture point's results are "
                        + "its time windows, and a connection seen by both would be counted twice; audit each node with its "
                        + "own --capture-point")
                }
            }
        }
    }
}
