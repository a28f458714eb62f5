@testable import Audit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Reports
import XCTest

/// The JUnit document, parsed: an XML error fails the test.
func parseJUnit(_ text: String) throws -> XMLDocument { try XMLDocument(data: Data(text.utf8)) }

final class JUnitReportTests: XCTestCase {
    private func cases(_ document: XMLDocument, _ suite: String) throws -> [XMLElement] {
        try document.nodes(forXPath: "/testsuites/testsuite[@name='\(suite)']/testcase").compactMap { $0 as? XMLElement }
    }

    func testOneCasePerFindingKindServiceAndExpectedOpening() throws {
        let result = try auditedCapture()
        let document = try parseJUnit(JUnitReport.render(result))
        XCTAssertEqual(try cases(document, "dasaudit.findings").map { $0.attribute(forName: "name")?.stringValue },
                       Finding.Kind.allCases.map { "no \($0.rawValue) finding" })
        XCTAssertEqual(try cases(document, "dasaudit.services").count, result.services.count)
        let openings = try cases(document, "dasaudit.openings").compactMap { $0.attribute(forName: "name")?.stringValue }
        for opening in result.unusedOpenings { XCTAssertTrue(openings.contains { $0.hasPrefix(opening.catalogKey + " (") }, opening.catalogKey) }
        XCTAssertTrue(openings.contains("spark.master.port (7079) carries traffic"))
        XCTAssertTrue(openings.contains("spark.blockManager.port (12002, 12003) carries traffic"))
    }

    func testFailuresAreTheChecksWithFindingsAtOrAboveFailOn() throws {
        func failures(_ failOn: FailThreshold) throws -> [String: [String]] {
            let document = try parseJUnit(JUnitReport.render(try auditedCapture(failOn: failOn)))
            var failed: [String: [String]] = [:]
            for suite in ["dasaudit.findings", "dasaudit.services", "dasaudit.openings"] {
                failed[suite] = try cases(document, suite).filter { !($0.elements(forName: "failure").isEmpty) }
                    .compactMap { $0.attribute(forName: "name")?.stringValue }
            }
            let root = try XCTUnwrap(document.rootElement())
            XCTAssertEqual(root.attribute(forName: "failures")?.stringValue, "\(failed.values.map(\.count).reduce(0, +))")
            return failed
        }
        let medium = try failures(.medium)
        XCTAssertEqual(medium["dasaudit.findings"], ["no unexpected-port finding"])
        XCTAssertEqual(medium["dasaudit.services"]?.count, 7)
        XCTAssertEqual(medium["dasaudit.openings"], [])
        let low = try failures(.low)
        XCTAssertEqual(low["dasaudit.findings"], ["no unexpected-port finding", "no unused-opening finding"])
        XCTAssertEqual(low["dasaudit.openings"]?.count, 8, "the Carbon ports bound on every DAS node included")
        XCTAssertEqual(try failures(.never).values.map(\.count).reduce(0, +), 0)
    }

    func testFindingsBelowTheThresholdAreListedNotFailed() throws {
        let document = try parseJUnit(JUnitReport.render(try auditedCapture()))
        let unused = try XCTUnwrap(try cases(document, "dasaudit.findings").first {
            $0.attribute(forName: "name")?.stringValue == "no unused-opening finding" })
        XCTAssertTrue(unused.elements(forName: "failure").isEmpty)
        let out = try XCTUnwrap(unused.elements(forName: "system-out").first?.stringValue)
        XCTAssertEqual(out.components(separatedBy: "\n").filter { $0.hasPrefix("[low] ") || $0.hasPrefix("[info] ") }.count, 17)
    }

    func testHostileTextStaysWellFormedXML() throws {
        let result = try hostileResult()
        let document = try parseJUnit(JUnitReport.render(result))
        let failure = try XCTUnwrap(try cases(document, "dasaudit.findings").first?.elements(forName: "failure").first?.stringValue)
        XCTAssertTrue(failure.contains("<script>alert('x')</script> & \"q\""))
    }

    /// A case lists its findings up to `listedFindingBytes` of text as written, escapes
    /// included: lines of quotes and control characters, each byte of which escapes to six
    /// (`&quot;`, `\u{1F}`), are cut where their escaped text would pass the limit.
    func testFindingsAreListedUpToTheLimitOfTheirEscapedText() throws {
        var result = try auditedCapture()
        let message = String(repeating: "\"", count: 4_000), remediation = String(repeating: "\u{1F}", count: 4_000)
        result.findings = Array(repeating: Finding(kind: .unexpectedPort, severity: .high, port: nil, address: nil,
                                                   message: message, remediation: remediation), count: 40)
        let lineBytes = "[high] unexpected-port: ".utf8.count + message.htmlEscaped.utf8.count
            + "\n  Remediation: ".utf8.count + remediation.htmlEscaped.utf8.count
        XCTAssertEqual(lineBytes, 6 * 8_000 + 40)
        let shown = JUnitReport.listedFindingBytes / (lineBytes + 1)

        let document = JUnitReport.render(result)
        let open = "<failure type=\"unexpected-port\" message=\"40 findings failing the audit at --fail-on medium\">"
        let failure = try XCTUnwrap(document.components(separatedBy: open).dropFirst().first?.components(separatedBy: "</failure>").first)
        var lines = failure.components(separatedBy: "\n")
        XCTAssertEqual(lines.removeLast(), "... and \(40 - shown) more findings: all are in the JSON result and the Markdown and HTML reports")
        XCTAssertEqual(lines.count, 2 * shown, "each finding's line and its remediation")
        XCTAssertEqual(lines.joined(separator: "\n").utf8.count + 1, shown * (lineBytes + 1))
    }

    /// A diff's failure is the new finding's line as the audit's report words it, not the
    /// pieces that line is written in.
    func testADiffFailureIsTheNewFindingsLine() throws {
        let baseline = try auditedCapture()
        var current = baseline
        current.findings.append(Finding(kind: .unexpectedPort, severity: .high, port: 31338, address: "127.0.0.9",
                                        message: "127.0.0.9:31338 served 2 connections", remediation: "Stop 'it' & <see>"))
        let diff = ResultDiff(baseline: baseline, at: "a", current: current, at: "b", failOn: .medium)
        let document = try parseJUnit(try DiffReport.render(diff, as: .junit))
        let failures = try document.nodes(forXPath: "//testcase/failure").map { $0.stringValue }
        XCTAssertEqual(failures, ["[high] unexpected-port 127.0.0.9:31338: 127.0.0.9:31338 served 2 connections\n"
            + "  Remediation: Stop 'it' & <see>"])
    }
}
