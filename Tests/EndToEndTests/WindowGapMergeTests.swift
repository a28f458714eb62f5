import Audit
import Foundation
import XCTest

/// The windows of one capture point merged (docs/merge.md, "Gaps in a capture point's
/// windows"), on the real windows of `captures/fleet-a.pcap` and `fleet-b.pcap` cut with
/// `editcap -i 3` (scripts/recording/record-fleet.sh): a's w1 ends at 09:06:37.776686, w2
/// runs from 09:06:38.031461 to 09:06:40.802208, w3 begins at 09:06:41.036851.
final class WindowGapMergeTests: XCTestCase {
    let policy = ["--offset", "2", "--mode", "cluster", "--cores", "2"]

    func audit(_ captureName: String, at point: String) throws -> String {
        let output = temporary(captureName + ".json")
        let run = try runDasaudit(["audit", capture(captureName)] + policy
            + ["--capture-point", point, "--connections", "--fail-on", "never", "--format", "json", "--output", output])
        XCTAssertEqual(run.status, 0, run.stderr)
        return output
    }

    func merge(_ results: [String], _ options: [String] = []) throws -> (run: CommandResult, result: AuditResult, path: String) {
        let output = temporary("merged-\(UUID().uuidString).json")
        let run = try runDasaudit(["merge"] + results + policy + ["--format", "json", "--output", output] + options)
        return (run, try ResultCoding.decoder().decode(AuditResult.self, from: Data(contentsOf: URL(fileURLWithPath: output))), output)
    }

    /// a's first and third windows at one capture point merged as if a had watched from
    /// 09:06:35 to 09:06:42.5 without a break: complete, and nothing said of the 3.26 s
    /// between them, whose packets (w2's 16 connections' worth) nobody audited. The gap is
    /// now in the coverage, a medium incomplete-input finding (not compliant at the default
    /// --fail-on, as an input read only in part), and said by every report; merged again
    /// with the missing window, it is gone.
    func testAMissingMiddleWindowIsAGapOfItsCapturePoint() throws {
        let w1 = try audit("fleet-a-w1.pcap", at: "a"), w2 = try audit("fleet-a-w2.pcap", at: "a")
        let w3 = try audit("fleet-a-w3.pcap", at: "a")
        let (run, merged, path) = try merge([w1, w3])
        XCTAssertEqual(run.status, 1, run.stderr)
        let gap = CaptureGap(capturePoint: "a", from: merged.inputs[0].lastSeen!, to: merged.inputs[1].firstSeen!)
        XCTAssertEqual("\(gap.from) \(gap.to)", "2026-12-02T09:06:37.776686000Z 2026-12-02T09:06:41.036851000Z")
        XCTAssertEqual(merged.coverage.captureGaps, [gap])
        XCTAssertEqual(merged.coverage.captureGaps?.first?.seconds ?? 0, 3.260165, accuracy: 1e-9)
        XCTAssertEqual(merged.coverage.captureGapsJoined, JoinedGaps(count: 0, seconds: 0))
        XCTAssertFalse(merged.coverage.complete)
        XCTAssertFalse(merged.summary.compliant)
        let said = "capture point a has no input from 2026-12-02T09:06:37.776686000Z to 2026-12-02T09:06:41.036851000Z (3.26 s"
        let findings = merged.findings.filter { $0.kind == .incompleteInput }
        XCTAssertEqual(findings.map(\.severity), [.medium])
        XCTAssertTrue(findings.first?.message.hasPrefix(said) == true, "\(findings.map(\.message))")
        for format in ["text", "markdown", "html", "csv", "junit"] {
            let rendered = try runDasaudit(["render", path, "--format", format])
            XCTAssertTrue(rendered.stdout.contains(said), "\(format): \(rendered.stdout.suffix(2000))")
        }
        // Under a threshold the finding does not reach, the pass says what it did not see.
        let lenient = try runDasaudit(["merge", w1, w3, "--fail-on", "high"] + policy)
        XCTAssertEqual(lenient.status, 0, lenient.stderr)
        XCTAssertTrue(lenient.stdout.contains("(but the input was incomplete)"), lenient.stdout)
        // The missing window merged in: no gap, in one merge or a merge of the merge.
        for closed in [try merge([w1, w2, w3]).result, try merge([path, w2]).result] {
            XCTAssertEqual(closed.coverage.captureGaps, [])
            XCTAssertEqual(closed.coverage.captureGapsJoined?.count, 2)
            XCTAssertTrue(closed.coverage.complete)
            XCTAssertFalse(closed.findings.contains { $0.kind == .incompleteInput })
        }
    }

