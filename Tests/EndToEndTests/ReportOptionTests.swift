import Audit
import Foundation
import Reports
import XCTest

/// `--report FORMAT:PATH` and `dasaudit render`, as a user runs them.
final class ReportOptionTests: XCTestCase {
    let sharedCapture = capture("spark-cluster-offset2-lo.pcap")
    let policyArguments = ["--offset", "2", "--mode", "cluster", "--cores", "2"]

    private func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("reports-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testOneRunWritesEveryReportAskedBesidesTheSummary() throws {
        let dir = try directory()
        let names = ["html": "a.html", "json": "a.json", "csv": "a.csv", "md": "a.md", "junit": "a.xml", "text": "a.txt"]
        let run = try runDasaudit(["audit", sharedCapture] + policyArguments
            + names.sorted { $0.key < $1.key }.flatMap { ["--report", "\($0.key):\(dir.appendingPathComponent($0.value).path)"] })
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stdout.hasSuffix("NOT COMPLIANT: 7 findings at or above --fail-on medium\n"), run.stdout)
        for (format, name) in names {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            XCTAssertFalse(text.isEmpty, format)
            XCTAssertTrue(run.stderr.contains("wrote \(ReportFormat(name: format)!.rawValue) report to \(dir.appendingPathComponent(name).path)"))
        }
        let result = try JSONReport.parse(try Data(contentsOf: dir.appendingPathComponent("a.json")))
        let evidence = try XCTUnwrap(result.evidence)
        XCTAssertEqual(Array(evidence.commandLine.prefix(3)), ["dasaudit", "audit", sharedCapture])
        XCTAssertEqual(evidence.inputs[0].sizeBytes, try FileManager.default.attributesOfItem(atPath: sharedCapture)[.size] as? UInt64)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("a.txt"), encoding: .utf8), run.stdout)
    }

    func testABadFormatOrPathIsNamedAndExitsTwoBeforeAnythingIsWritten() throws {
        let dir = try directory()
        let good = dir.appendingPathComponent("good.html").path
        let run = try runDasaudit(["audit", sharedCapture] + policyArguments + [
            "--report", "htm:\(dir.path)/typo.html", "--report", "html:/nonexistent-dir/x.html", "--report", "nocolon",
            "--report", "csv:", "--report", "html:\(good)",
        ])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("--report htm:\(dir.path)/typo.html: unknown report format 'htm' (formats: text, json, html, csv, md (markdown), junit)"), run.stderr)
        XCTAssertTrue(run.stderr.contains("--report html:/nonexistent-dir/x.html: directory /nonexistent-dir does not exist"), run.stderr)
        XCTAssertTrue(run.stderr.contains("--report nocolon: give FORMAT:PATH, for example html:audit.html"), run.stderr)
        XCTAssertTrue(run.stderr.contains("--report csv:: no path after 'csv:'"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: good), "checked before the audit: nothing is written")
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(dir.path)/typo.html"))
        XCTAssertEqual(run.stdout, "", "no audit ran")
    }

    func testFormatTakesEveryReportFormat() throws {
        let run = try runDasaudit(["audit", sharedCapture, "--format", "html"] + policyArguments)
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stdout.hasPrefix("<!DOCTYPE html>"))
        let bad = try runDasaudit(["audit", sharedCapture, "--format", "pdf"] + policyArguments)
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("pdf"), bad.stderr)
    }

    func testRenderMakesTheSameReportsFromTheSavedResult() throws {
        let dir = try directory()
        let audit = try runDasaudit(["audit", sharedCapture] + policyArguments + [
            "--report", "json:\(dir.path)/r.json", "--report", "html:\(dir.path)/a.html", "--report", "junit:\(dir.path)/a.xml",
        ])
        XCTAssertEqual(audit.status, 1, audit.stderr)
        let render = try runDasaudit(["render", "\(dir.path)/r.json", "--report", "html:\(dir.path)/b.html", "--format", "junit"])
        XCTAssertEqual(render.status, 0, render.stderr)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("b.html")), try Data(contentsOf: dir.appendingPathComponent("a.html")))
        XCTAssertEqual(render.stdout, try String(contentsOf: dir.appendingPathComponent("a.xml"), encoding: .utf8))
    }

    func testRenderOfSomethingThatIsNotAResultIsNamedAndExitsTwo() throws {
        let run = try runDasaudit(["render", sharedCapture])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(sharedCapture) is not a readable dasaudit result"), run.stderr)
        let dir = try directory()
        try Data(#"{"schema": "dasaudit.result/1"}"#.utf8).write(to: dir.appendingPathComponent("partial.json"))
        let partial = try runDasaudit(["render", "\(dir.path)/partial.json"])
        XCTAssertEqual(partial.status, 2)
        XCTAssertTrue(partial.stderr.contains("missing '"), partial.stderr)
    }
}
