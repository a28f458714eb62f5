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

    /// Descriptors the run was started holding (`exec 3</dev/null ...` in a real shell) at
    /// the least limit of 16, for a file, a gzip-compressed file and standard input: none
    /// held, the audit runs; any held below the limit, it stops at once, exit 2, naming the
    /// limit, how many were held and the limit that would do. Until December 2026 a run
    /// holding six or seven died on SIGILL in libdispatch (its signal or timer descriptor
    /// could not be made), and others failed on the capture ("Too many open files").
    func testDescriptorsHeldAtTheStartAreCountedAndNeverCrashTheRun() throws {
        let scratch = try ScratchDirectory()
        let gzip = try runProcess("/bin/gzip", ["-c", capture("das-offset3-lo.pcap")], stdout: scratch.path("a.pcap.gz"))
        XCTAssertEqual(gzip.status, 0, gzip.stderr)
        let limited = "/usr/bin/prlimit --nofile=16:16 '\(dasauditBinary.path)'"
        let audits = ["\(limited) audit '\(capture("das-offset3-lo.pcap"))' --offset 3 --format json",
                      "\(limited) audit '\(scratch.path("a.pcap.gz"))' --offset 3 --format json",
                      "cat '\(capture("das-offset3-lo.pcap"))' | \(limited) audit - --offset 3 --format json"]
        for audit in audits {
            for held in 0...12 {
                let command = (0..<held).map { "exec \($0 + 3)</dev/null; " }.joined() + audit
                // bash, as dash takes one-digit descriptors only.
                let result = try runProcess("/bin/bash", ["-c", command])
                if held == 0 {
                    XCTAssertEqual(result.status, 1, "\(audit): \(result.stderr)")
                    XCTAssertEqual(try JSONReport.parse(Data(result.stdout.utf8)).coverage.connections, 23, audit)
                    continue
                }
                XCTAssertEqual(result.status, 2, "holding \(held), \(audit): \(result.stderr)")
                XCTAssertEqual(result.stdout, "", "no report from a run that did not happen")
                XCTAssertEqual(result.stderr, "dasaudit: error: the open-file limit is 16 (hard limit 16), and \(held) "
                    + (held == 1 ? "descriptor below it was" : "descriptors below it were") + " already open when dasaudit "
                    + "started (inherited from the program that started it, besides standard input, output and error); "
                    + "dasaudit needs 13 free beside those, \(16 + held) in all: raise the limit (ulimit -n \(16 + held)) or "
                    + "close the inherited descriptors, and run again\n", "holding \(held), \(audit)")
            }
        }
        // A soft limit under a higher hard one is raised past the held ones, and the audit runs.
        let raised = try runProcess("/bin/bash", ["-c", (0..<7).map { "exec \($0 + 3)</dev/null; " }.joined()
            + "/usr/bin/prlimit --nofile=16:64 '\(dasauditBinary.path)' audit '\(capture("das-offset3-lo.pcap"))' --offset 3 --format json"])
        XCTAssertEqual(raised.status, 1, raised.stderr)
        XCTAssertEqual(try JSONReport.parse(Data(raised.stdout.utf8)).coverage.connections, 23)
    }
}
