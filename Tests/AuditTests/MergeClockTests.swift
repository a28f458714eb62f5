@testable import Audit
import XCTest

/// The one clock a merge gives its times in (`MergeClock`, docs/merge.md "Which clock"),
/// from measured offsets between capture points.
final class MergeClockTests: XCTestCase {
    func offset(_ first: String, _ second: String, seconds: Double) -> MergeObservations.ClockOffset {
        MergeObservations.ClockOffset(first: first, second: second, nanoseconds: Int64(seconds * 1e9), connections: 1)
    }

    /// The point that began first gives the clock; a point measured only through another is
    /// moved by the sum; a group measured against each other but not against it keeps the
    /// clock of its own earliest point; a point measured nowhere, and one within 1 ms (the
    /// time on the wire), keep their times.
    func testEachGroupOfMeasuredPointsIsInTheClockOfItsEarliestPoint() {
        let starts: [String: Int64] = ["a": 100, "b": 90, "c": 50, "d": 400, "e": 300, "f": 10, "g": 60]
        let clock = MergeClock(offsets: [offset("b", "c", seconds: 30), offset("a", "b", seconds: -10),
                                         offset("d", "e", seconds: 5), offset("c", "g", seconds: 0.0005)],
                               starts: starts)
        XCTAssertEqual(clock.reference, "f", "f began first")
        XCTAssertEqual(clock.offsets, [
            ClockShift(capturePoint: "a", clockOf: "c", secondsAhead: -20),
            ClockShift(capturePoint: "b", clockOf: "c", secondsAhead: -30),
            ClockShift(capturePoint: "d", clockOf: "e", secondsAhead: -5),
        ])
        XCTAssertEqual(clock.shift("g"), 0, "0.5 ms apart: one clock")
        XCTAssertEqual(clock.shift("f"), 0)
        XCTAssertEqual(clock.shift("unknown"), 0)
    }

    /// The same offsets in any order give the same clock: the merge is associative.
    func testTheOrderOfTheOffsetsChangesNothing() {
        let offsets = [offset("a", "b", seconds: 30), offset("b", "c", seconds: 10), offset("a", "c", seconds: 40.5)]
        let starts: [String: Int64] = ["a": 5, "b": 1, "c": 9]
        let clocks = [offsets, offsets.reversed(), [offsets[1], offsets[2], offsets[0]]].map {
            MergeClock(offsets: $0, starts: starts).offsets
        }
        XCTAssertEqual(clocks[0], clocks[1])
        XCTAssertEqual(clocks[0], clocks[2])
        XCTAssertEqual(clocks[0], [ClockShift(capturePoint: "a", clockOf: "b", secondsAhead: -30),
                                   ClockShift(capturePoint: "c", clockOf: "b", secondsAhead: 10)])
    }
}
