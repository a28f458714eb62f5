import Foundation
import XCTest

/// `dasaudit-gen` on the command line: a capture and its summary, or exit status 2 with the
/// problem named and nothing written.
final class GeneratorCommandLineTests: XCTestCase {
    let generator = dasauditBinary.deletingLastPathComponent().appendingPathComponent("dasaudit-gen")

    func testAPresetWritesACaptureAndSaysWhatItWrote() throws {
        let scratch = try ScratchDirectory()
        let out = scratch.path("report.pcap")
        let run = try runProgram(generator, [out, "--preset", "report", "--services", "20", "--connections", "20", "--hosts", "2"],
                                 stdin: nil, environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("100 packets"), run.stderr)
        XCTAssertTrue(run.stderr.contains("20 services answered (18 unexpected)"), run.stderr)
        let audit = try runDasaudit(["audit", out, "--offset", "2", "--mode", "cluster", "--cores", "2", "--format", "json"])
        XCTAssertEqual(audit.status, 1, "unexpected services fail the audit")
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((result["services"] as? [Any])?.count, 20)
    }

    func testAShapeThatCannotBeMadeExitsTwoNamingTheParameterAndWritesNothing() throws {
        let scratch = try ScratchDirectory()
        let out = scratch.path("bad.pcap")
        for (arguments, message) in [(["--unexpected-share", "2"], "unexpected share must be between 0 and 1"),
                                     (["--packets-per-connection", "2"], "packets per connection must be 4"),
                                     (["--preset", "nothing"], "--preset nothing: no such preset"),
                                     (["--services", "9000", "--unexpected-share", "0", "--hosts", "1"], "expected services need at least"),
                                     (["--repeat", scratch.path("missing.pcap")], "missing.pcap")] {
            let run = try runProgram(generator, [out] + arguments, stdin: nil, environment: ProcessInfo.processInfo.environment)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(arguments)")
        }
    }
}
