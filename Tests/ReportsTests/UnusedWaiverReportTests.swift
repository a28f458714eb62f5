import Audit
import Foundation
import Policy
import Reports
import XCTest

/// A waiver in force that matched no finding (hunt27: `{kind: unexpected-port, port: 5555}`
/// was listed in the JSON's policy section with `expired: false` and nowhere else), on the
/// real recording `diff-rogue-lo.pcap` (a rogue HTTP server on 127.0.0.9:31338): a stale
/// exception is a `waiver-unused` finding, in every report format that lists findings (CSV
/// lists services only) and a valid result.
final class UnusedWaiverReportTests: XCTestCase {
    private func audited(_ waivers: [Waiver]) -> AuditResult {
        let capture = repositoryRoot.appendingPathComponent("captures/diff-rogue-lo.pcap").path
        return Auditor(policy: Policy(offset: 5, mode: .cluster, coresPerNode: 2, waivers: waivers),
                       today: Day(year: 2026, month: 12, day: 5)).audit(paths: [capture])
    }

    private let until = Day(year: 2099, month: 1, day: 1)

    func testAWaiverThatMatchedNothingIsReportedEverywhere() throws {
        let stale = Waiver(kind: "unexpected-port", port: 5555, reason: "old demo server", expires: until)
        let used = Waiver(kind: "unexpected-port", port: 31338, reason: "approved CHG-1", expires: until)
        let result = audited([stale, used])
        let unused = result.findings.filter { $0.kind == .waiverUnused }
        XCTAssertEqual(unused.map { "\($0.severity.rawValue) \($0.port ?? 0) \($0.isWaived)" }, ["info 5555 false"],
                       "only the waiver that matched nothing")
        XCTAssertTrue(result.summary.compliant, "an info finding fails nothing at --fail-on medium")
        let message = "the waiver for unexpected-port on port 5555 (\"old demo server\", until 2099-01-01) matched no finding in this audit"
        XCTAssertEqual(unused.first?.message, message)
        XCTAssertTrue(TextReport(color: false).render(result).contains("waiver-unused: " + message))
        XCTAssertTrue(MarkdownReport.render(result).contains("waiver-unused"))
        XCTAssertTrue(HTMLReport.render(result).contains("waiver-unused"))
        XCTAssertTrue(JUnitReport.render(result).contains("waiver-unused"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try JSONReport.render(result).utf8)) as? [String: Any])
        let kinds = try XCTUnwrap(json["findings"] as? [[String: Any]]).compactMap { $0["kind"] as? String }
        XCTAssertTrue(kinds.contains("waiver-unused"))
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent("docs/result-schema.json")))
        XCTAssertEqual(JSONSchemaValidator(root: try XCTUnwrap(schema as? [String: Any])).errors(json), [])
        // Read back, as render and diff read it.
        XCTAssertEqual(try JSONReport.parse(Data(try JSONReport.render(result).utf8)).findings.filter { $0.kind == .waiverUnused }.count, 1)
    }

    /// An expired waiver is reported as expired, not as unused too; an audit of nothing
    /// cannot tell a stale waiver from a finding it did not see, so it reports none.
    func testExpiredWaiversAndAuditsOfNothingMakeNone() {
        let expired = Waiver(kind: "unexpected-port", port: 5555, reason: "old", expires: Day(year: 2020, month: 1, day: 1))
        XCTAssertEqual(audited([expired]).findings.filter { [.waiverUnused, .waiverExpired].contains($0.kind) }.map(\.kind),
                       [.waiverExpired])
        let nothing = Auditor(policy: Policy(offset: 5, waivers: [Waiver(kind: "unexpected-port", reason: "x", expires: until)]))
            .audit(paths: [])
        XCTAssertFalse(nothing.findings.contains { $0.kind == .waiverUnused })
    }

    /// Regression: a result whose waiver has a blank reason or an expiry outside 2000-2999
    /// (which a policy file refuses) was read back and rendered: "[waived until 0000-01-01: ]".
    /// It is refused like any other value no audit could have written, naming the field.
    func testAResultWhoseWaiverAPolicyFileWouldRefuseIsRefusedReadBack() throws {
        let result = audited([Waiver(kind: "unexpected-port", port: 31338, reason: "approved CHG-1", expires: until)])
        let json = try JSONReport.render(result)
        XCTAssertNoThrow(try AuditResult.decode(from: Data(json.utf8)))
        let cases: [(String, String, String)] = [
            ("\"reason\" : \"approved CHG-1\"", "\"reason\" : \"   \"", ".reason: the reason is blank;"),
            ("\"expires\" : \"2099-01-01\"", "\"expires\" : \"0000-01-01\"",
             ".expires: '0000-01-01' is not an expiry date from 2000-01-01 to 2999-12-31"),
            ("\"expires\" : \"2099-01-01\"", "\"expires\" : \"2099-02-30\"", ".expires: '2099-02-30' is not an expiry date"),
        ]
        for (from, to, problem) in cases {
            XCTAssertTrue(json.contains(from), from)
            do {
                _ = try AuditResult.decode(from: Data(json.replacingOccurrences(of: from, with: to).utf8))
                XCTFail("\(to) was read back")
            } catch let error as ResultValidationError {
                XCTAssertTrue(error.path.hasPrefix("findings[") || error.path.hasPrefix("policy.waivers["), error.description)
                XCTAssertTrue(error.description.contains(problem), error.description)
            }
        }
    }
}
