import Flows
import Foundation

/// What a merge learns while matching sightings that its counts cannot show: `dasaudit
/// merge` tells it on standard error (docs/merge.md).
public struct MergeObservations: Sendable {
    /// Per pair of capture points (names in order): the second's first packet minus the
    /// first's, in nanoseconds, for each connection both saw the handshake of (matched by
    /// its client ISN, whatever the clocks): both first packets are its SYN, so the
    /// differences measure how far apart the two clocks are.
    public var handshakeOffsets: [[String]: [Int64]] = [:]
    /// The windows of every connection seen at two or more capture points, one after the
    /// other (`sharedStarts[i]` is where connection `i`'s begin), each in its own point's
    /// clock: whether their counts are a lower bound can be told only once the clocks'
    /// offsets are measured over all of them (`countedLow`). Flat, not an array per
    /// connection.
    var sharedWindows: [Window] = []
    var sharedStarts: [Int] = []
    /// Per connection of `sharedStarts`: its index among the merge's connections, as made
    /// (`inOneClock`).
    var sharedConnections: [Int] = []
    /// Per connection of the merge, as made: the capture point of the sighting that opened
    /// it, whose clock its times are in until `inOneClock` moves them.
    var openedAt: [String] = []

    public init() {}

    /// One sighting's first and last packet, at its capture point, and how it ended there.
    struct Window: Sendable {
        var point: String, first: Int64, last: Int64, ending: ConnectionState
    }

    /// One clock offset measured between two capture points.
    public struct ClockOffset: Sendable, Equatable {
        public var first: String, second: String
        /// The median difference: how far `second`'s clock is ahead of `first`'s.
        public var nanoseconds: Int64
        /// How many connections measured it.
        public var connections: Int
    }

    /// Every pair of capture points with a connection both saw the handshake of, and the
    /// median of their handshake offsets.
    public func measuredOffsets() -> [ClockOffset] {
        handshakeOffsets.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { pair, differences in
            ClockOffset(first: pair[0], second: pair[1], nanoseconds: differences.sorted()[differences.count / 2],
                        connections: differences.count)
        }
    }

    /// The pairs of capture points whose clocks, measured by the median of their handshake
    /// offsets, differ by more than `skew`: connections without a handshake are matched
    /// across them by times, which that difference puts apart.
    public func clockOffsets(beyond skew: Int64) -> [ClockOffset] {
        measuredOffsets().filter { $0.nanoseconds.magnitude > skew.magnitude }
    }

    /// Connections seen at two or more capture points whose windows each reach past the
    /// others' (one started capturing later, another stopped earlier): their counts, the
    /// larger sighting's per direction, miss what only another saw, so they are a lower
    /// bound. A window that holds all the others' saw every packet.
    ///
    /// Windows are compared in the clock of the point that saw the connection first, each
    /// other point's times moved back by the offset measured between the two
    /// (`measuredOffsets`). Within `skew` where an offset was not measured; where every one
    /// was, within `skew` but at most `ResultMerger.defaultSkew`: the offsets taken out,
    /// the clocks agree as synchronised ones do, and the `--skew` a user widened to match
    /// connections across an offset would hide windows seconds apart. Without the offsets,
    /// a node whose clock was 30 s off put the windows of every connection both ends saw
    /// 30 s apart: 13 of a real cluster's connections were said to be lower bounds where 1 is.
    public func countedLow(skew: Int64) -> Int {
        let offsets = offsetsByPair()
        var low = 0
        for index in sharedStarts.indices {
            let (windows, allMeasured) = windowsInOneClock(index, offsets: offsets)
            let slack = allMeasured ? min(skew, ResultMerger.defaultSkew) : skew
            let first = windows.lazy.map(\.first).min()!, last = windows.lazy.map(\.last).max()!
            if !windows.contains(where: { $0.first <= first.addingSaturated(slack) && last <= $0.last.addingSaturated(slack) }) {
                low += 1
            }
        }
        return low
    }

    /// `connections` (the merge's, as made) with their first and last packets in `clock`
    /// (`MergeClock`): each moved back by how far the clock of the point that saw it is ahead
    /// of the merge's; one seen at two or more points from the earliest to the latest of its
    /// sightings, each moved so. Taken at face value, the earliest first and the latest last
    /// packet of two clocks 45 s apart made a thrift call of 0.1 s last 45 s; timed each in
    /// the clock of the point that saw it first, a service's first packet came from one clock
    /// and its last from another. Its ending too (`ending(of:)`).
    func inOneClock(_ connections: [Connection], clock: MergeClock) -> [Connection] {
        var connections = connections
        if !clock.moved.isEmpty {
            for index in connections.indices where index < openedAt.count {
                let shift = clock.shift(openedAt[index])
                guard shift != 0 else { continue }
                connections[index].firstSeen = connections[index].firstSeen.subtractingSaturated(shift)
                connections[index].lastSeen = connections[index].lastSeen.subtractingSaturated(shift)
            }
        }
        for (index, connection) in sharedConnections.enumerated() {
            let start = sharedStarts[index], end = index + 1 < sharedStarts.count ? sharedStarts[index + 1] : sharedWindows.count
            let windows = sharedWindows[start..<end].map { window -> (first: Int64, last: Int64, ending: ConnectionState) in
                let shift = clock.shift(window.point)
                return (window.first.subtractingSaturated(shift), window.last.subtractingSaturated(shift), window.ending)
            }
            connections[connection].firstSeen = windows.lazy.map(\.first).min()!
            connections[connection].lastSeen = windows.lazy.map(\.last).max()!
            guard connections[connection].state.isTraffic, let ending = Self.ending(of: windows) else { continue }
            connections[connection].ending = ending
            // Opened in a sighting that saw the handshake: it ended as the connection did.
            if connections[connection].state != .midstream { connections[connection].state = ending }
        }
        return connections
    }

