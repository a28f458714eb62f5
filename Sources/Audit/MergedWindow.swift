/// What a merge says of its window that no single input can: which clock its times are in
/// (`MergeClock`), the window in that clock, and where each capture point's inputs leave it
/// uncovered (`CaptureGaps`). Computed from the merged inputs and the offsets measured over
/// every sighting, so that any tree of merges of the same results says the same
/// (docs/merge.md).
public struct MergedWindow: Sendable {
    public var clock: MergeClock
    public var gaps: [CaptureGap]
    public var joined: JoinedGaps

    /// The window of `inputs`, each at its capture point, in `clock`.
    public init(_ inputs: [InputSummary], clock: MergeClock = MergeClock()) {
        self.clock = clock
        (gaps, joined) = CaptureGaps.find(in: inputs, shift: clock.shift)
    }

    /// Says it in `coverage` (made from the inputs as recorded): the window from the first
    /// to the last packet in the merge's clock, the clock, the gaps, the joined ones, and,
    /// with a gap, an incomplete window.
    func apply(to coverage: inout Coverage, inputs: [InputSummary]) {
        let moved = clock.inOneClock(inputs)
        coverage.captureStart = moved.compactMap(\.firstSeen).min()
        coverage.captureEnd = moved.compactMap(\.lastSeen).max()
        coverage.durationSeconds = coverage.captureStart.flatMap { start in coverage.captureEnd.map { $0.seconds(since: start) } } ?? 0
        coverage.clockOf = clock.reference
        coverage.clockOffsets = clock.offsets
        coverage.record(gaps: gaps, joined: joined)
    }
}
