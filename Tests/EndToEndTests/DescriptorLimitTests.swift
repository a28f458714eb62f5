import Audit
import Foundation
import Reports
import TestSupport
import XCTest

/// Below the open-file limit dasaudit needs, a run must stop at once, exit 2 and say what
/// to raise: at `ulimit -n 5` it died on SIGILL, at 8 hundreds of inputs failed one by one.
final class DescriptorLimitTests: XCTestCase {
    private let audit = ["audit", capture("spark-cluster-offset2-lo.pcap"), "--offset", "2", "--mode", "cluster",
                         "--cores", "2", "--format", "json"]

    private func run(nofile: String, _ arguments: [String]) throws -> CommandResult {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") else {
            throw unavailable("needs prlimit (util-linux)")
        }
        return try runProcess("/usr/bin/prlimit", ["--nofile=\(nofile)", dasauditBinary.path] + arguments)
    }

    func testATooLowLimitIsExitTwoNamingTheLimit() throws {
        for limit in ["5:5", "8:8", "15:15"] {
            let result = try run(nofile: limit, audit)
            XCTAssertEqual(result.status, 2, "\(limit): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("the open-file limit is \(limit.prefix { $0 != ":" })"), result.stderr)
            XCTAssertTrue(result.stderr.contains("ulimit -n 16"), result.stderr)
            XCTAssertEqual(result.stdout, "", "no report from a run that did not happen")
        }
    }

    func testALowSoftLimitUnderAHigherHardOneIsRaisedAndTheAuditRuns() throws {
        let unlimited = try runDasaudit(audit)
        let raised = try run(nofile: "8:64", audit)
        XCTAssertEqual(raised.status, unlimited.status, raised.stderr)
        XCTAssertEqual(try JSONReport.parse(Data(raised.stdout.utf8)).coverage.connections,
                       try JSONReport.parse(Data(unlimited.stdout.utf8)).coverage.connections)
    }

    /// Twenty of the bundled captures gzip-compressed by the real gzip, audited at the least
    /// limit dasaudit takes (16): every input is read, two at a time where the limit allows
    /// and one at a time here, with a note for `--threads 2`. Until December 2026 two
    /// reading threads each held an input, its hash and its decompressor's pipe and error
    /// file, and 19 of 20 inputs failed ("cannot create a pipe", "Too many open files").
    func testCompressedInputsUnderTheLeastLimitAreAllRead() throws {
        let scratch = try ScratchDirectory()
        let names = try FileManager.default.contentsOfDirectory(atPath: capturesDirectory.path)
            .filter { $0.hasSuffix(".pcap") && !capturesWithoutTCP.contains($0) }.sorted().prefix(20)
        for name in names {
            let gzip = try runProcess("/bin/gzip", ["-c", capture(name)], stdout: scratch.path(name + ".gz"))
            XCTAssertEqual(gzip.status, 0, gzip.stderr)
        }
        let arguments = ["audit", scratch.url.path, "--threads", "2", "--offset", "0", "--fail-on", "never", "--format", "json"]
        let unlimited = try runDasaudit(arguments)
        let limited = try run(nofile: "16:16", arguments)
        XCTAssertEqual(limited.status, 0, limited.stderr)
        XCTAssertFalse(limited.stderr.contains("error:"), limited.stderr)
        XCTAssertTrue(limited.stderr.contains("--threads 2: the open-file limit allows 1 reading at once"), limited.stderr)
        let result = try JSONReport.parse(Data(limited.stdout.utf8))
        XCTAssertEqual(result.inputs.count, names.count)
        XCTAssertEqual(result.coverage.packets, try JSONReport.parse(Data(unlimited.stdout.utf8)).coverage.packets)
    }
}
