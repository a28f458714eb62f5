import Audit
import Foundation
import XCTest

/// The gaps between an audit's own inputs (docs/inputs.md, "Gaps between the inputs"), on
/// a real time-rotated capture, `captures/rotated-gap/` (`tcpdump -G 3` of HTTP on loopback,
/// scripts/recording/record-rotated-gap.sh): five files, the second of which also holds the
/// only connection to a rogue server on 8888. An audit's inputs are its one capture
/// point's, and the stretches none of them covers are said and judged as a merge says the
/// gaps in a capture point's windows (`CaptureGaps`).
final class RotatedGapCaptureTests: XCTestCase {
    let files = ["rot-225734.pcap", "rot-225737.pcap", "rot-225740.pcap", "rot-225743.pcap", "rot-225746.pcap"]
        .map { capture("rotated-gap/\($0)") }
    let policy = ["--offset", "0"]

    func audit(_ paths: [String], _ options: [String] = []) throws -> (run: CommandResult, result: AuditResult) {
        let run = try runDasaudit(["audit"] + paths + policy + ["--format", "json"] + options)
        return (run, try decodedResult(run.stdout))
    }

    /// The set with its second file lost, as a rotation whose file went missing leaves it:
    /// the audit said the window ran from the first file's first packet to the last one's
    /// last, complete, and COMPLIANT, without the rogue server the lost file held. It now
    /// says the 3.449 s that none of its inputs covers, as a merge of its result does: a gap
    /// of its capture point, an incomplete input, a medium finding, in every report.
    func testARotatedSetWithItsMiddleFileLostHasAGap() throws {
        let kept = [files[0]] + files[2...]
        let (run, result) = try audit(kept)
        XCTAssertEqual(run.status, 1, run.stderr)
        let gap = CaptureGap(capturePoint: "rot-225734.pcap", from: result.inputs[0].lastSeen!, to: result.inputs[1].firstSeen!)
        XCTAssertEqual("\(gap.from) \(gap.to)", "2026-12-06T22:57:36.137772000Z 2026-12-06T22:57:39.587193000Z")
        XCTAssertEqual(result.coverage.captureGaps, [gap])
        XCTAssertEqual(gap.seconds, 3.449421, accuracy: 1e-9)
        XCTAssertEqual(result.coverage.captureGapsJoined?.count, 2)
        XCTAssertEqual(result.coverage.captureGapsJoined?.seconds ?? 0, 0.259462 + 0.246535, accuracy: 1e-6)
        XCTAssertFalse(result.coverage.complete)
        XCTAssertTrue(result.inputs.allSatisfy(\.complete), "each file was read whole: the set is what is incomplete")
        XCTAssertFalse(result.summary.compliant)
        let findings = result.findings.filter { $0.kind == .incompleteInput }
        XCTAssertEqual(findings.map(\.severity), [.medium])
        let said = "capture point rot-225734.pcap has no input from 2026-12-06T22:57:36.137772000Z to "
            + "2026-12-06T22:57:39.587193000Z (3.449 s"
        XCTAssertTrue(findings.first?.message.hasPrefix(said) == true, "\(findings.map(\.message))")
        XCTAssertFalse(result.services.contains { $0.port == 8888 }, "the rogue server was in the lost file")

        let path = temporary("rotated-gap.json")
        try Data(try runDasaudit(["audit"] + kept + policy + ["--format", "json", "--connections"]).stdout.utf8)
            .write(to: URL(fileURLWithPath: path))
        for format in ["text", "markdown", "html", "csv", "junit"] {
            let rendered = try runDasaudit(["render", path, "--format", format])
            XCTAssertTrue(rendered.stdout.contains(said), "\(format): \(rendered.stdout.suffix(2000))")
        }
        XCTAssertTrue(try runDasaudit(["audit"] + kept + policy).stdout.contains(said))
        // A merge of the result finds the same gap: the audit says what its merge would.
        let merged = try runDasaudit(["merge", path] + policy + ["--format", "json"])
        XCTAssertEqual(try decodedResult(merged.stdout).coverage.captureGaps, [gap])
        // Named with --capture-point, the gap is that point's.
        let named = try audit(kept, ["--capture-point", "node-1"]).result
        XCTAssertEqual(named.coverage.captureGaps?.map(\.capturePoint), ["node-1"])
    }

    /// The whole set: tcpdump -G loses no time, so its files follow each other by the
    /// quiet between two packets (0.25-0.27 s: curl fetching four times a second): four
    /// gaps joined and summed, no gap, complete, and the rogue server found.
    func testTheWholeRotatedSetHasItsShortGapsJoined() throws {
        let (run, result) = try audit(files)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(result.coverage.captureGaps, [])
        let joined = try XCTUnwrap(result.coverage.captureGapsJoined)
        XCTAssertEqual(joined.count, 4)
        XCTAssertEqual(joined.seconds, 0.268871 + 0.256052 + 0.259462 + 0.246535, accuracy: 1e-6)
        XCTAssertTrue(result.coverage.complete)
        XCTAssertFalse(result.findings.contains { $0.kind == .incompleteInput })
        XCTAssertTrue(result.findings.contains { $0.kind == .unexpectedPort && $0.port == 8888 })
        XCTAssertTrue(run.stderr.isEmpty || !run.stderr.contains("overlap"), run.stderr)
    }

    /// Inputs that overlap in time (two ends of one exchange, captured at once) cover each
    /// other's time: no gap; and one input has no gaps between inputs to say (null, as before).
    func testOverlappingInputsAndOneInputHaveNoGap() throws {
        let ends = try audit([capture("both-ends-a.pcap"), capture("both-ends-b.pcap")]).result
        XCTAssertEqual(ends.coverage.captureGaps, [])
        XCTAssertEqual(ends.coverage.captureGapsJoined, JoinedGaps())
        let one = try audit([files[0]]).result
        XCTAssertNil(one.coverage.captureGaps)
        XCTAssertNil(one.coverage.captureGapsJoined)
    }
}
