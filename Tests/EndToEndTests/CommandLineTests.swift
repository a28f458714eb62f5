import Audit
import Foundation
import Reports
import XCTest

/// The `dasaudit` binary as a user runs it: formats, stdin, exit codes and bad input.
final class CommandLineTests: XCTestCase {
    let sharedCapture = capture("spark-cluster-offset2-lo.pcap")
    let policyArguments = ["--offset", "2", "--mode", "cluster", "--cores", "2"]

    private func jsonAudit(_ inputs: [String], stdin: Data? = nil, extra: [String] = []) throws -> (CommandResult, AuditResult?) {
        let run = try runDasaudit(["audit"] + inputs + policyArguments + ["--format", "json"] + extra, stdin: stdin)
        return (run, try? JSONReport.parse(Data(run.stdout.utf8)))
    }

    /// The result without what names the files (paths, file hashes, the command line, the
    /// capture point named after the file), for comparing audits of the same packets.
    private func withoutPaths(_ result: AuditResult?) throws -> String {
        guard var result else { return "no result" }
        result.inputs = result.inputs.map { var input = $0; input.path = "-"; input.capturePoint = nil; return input }
        result.capturePoints = nil
        result.evidence = nil
        return try JSONReport.render(result)
    }

    func testPcapPcapngAndStdinGiveTheSameAudit() throws {
        let (pcapRun, fromPcap) = try jsonAudit([sharedCapture])
        let (_, fromPcapng) = try jsonAudit([capture("spark-cluster-offset2-lo.pcapng")])
        let (_, fromStdin) = try jsonAudit(["-"], stdin: try Data(contentsOf: URL(fileURLWithPath: sharedCapture)))
        XCTAssertEqual(pcapRun.status, 1, "the shared capture has high findings")
        XCTAssertEqual(fromPcap?.services.count, 19)
        XCTAssertEqual(try withoutPaths(fromPcap), try withoutPaths(fromPcapng))
        XCTAssertEqual(try withoutPaths(fromPcap), try withoutPaths(fromStdin))
        XCTAssertEqual(fromStdin?.inputs.first?.path, "-")
    }

    func testTheJSONCarriesTheContractNames() throws {
        let run = try runDasaudit(["audit", sharedCapture, "--format", "json"] + policyArguments)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["schema"] as? String, "dasaudit.result/1")
        for key in ["inputs", "policy", "services", "findings", "summary", "coverage", "attempts", "unused_openings"] {
            XCTAssertNotNil(object?[key], key)
        }
        // Every field is present in every record, null where it has no value.
        let services = object?["services"] as? [[String: Any]] ?? []
        XCTAssertEqual(services.count, 19)
        for service in services {
            for key in ["address", "port", "classification", "catalog_key", "connections", "packets", "bytes",
                        "clients", "first_seen", "last_seen"] {
                XCTAssertTrue(service.keys.contains(key), key)
            }
        }
        XCTAssertTrue(services.contains { $0["catalog_key"] is NSNull }, "unexpected ports have a null catalog key")
        let findings = object?["findings"] as? [[String: Any]] ?? []
        for finding in findings {
            for key in ["kind", "severity", "port", "address", "message"] {
                XCTAssertTrue(finding.keys.contains(key), key)
            }
        }
        XCTAssertTrue(findings.contains { $0["address"] is NSNull }, "unused openings concern no one host")
        let policy = object?["policy"] as? [String: Any]
        XCTAssertEqual(policy?["offset"] as? Int, 2)
        XCTAssertEqual(policy?["mode"] as? String, "cluster")
        XCTAssertEqual(policy?["cores"] as? Int, 2)
    }

    /// At the same audit time (`DASAUDIT_AUDIT_TIME`): the result records when it ran.
    func testTheSameAuditGivesTheSameBytes() throws {
        let time = ["DASAUDIT_AUDIT_TIME": "2026-12-05T12:00:00Z"]
        let first = try runDasaudit(["audit", sharedCapture, "--format", "json"] + policyArguments, environment: time)
        let second = try runDasaudit(["audit", sharedCapture, "--format", "json"] + policyArguments, environment: time)
        XCTAssertEqual(first.stdout, second.stdout)
    }

    func testExitCodesFollowFailOn() throws {
        XCTAssertEqual(try runDasaudit(["audit", sharedCapture, "--fail-on", "high"] + policyArguments).status, 1)
        XCTAssertEqual(try runDasaudit(["audit", sharedCapture, "--fail-on", "never"] + policyArguments).status, 0)
    }

    func testTheTextReportShowsTheVerdictAndTheTables() throws {
        let run = try runDasaudit(["audit", sharedCapture] + policyArguments)
        XCTAssertTrue(run.stdout.contains("NOT COMPLIANT: 7 findings at or above --fail-on medium"), run.stdout)
        XCTAssertTrue(run.stdout.contains("127.0.0.4  31337  unexpected"), run.stdout)
        XCTAssertFalse(run.stdout.contains("\u{1B}["), "no colour when not on a terminal")
    }

    func testOutputGoesToTheFileAsked() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dasaudit-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try runDasaudit(["audit", sharedCapture, "--format", "json", "--output", path] + policyArguments)
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: path))).services.count, 19)
    }

    func testPortsListsTheExpectedOpenings() throws {
        let run = try runDasaudit(["ports"] + policyArguments)
        XCTAssertEqual(run.status, 0)
        XCTAssertTrue(run.stdout.contains(" 7079  spark.master.port"), run.stdout)
        XCTAssertTrue(run.stdout.contains("12002-12004"), run.stdout)
        let local = try runDasaudit(["ports", "--offset", "2"])
        XCTAssertFalse(local.stdout.contains("spark.master.port"), "cluster ports are not expected in local mode")
    }
}