    /// Windows of one capture cut by time are 0.23-0.26 s apart (the quiet at each cut), as
    /// successive live runs are 0.1-0.8 s (LiveMergeTests): joined, as before, but no longer
    /// unsaid: their number and their seconds in all, at each point; another point's windows
    /// are not this point's gaps.
    func testShortGapsBetweenWindowsAreJoinedAndSummed() throws {
        let windows = try ["a", "b"].flatMap { node in
            try (1...3).map { try audit("fleet-\(node)-w\($0).pcap", at: node) }
        }
        let (run, merged, path) = try merge(windows)
        XCTAssertTrue([0, 1].contains(run.status), run.stderr)
        XCTAssertEqual(merged.coverage.captureGaps, [])
        let joined = try XCTUnwrap(merged.coverage.captureGapsJoined)
        XCTAssertEqual(joined.count, 4)
        // a: 0.254775 + 0.234643; b: 0.254782 + 0.234633.
        XCTAssertEqual(joined.seconds, 0.978833, accuracy: 1e-6)
        XCTAssertTrue(merged.coverage.complete)
        let said = "4 gaps of up to 2 s between windows of a capture point, 0.979 s in all, joined"
        for format in ["text", "markdown", "html", "csv", "junit"] {
            XCTAssertTrue(try runDasaudit(["render", path, "--format", format]).stdout.contains(said), format)
        }
        // One window of each point: nothing to join.
        XCTAssertEqual(try merge([windows[0], windows[3]]).result.coverage.captureGapsJoined, JoinedGaps())
    }

    /// A node's result that could not be read, given to two rack-level merges, is named by
    /// each; the merge of the two racks named it twice, with two incomplete-input findings
    /// for one missing node. It is now named once: by its path, capture point and reason.
    func testAnUnreadableResultNamedByTwoMergesIsNamedOnceWhenTheyAreMerged() throws {
        let bad = temporary("n5.json")
        try Data("{\"schema\": ".utf8).write(to: URL(fileURLWithPath: bad))
        let rack1 = try merge([try audit("fleet-a.pcap", at: "a"), bad], ["--fail-on", "never"])
        let rack2 = try merge([try audit("fleet-b.pcap", at: "b"), bad], ["--fail-on", "never"])
        XCTAssertEqual(rack1.run.status, 2, rack1.run.stderr)
        let (run, fleet, _) = try merge([rack1.path, rack2.path], ["--fail-on", "never"])
        XCTAssertEqual(run.status, 1, "both racks were read; the node is still missing: \(run.stderr)")
        XCTAssertEqual(fleet.inputs.filter { $0.path == bad }.count, 1, "\(fleet.inputs.map(\.path))")
        XCTAssertEqual(fleet.evidence?.inputs.filter { $0.path == bad }.count, 1)
        XCTAssertEqual(fleet.findings.filter { $0.kind == .incompleteInput }.count, 1, "\(fleet.findings.map(\.message))")
        XCTAssertEqual(fleet.findings.filter { $0.kind == .noTraffic }.count, 1)
        // Given again beside the racks that name it: still once.
        let again = try merge([rack1.path, rack2.path, bad], ["--fail-on", "never"]).result
        XCTAssertEqual(again.inputs.filter { $0.path == bad }.count, 1)
    }

    /// The CSV said "an input was unusable or cut short", naming none, where every other
    /// format names it: an audit's capture that would not open, a merge's result that could
    /// not be read. It now has a row per such input, its path escaped as every field is (a
    /// path with a comma, quotes, a line break and a leading `=`).
    func testTheCSVNamesAnInputThatCouldNotBeReadEscaped() throws {
        let directory = temporary("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let hostile = "=HYPERLINK(\"x\"),a\nb.json"
        let path = directory + "/" + hostile
        try Data("not a capture".utf8).write(to: URL(fileURLWithPath: path))
        let row = "coverage,input_error,\"'=HYPERLINK(\"\"x\"\"),a\\nb.json\","
        // Run in the file's directory, so that the path given begins with `=`.
        func runThere(_ arguments: [String]) throws -> CommandResult {
            try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "cd \"$0\" && exec \"$@\"", directory, dasauditBinary.path] + arguments,
                           environment: ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { _, new in new })
        }
        let audited = try runThere(["audit", capture("fleet-a-w1.pcap"), hostile, "--format", "csv"] + policy)
        XCTAssertEqual(audited.status, 2, audited.stderr)
        XCTAssertTrue(audited.stdout.contains(row), audited.stdout.suffix(600).description)
        let merged = try runThere(["merge", try audit("fleet-a-w1.pcap", at: "a"), hostile, "--format", "csv"] + policy)
        XCTAssertEqual(merged.status, 2, merged.stderr)
        XCTAssertTrue(merged.stdout.contains(row + "\"'=HYPERLINK(\"\"x\"\"),a\\nb.json is not a readable dasaudit result: not JSON"),
                      merged.stdout.suffix(600).description)
        // Every line a row: the line break in the path is no row break.
        XCTAssertFalse(merged.stdout.contains("\nb.json"))
    }
}