    /// How a connection seen at several points ended: closed or reset when any point saw it
    /// close, as the latest of those saw it (in one clock), else nil (open at every point's
    /// last packet, as the merge made it). A point that stopped capturing while the
    /// connection was open only did not see its end: the sighting that gave the orientation
    /// (a handshake, at the point that started capturing first) had left it `established`,
    /// open at the end, when another point saw it closed.
    static func ending(of windows: [(first: Int64, last: Int64, ending: ConnectionState)]) -> ConnectionState? {
        var ending: (state: ConnectionState, last: Int64)?
        for window in windows where window.ending != .established && window.last >= (ending?.last ?? .min) {
            ending = (window.ending, window.last)
        }
        return ending?.state
    }

    /// The median offsets measured (`measuredOffsets`) by pair of capture points, names in order.
    func offsetsByPair() -> [[String]: Int64] {
        var offsets: [[String]: Int64] = [:]
        for offset in measuredOffsets() { offsets[[offset.first, offset.second]] = offset.nanoseconds }
        return offsets
    }

    /// The windows of the `index`th connection seen at two or more points, each in the clock
    /// of the point that saw it first (its first window's), and whether every other point's
    /// offset to that one was measured.
    func windowsInOneClock(_ index: Int, offsets: [[String]: Int64])
        -> (windows: [(first: Int64, last: Int64, ending: ConnectionState)], allMeasured: Bool) {
        let start = sharedStarts[index], end = index + 1 < sharedStarts.count ? sharedStarts[index + 1] : sharedWindows.count
        let reference = sharedWindows[start].point
        var allMeasured = true
        let windows = sharedWindows[start..<end].map { window -> (first: Int64, last: Int64, ending: ConnectionState) in
            var shift: Int64 = 0
            if window.point != reference {
                let pair = [min(window.point, reference), max(window.point, reference)]
                if let offset = offsets[pair] { shift = window.point > reference ? offset : -offset } else { allMeasured = false }
            }
            return (window.first.subtractingSaturated(shift), window.last.subtractingSaturated(shift), window.ending)
        }
        return (windows, allMeasured)
    }

    /// Records a connection opened by `opener` at point `openerPoint` and seen again by
    /// `sighting` at `point`, both with its handshake.
    mutating func recordHandshake(_ opener: Connection, at openerPoint: String, _ sighting: Connection, at point: String) {
        let (first, second) = openerPoint < point ? (opener, sighting) : (sighting, opener)
        handshakeOffsets[[min(openerPoint, point), max(openerPoint, point)], default: []]
            .append(second.firstSeen.subtractingSaturated(first.firstSeen))
    }

    /// Records the windows of the merged connections seen at two or more capture points:
    /// `owners[i]` is the merged connection (of `count`, the merge's `base + owners[i]`th)
    /// that sighting `ordered[i]` opened or joined. Gathered by a stable counting sort, so
    /// each connection's sightings keep their order (the one that opened it first) and no
    /// array is made per connection.
    mutating func recordShared(_ ordered: [(source: String, connection: Connection)], owners: [Int], count: Int, base: Int) {
        var sizes = [Int](repeating: 0, count: count)
        for owner in owners { sizes[owner] += 1 }
        guard sizes.contains(where: { $0 > 1 }) else { return }
        var starts = [Int](repeating: 0, count: count + 1)
        for index in 0..<count { starts[index + 1] = starts[index] + sizes[index] }
        var next = starts, placed = [Int](repeating: 0, count: owners.count)
        for (sighting, owner) in owners.enumerated() { placed[next[owner]] = sighting; next[owner] += 1 }
        for owner in 0..<count where sizes[owner] > 1 {
            sharedStarts.append(sharedWindows.count)
            sharedConnections.append(base + owner)
            for sighting in placed[starts[owner]..<starts[owner + 1]] {
                let (point, connection) = ordered[sighting]
                sharedWindows.append(Window(point: point, first: connection.firstSeen, last: connection.lastSeen,
                                            ending: connection.ending))
            }
        }
    }
}
