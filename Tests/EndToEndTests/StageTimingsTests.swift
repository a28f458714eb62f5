import Foundation
import XCTest

/// `dasaudit audit --timings`: the time of each stage on standard error, nothing else changed.
final class StageTimingsTests: XCTestCase {
    let policy = ["--offset", "2", "--mode", "cluster", "--cores", "2"]

    func testTimingsNameEveryStageOnStandardErrorAndLeaveTheResultAlone() throws {
        let path = capture("spark-cluster-offset2-lo.pcap")
        let plain = try runDasaudit(["audit", path, "--format", "json"] + policy)
        let timed = try runDasaudit(["audit", path, "--format", "json", "--timings"] + policy)
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
}
