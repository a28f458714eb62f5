import Audit
import Foundation
import Policy
@testable import Reports
import XCTest

/// When the audit ran is evidence (`evidence.audited_at`): the waivers expired by it, so a
/// verdict can be explained later only with it. No output held it.
final class AuditTimeReportTests: XCTestCase {
    func testTheAuditTimeIsInTheJSONAndEveryHeader() throws {
        let result = try auditedCapture()
        XCTAssertEqual(result.evidence?.auditedAt, testAuditTime)
        let json = try ReportFormat.json.render(result, color: false)
        XCTAssertTrue(json.contains("\"audited_at\" : \"2026-12-05T12:00:00.000000000Z\""), json)
        XCTAssertEqual(try JSONReport.parse(Data(json.utf8)).evidence?.auditedAt, testAuditTime)
        let line = "2026-12-05T12:00:00Z (UTC; waivers judged on 2026-12-05)"
        XCTAssertTrue(try ReportFormat.text.render(result, color: false).contains("\naudited: \(line)\n"))
        XCTAssertTrue(try ReportFormat.markdown.render(result, color: false).contains("\n- Audited: \(line)\n"))
        XCTAssertTrue(try ReportFormat.html.render(result, color: false).contains(line))
    }

    /// A result read back is range-checked: no audit ran before 1970, and a time that is
    /// not a real one is refused by field as every time is.
    func testAnAuditTimeBefore1970OrNotATimeIsRefused() throws {
        let result = try auditedCapture()
        let json = try ReportFormat.json.render(result, color: false)
        for (written, problem) in [("1969-12-31T23:59:59.000000000Z", "evidence.audited_at: 1969-12-31T23:59:59.000000000Z is before 1970"),
                                   ("2026-13-01T00:00:00.000000000Z", "audited_at")] {
            let edited = json.replacingOccurrences(of: "2026-12-05T12:00:00.000000000Z", with: written)
            XCTAssertThrowsError(try JSONReport.parse(Data(edited.utf8))) { error in
                XCTAssertTrue("\(error)".contains(problem), "\(error)")
            }
        }
    }

    /// The clock: `DASAUDIT_AUDIT_TIME` pins it (whole seconds or a fraction), anything
    /// else is refused naming the variable, and without it the wall clock is read.
    func testTheAuditClockIsTheWallClockUnlessPinned() throws {
        XCTAssertEqual(try AuditClock.now(environment: ["DASAUDIT_AUDIT_TIME": "2026-12-05T12:00:00Z"]), testAuditTime)
        for bad in ["2026-12-05", "bogus", "1969-12-31T23:59:59Z", "2026-12-05T12:00:00+01:00"] {
            XCTAssertThrowsError(try AuditClock.now(environment: ["DASAUDIT_AUDIT_TIME": bad])) { error in
                XCTAssertTrue("\(error)".hasPrefix("DASAUDIT_AUDIT_TIME='\(bad)' is not a time"), "\(error)")
            }
        }
        let before = Timestamp.wallClock
        let now = try AuditClock.now(environment: [:])
        XCTAssertGreaterThanOrEqual(now, before)
        XCTAssertEqual(now.nanoseconds % 1_000_000_000, 0)
        XCTAssertEqual(Day(Timestamp(parsing: "2026-12-05T23:59:59Z")!), Day(year: 2026, month: 12, day: 5))
        XCTAssertEqual(Day(Timestamp(parsing: "1969-12-31T23:59:59Z")!), Day(year: 1969, month: 12, day: 31))
    }

    /// Waivers expire by the audit's time, not by the capture's: the same capture, a waiver
    /// until 2026-12-05, audited on its last day and on the next.
    func testWaiversExpireByTheAuditTimeNotTheCaptureTime() throws {
        let waiver = Waiver(kind: "unexpected-port", port: 31337, host: nil, reason: "demo rogue, CHG-1",
                            expires: Day(year: 2026, month: 12, day: 5))
        let path = repositoryRoot.appendingPathComponent("captures/spark-cluster-offset2-lo.pcap").path
        for (time, waived) in [("2026-12-05T23:59:59Z", true), ("2026-12-06T00:00:00Z", false)] {
            var policy = Policy(offset: 2, mode: .cluster, coresPerNode: 2)
            policy.waivers = [waiver]
            let at = Timestamp(parsing: time)!
            let result = Auditor(policy: policy, auditTime: at).audit(paths: [path])
            let rogue = try XCTUnwrap(result.findings.first { $0.kind == .unexpectedPort && $0.port == 31337 })
            XCTAssertEqual(rogue.isWaived, waived, time)
            XCTAssertEqual(result.findings.contains { $0.kind == .waiverExpired }, !waived, time)
        }
    }
}