/// Bad input: a clear message naming the input, exit code 2, and nothing lost for the
/// inputs that were fine.
final class BadInputTests: XCTestCase {
    let sharedCapture = capture("spark-cluster-offset2-lo.pcap")
    var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("dasaudit-bad-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    private func file(_ name: String, _ contents: Data) throws -> String {
        let url = scratch.appendingPathComponent(name)
        try contents.write(to: url)
        return url.path
    }

    func testAMissingFileIsNamedAndExitsTwo() throws {
        let run = try runDasaudit(["audit", "/nonexistent/capture.pcap"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("/nonexistent/capture.pcap: no such file"), run.stderr)
    }

    func testAFileThatIsNotACaptureIsNamedAndExitsTwo() throws {
        let path = try file("notes.txt", Data("this is not a capture\n".utf8))
        let run = try runDasaudit(["audit", path])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(path): not a pcap or pcapng capture"), run.stderr)
    }

    func testAnEmptyFileIsNamedAndExitsTwo() throws {
        let path = try file("empty.pcap", Data())
        let run = try runDasaudit(["audit", path])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains(path), run.stderr)
    }

    func testOneBadInputDoesNotLoseTheOthers() throws {
        let bad = try file("bad.pcap", Data("garbage".utf8))
        let run = try runDasaudit(["audit", bad, sharedCapture, "--offset", "2", "--mode", "cluster", "--cores", "2",
                                   "--format", "json"])
        XCTAssertEqual(run.status, 2)
        let result = try JSONReport.parse(Data(run.stdout.utf8))
        XCTAssertEqual(result.services.count, 19)
        XCTAssertEqual(result.inputs.map(\.complete), [false, true])
        XCTAssertFalse(result.coverage.complete)
    }

    func testACaptureCutMidPacketIsAuditedUpToTheCutAndMarkedIncomplete() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: sharedCapture))
        let path = try file("cut.pcap", whole.prefix(whole.count / 2))
        let run = try runDasaudit(["audit", path, "--offset", "2", "--mode", "cluster", "--format", "json", "--fail-on", "never"])
        XCTAssertEqual(run.status, 0, run.stderr)
        // Audited up to the cut, exit 0: a warning, not "dasaudit: error:" (hunt27, cut.pcap).
        XCTAssertTrue(run.stderr.contains("dasaudit: warning: \(path): capture is cut short"), run.stderr)
        XCTAssertFalse(run.stderr.contains("dasaudit: error:"), run.stderr)
        for command in [["flows", path], ["infer", path]] {
            let other = try runDasaudit(command)
            XCTAssertTrue(other.stderr.contains("dasaudit: warning: \(path): capture is cut short"), "\(command): \(other.stderr)")
        }
        let result = try JSONReport.parse(Data(run.stdout.utf8))
        XCTAssertFalse(result.coverage.complete)
        XCTAssertGreaterThan(result.coverage.packets, 100)
        XCTAssertLessThan(result.coverage.packets, 2050)
        XCTAssertTrue(result.findings.contains { $0.kind == .incompleteInput })
    }

    func testBadOptionsExitTwoWithTheProblem() throws {
        let negative = try runDasaudit(["audit", sharedCapture, "--cores", "0"])
        XCTAssertEqual(negative.status, 2)
        XCTAssertTrue(negative.stderr.contains("cores 0 is outside 1-1024"), negative.stderr)
        let mode = try runDasaudit(["audit", sharedCapture, "--mode", "yarn"])
        XCTAssertEqual(mode.status, 2)
        XCTAssertTrue(mode.stderr.contains("yarn"), mode.stderr)
        XCTAssertEqual(try runDasaudit(["audit"]).status, 2)
    }

    /// `--threads` outside 1-1024 is a usage error: 0 and -1 were taken silently (as 1), and
    /// a count near Int.max crashed the reader.
    func testThreadsOutsideTheirRangeAreAUsageError() throws {
        for threads in ["0", "-1", "1025", "9223372036854775807"] {
            let run = try runDasaudit(["audit", sharedCapture, "--threads=\(threads)"])
            XCTAssertEqual(run.status, 2, "--threads=\(threads): \(run.stderr)")
            XCTAssertEqual(run.stdout, "")
            XCTAssertTrue(run.stderr.hasPrefix("Error: --threads \(threads) is outside 1-1024\n"), run.stderr)
        }
    }

    /// Cores outside 1-1024 are named as such by every command that takes them, before the
    /// offset they move: `--cores 60000` was "the largest offset profile das allows is -6465",
    /// and `--offset 10 --cores 53530` blamed --offset (flows exited 1).
    func testCoresOutsideTheirRangeAreNamedBeforeTheOffset() throws {
        let commands = [["ports"], ["ports", "--offset", "10"], ["audit", sharedCapture], ["flows", sharedCapture],
                        ["live", "-i", "lo", "--duration", "1s"]]
        for command in commands {
            for cores in ["60000", "53530", "0"] {
                let run = try runDasaudit(command + ["--cores", cores])
                XCTAssertEqual(run.status, 2, "\(command) --cores \(cores)")
                XCTAssertEqual(run.stderr, "dasaudit: error: --cores: cores \(cores) is outside 1-1024\n", "\(command)")
            }
        }
    }
}
