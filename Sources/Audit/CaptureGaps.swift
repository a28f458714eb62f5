import Flows

/// A stretch of a merge's window that one capture point's inputs leave uncovered: the
/// point's last packet before it and its first after, longer apart than
/// `CaptureGaps.tolerance`. Results of one node covering 10:00-10:10 and 10:20-10:30 hold
/// nothing of it from 10:10 to 10:20; merged as if the node had watched 10:00-10:30, the
/// audit would pass a window nobody watched (docs/merge.md, "Gaps in a capture point's
/// windows").
public struct CaptureGap: Codable, Sendable, Equatable {
    /// The capture point (`CapturePoint.name`).
    public var capturePoint: String
    /// Its last packet before the gap and its first after, in the merge's clock
    /// (`Coverage.clockOf`).
    public var from: Timestamp
    public var to: Timestamp
    /// `to - from`.
    public var seconds: Double

    public init(capturePoint: String, from: Timestamp, to: Timestamp) {
        self.capturePoint = capturePoint
        self.from = from
        self.to = to
        seconds = to.seconds(since: from)
    }
}

/// The gaps between a capture point's inputs no longer than `CaptureGaps.tolerance`, taken
/// as the dead time between successive captures and joined: how many, and their seconds in
/// all, so that the window is not said to be watched more closely than it was.
public struct JoinedGaps: Codable, Sendable, Equatable {
    public var count: UInt64
    public var seconds: Double

    public init(count: UInt64 = 0, seconds: Double = 0) {
        self.count = count
        self.seconds = seconds
    }
}

/// Where the inputs of each capture point of a merge leave its window uncovered. A capture
/// point's inputs are its time windows (docs/merge.md): between the end of one (its last
/// packet) and the start of the next, the point captured nothing the merge holds.
///
/// The results hold packet times only, not when each capture started and stopped, so a
/// gap is measured from the last packet of one window to the first of the next: it holds
/// the dead time between two captures and the quiet at either side of the boundary. Up to
/// `tolerance` it is joined and summed (`JoinedGaps`); past it, it is a gap of its own
/// (`CaptureGap`), an `incomplete-input` finding, as an input read only in part is.
public enum CaptureGaps {
    /// The longest gap between two windows of one capture point that is joined: 2 s.
    /// Successive `dasaudit live --duration 2s` runs of one node in a shell loop, traffic
    /// every 20 ms (scripts/measure-live-gaps.sh, 11 gaps a run), measured 0.08-0.14 s from
    /// one run's last packet to the next one's first (release build), 0.18-0.23 s (debug
    /// build) and 0.36-0.77 s (debug, both cores busy, load 8); the windows of a capture
    /// cut with `editcap -i 3` are 0.24-0.26 s apart (the quiet at the boundary), and
    /// tcpdump's own rotation (`-G`, `-C`) loses no time. 2 s is over twice the worst of
    /// those, and a window missing between two results (minutes; a lost 3 s rotated piece
    /// leaves 3.3 s) is above it.
    public static let tolerance: Int64 = 2_000_000_000

    /// The gaps of `inputs` at each capture point (inputs without a point or without
    /// packets are left out), by point then time, and the short ones joined. `shift` gives
    /// the nanoseconds a point's clock is ahead of the merge's, taken out of the times said.
    public static func find(in inputs: [InputSummary], shift: (String) -> Int64 = { _ in 0 })
        -> (gaps: [CaptureGap], joined: JoinedGaps) {
        var windows: [String: [(first: Int64, last: Int64)]] = [:]
        for input in inputs {
            guard let point = input.capturePoint, let first = input.firstSeen?.nanoseconds,
                  let last = input.lastSeen?.nanoseconds else { continue }
            windows[point, default: []].append((first, max(first, last)))
        }
        var gaps: [CaptureGap] = [], joined = JoinedGaps()
        for (point, pieces) in windows.sorted(by: { $0.key < $1.key }) {
            let moved = shift(point)
            let ordered = pieces.sorted { ($0.first, $0.last) < ($1.first, $1.last) }
            var covered = ordered[0].last
            for piece in ordered.dropFirst() {
                if piece.first > covered {
                    let (length, overflow) = piece.first.subtractingReportingOverflow(covered)
                    if overflow || length > tolerance {
                        gaps.append(CaptureGap(capturePoint: point, from: Timestamp(nanoseconds: covered.subtractingSaturated(moved)),
                                               to: Timestamp(nanoseconds: piece.first.subtractingSaturated(moved))))
                    } else {
                        joined.count += 1
                        joined.seconds += Double(length) / 1e9
                    }
                }
                covered = max(covered, piece.last)
            }
        }
        return (gaps, joined)
    }

    /// The gaps between the inputs of an audit, all of them `point`'s (an audit's result
    /// names one capture point): the stretches none of its inputs covers, as a merge of its
    /// result would find them (docs/inputs.md, "Gaps between the inputs").
    public static func find(inInputsOf point: String, _ inputs: [InputSummary]) -> (gaps: [CaptureGap], joined: JoinedGaps) {
        find(in: inputs.map { input in
            var input = input
            input.capturePoint = point
            return input
        })
    }

    /// The `incomplete-input` finding of one gap: medium, as an input read only in part.
    static func finding(_ gap: CaptureGap) -> Finding {
        Finding(kind: .incompleteInput, severity: .medium, port: nil, address: nil,
                message: "capture point \(gap.capturePoint) has no input from \(gap.from) to \(gap.to) ("
                    + "\(secondsText(gap.seconds)) between its last packet of one window and its first of the next): "
                    + "nothing it captured then was audited, and its window is not one watch",
                remediation: "Give the missing window's capture with the others (a rotated set's lost file), or merge "
                    + "its result audited at the same --capture-point; if the node was captured then and quiet, the "
                    + "gap is its quiet time and can be waived.")
    }

    /// "2 s".
    public static var toleranceText: String { "\(tolerance / 1_000_000_000) s" }

    /// "12.345 s".
    public static func secondsText(_ seconds: Double) -> String {
        "\(Double((seconds * 1000).rounded()) / 1000) s"
    }
}

extension Coverage {
    /// Says the gaps of a capture point's inputs and the short ones joined, and with a gap
    /// an incomplete window: what a merge (`MergedWindow`) and an audit of several inputs
    /// both record.
    public mutating func record(gaps: [CaptureGap], joined: JoinedGaps) {
        captureGaps = gaps
        captureGapsJoined = joined
        if !gaps.isEmpty { complete = false }
    }
}
