import Foundation
import XCTest

/// `dasaudit audit --timings`: the time of each stage on standard error, nothing else changed.
final class StageTimingsTests: XCTestCase {
    let policy = ["--offset", "2", "--mode", "cluster", "--cores", "2"]

    func testTimingsNameEveryStageOnStandardErrorAndLeaveTheResultAlone() throws {
        let path = capture("spark-cluster-offset2-lo.pcap")
        // At one audit time: the result records when it ran.
        let time = ["DASAUDIT_AUDIT_TIME": "2026-12-05T12:00:00Z"]
        let plain = try runDasaudit(["audit", path, "--format", "json"] + policy, environment: time)
        let timed = try runDasaudit(["audit", path, "--format", "json", "--timings"] + policy, environment: time)
        XCTAssertEqual(timed.status, plain.status)
        let line = try XCTUnwrap(timed.stderr.split(separator: "\n").last.map(String.init))
        let pattern = #"^timings: packet loop (\d+\.\d{3}) s, end stage (\d+\.\d{3}) s, evidence hash (\d+\.\d{3}) s, output (\d+\.\d{3}) s, total (\d+\.\d{3}) s$"#
        let match = try XCTUnwrap(line.wholeMatch(of: try Regex(pattern)), line)
        let seconds = (1...5).map { Double(match.output[$0].substring!)! }
        XCTAssertEqual(seconds[0..<4].reduce(0, +), seconds[4], accuracy: 0.0025, "the stages add up to the total")
        XCTAssertLessThan(seconds[4], 60)
        XCTAssertFalse(plain.stderr.contains("timings:"), "only when asked")
        // The result is the same but for the command line its evidence records.
        XCTAssertEqual(timed.stdout.replacingOccurrences(of: ",\n      \"--timings\"", with: ""), plain.stdout)
    }

    func testTimingsSayTheCPUOfTheTrackingThreadAndOfTheHashBesideAllThreads() throws {
        // Headers only: beside a second core, a tracking thread of its own takes the connections.
        let path = capture("das-offset3-lo-s96.pcap")
        let pattern = #"^cpu: (?:tracking thread (\d+\.\d{3}) s, )?evidence hash (\d+\.\d{3}) s, all threads (\d+\.\d{3}) s$"#
        for threads in [1, 2] {
            let timed = try runDasaudit(["audit", path, "--format", "json", "--timings", "--threads", "\(threads)"] + policy)
            let lines = timed.stderr.split(separator: "\n").map(String.init)
            XCTAssertTrue(lines.last?.hasPrefix("timings: ") ?? false, timed.stderr)
            let line = try XCTUnwrap(lines.dropLast().last, timed.stderr)
            let match = try XCTUnwrap(line.wholeMatch(of: try Regex(pattern)), line)
            let tracking = match.output[1].substring.map { Double($0)! }
            let hash = Double(match.output[2].substring!)!, all = Double(match.output[3].substring!)!
            XCTAssertEqual(tracking == nil, threads == 1, "a tracking thread only beside a second core: \(line)")
            XCTAssertGreaterThan(all, 0)
            XCTAssertLessThanOrEqual(hash + (tracking ?? 0), all + 0.002, "parts of all the threads' time: \(line)")
        }
    }
}
