import Flows

/// The one clock a merge gives its times in (docs/merge.md, "Which clock"). Each capture
/// point has its own clock; the offsets between them are measured from the connections two
/// points both saw the handshake of (`MergeObservations.measuredOffsets`). Each group of
/// points tied by measured offsets, directly or through other points, is given in the
/// clock of the one whose capture began first (its earliest input's first packet, at face
/// value; by name on a tie), every other point's times moved back by how far its clock is
/// ahead of that one, when that is more than `agreement`. The merge's clock, `reference`, is the one of the point whose capture
/// began first of all. A point with no offset measured to any other keeps its own times.
///
/// Connections, services, the window and its gaps are all given in it, so that a
/// service's first and last packet, or the window's start and end, never come from two
/// clocks. Before, each connection seen at two points was timed in the clock of the point
/// that saw it first, every other connection and the window at face value: with one node's
/// clock 30 s ahead, a service could begin in one clock and end in the other.
public struct MergeClock: Sendable {
    /// The capture point whose clock the merge's times are in; nil without any input time.
    public var reference: String?
    /// Per capture point whose times are moved: the point whose clock they are moved into,
    /// and how many nanoseconds its clock is ahead of that one's (taken out).
    public var moved: [String: (into: String, ahead: Int64)] = [:]

    /// The offset up to which two clocks are taken as one, 1 ms: a handshake seen at both
    /// ends measures the time on the wire as well as the clocks' offset (17-19 µs between the
    /// namespaces of captures/nodes-*.pcap, a millisecond or more across a WAN), and NTP keeps
    /// synchronised hosts within about a millisecond. Moving their times by that much would
    /// make the window and every time no packet's recorded time, and tell nothing.
    public static let agreement: Int64 = 1_000_000

    /// No point moved: every time at face value.
    public init() {}

    /// The clock of a merge whose capture points began at `starts` (each point's earliest
    /// first packet) and whose clocks were measured apart by `offsets`.
    public init(offsets: [MergeObservations.ClockOffset], starts: [String: Int64]) {
        var neighbours: [String: [(point: String, ahead: Int64)]] = [:]
        for offset in offsets {
            neighbours[offset.first, default: []].append((offset.second, offset.nanoseconds))
            neighbours[offset.second, default: []].append((offset.first, Int64(0).subtractingSaturated(offset.nanoseconds)))
        }
        let points = Set(starts.keys).union(neighbours.keys).sorted { x, y in
            (starts[x] ?? .max, x) < (starts[y] ?? .max, y)
        }
        reference = points.first { starts[$0] != nil }
        var placed = Set<String>()
        for origin in points where !placed.contains(origin) {
            // Breadth first, neighbours by name: the same shifts whatever order the offsets came in.
            placed.insert(origin)
            var queue = [(point: origin, ahead: Int64(0))], head = 0
            while head < queue.count {
                let (point, ahead) = queue[head]
                head += 1
                for next in (neighbours[point] ?? []).sorted(by: { $0.point < $1.point }) where !placed.contains(next.point) {
                    placed.insert(next.point)
                    let total = ahead.addingSaturated(next.ahead)
                    if total.magnitude > MergeClock.agreement.magnitude { moved[next.point] = (origin, total) }
                    queue.append((next.point, total))
                }
            }
        }
    }

    /// How many nanoseconds `point`'s clock is ahead of the clock its times are given in.
    public func shift(_ point: String) -> Int64 { moved[point]?.ahead ?? 0 }

    /// `inputs` with their first and last packets in this clock (for what compares them with
    /// the connections' times; the result lists each input as it was recorded).
    public func inOneClock(_ inputs: [InputSummary]) -> [InputSummary] {
        guard !moved.isEmpty else { return inputs }
        return inputs.map { input in
            var input = input
            let shift = input.capturePoint.map(self.shift) ?? 0
            input.firstSeen = input.firstSeen.map { Timestamp(nanoseconds: $0.nanoseconds.subtractingSaturated(shift)) }
            input.lastSeen = input.lastSeen.map { Timestamp(nanoseconds: $0.nanoseconds.subtractingSaturated(shift)) }
            return input
        }
    }

    /// What the result says of it: each moved point, by name.
    public var offsets: [ClockShift] {
        moved.sorted { $0.key < $1.key }.map { point, move in
            ClockShift(capturePoint: point, clockOf: move.into, secondsAhead: Double(move.ahead) / 1e9)
        }
    }
}

/// One capture point whose times a merge moved into another's clock (`coverage.clock_offsets`).
public struct ClockShift: Codable, Sendable, Equatable {
    public var capturePoint: String
    /// The point whose clock its times are given in.
    public var clockOf: String
    /// How far its clock was ahead of that one's (negative: behind), measured from the
    /// handshakes both saw, and taken out.
    public var secondsAhead: Double

    public init(capturePoint: String, clockOf: String, secondsAhead: Double) {
        self.capturePoint = capturePoint
        self.clockOf = clockOf
        self.secondsAhead = secondsAhead
    }
}
