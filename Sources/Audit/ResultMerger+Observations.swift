import Flows
import Foundation

/// What a merge learns while matching sightings that its counts cannot show: `dasaudit
/// merge` tells it on standard error (docs/merge.md).
public struct MergeObservations: Sendable {
    /// Connections seen at two capture points whose windows each reach past the other's (one
    /// started capturing later, the other stopped earlier): their counts, the larger
    /// sighting's per direction, miss what only the other saw, so they are a lower bound.
    public var countedLow = 0
    /// Per pair of capture points (names in order): the second's first packet minus the
    /// first's, in nanoseconds, for each connection both saw the handshake of (matched by
    /// its client ISN, whatever the clocks): both first packets are its SYN, so the
    /// differences measure how far apart the two clocks are.
    public var handshakeOffsets: [[String]: [Int64]] = [:]

    public init() {}

    /// One clock offset measured between two capture points.
    public struct ClockOffset: Sendable, Equatable {
        public var first: String, second: String
        /// The median difference: how far `second`'s clock is ahead of `first`'s.
        public var nanoseconds: Int64
        /// How many connections measured it.
        public var connections: Int
    }

    /// The pairs of capture points whose clocks, measured by the median of their handshake
    /// offsets, differ by more than `skew`: connections without a handshake are matched
    /// across them by times, which that difference puts apart.
    public func clockOffsets(beyond skew: Int64) -> [ClockOffset] {
        handshakeOffsets.sorted { $0.key.lexicographicallyPrecedes($1.key) }.compactMap { pair, differences in
            let median = differences.sorted()[differences.count / 2]
            return median.magnitude > skew.magnitude
                ? ClockOffset(first: pair[0], second: pair[1], nanoseconds: median, connections: differences.count) : nil
        }
    }

    /// Records a connection opened by `opener` at point `openerPoint` and seen again by
    /// `sighting` at `point`, both with its handshake.
    mutating func recordHandshake(_ opener: Connection, at openerPoint: String, _ sighting: Connection, at point: String) {
        let (first, second) = openerPoint < point ? (opener, sighting) : (sighting, opener)
        handshakeOffsets[[min(openerPoint, point), max(openerPoint, point)], default: []]
            .append(second.firstSeen.subtractingSaturated(first.firstSeen))
    }
}

extension ResultMerger {
    /// Whether `x`'s window holds all of `y`'s (within `skew`): then `x` saw every packet
    /// `y` saw, unless its capture dropped some, and the larger count is the connection's.
    func covers(_ x: Connection, _ y: Connection) -> Bool {
        x.firstSeen <= y.firstSeen.addingSaturated(skew) && y.lastSeen <= x.lastSeen.addingSaturated(skew)
    }
}
