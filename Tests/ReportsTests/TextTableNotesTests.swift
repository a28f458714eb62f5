import Audit
import Foundation
import Policy
@testable import Reports
import XCTest

/// What the terminal summary says under its capped tables and about the unused openings,
/// on real captures (bug hunt hunt27b): "... and N more (see the JSON/CSV)" pointed at a
/// CSV that holds services only, counted rows of collapsed port runs and finding groups as
/// if they were attempts and findings, and "the table above" stood for 44 unused-opening
/// findings of which it showed 30; the unused openings a policy waived were not marked so,
/// while the findings header counted them waived and HTML and Markdown listed them so.
final class TextTableNotesTests: XCTestCase {
    private func audit(_ capture: String, _ policy: Policy) -> AuditResult {
        let path = repositoryRoot.appendingPathComponent("captures/\(capture)").path
        return Auditor(policy: policy, today: Day(year: 2026, month: 12, day: 5)).audit(paths: [path])
    }

    /// 300 rogue web servers (captures/rogue-web-lo-s96.pcap; tshark: 300 server ports):
    /// 300 services and 300 unexpected-port findings, one line each, besides the others.
    func testCappedTablesSayWhereTheirRowsAreAndCountWhatTheyHold() {
        let result = audit("rogue-web-lo-s96.pcap", Policy(offset: 0, mode: .local, coresPerNode: 1))
        XCTAssertEqual(result.services.count, 300)
        let text = TextReport(color: false).render(result)
        XCTAssertFalse(text.contains("JSON/CSV"), text)
        XCTAssertTrue(text.contains("\n  ... and 250 more services: all are in the JSON result and the CSV, Markdown and HTML reports\n"),
                      text)
        let lines = result.findings.filter { $0.kind != .unusedOpening }.count
        XCTAssertGreaterThan(lines, 300)
        XCTAssertTrue(text.contains("\n  ... and \(lines - 40) more rows (\(lines - 40) findings): all are in the JSON result and "
            + "the Markdown and HTML reports\n"), text)
    }

    /// One client's refused connects to 40 pairs of consecutive closed ports
    /// (captures/refused-runs-lo.pcap; tshark: 80 RSTs): 40 rows of two ports, 30 shown.
    func testCollapsedAttemptRowsAreCountedAsRowsAndEndpoints() {
        let result = audit("refused-runs-lo.pcap", Policy(offset: 0, mode: .local, coresPerNode: 1))
        XCTAssertEqual(result.attempts.count, 80)
        let text = TextReport(color: false).render(result)
        XCTAssertTrue(text.contains("Connection attempts, not traffic (80)"), text)
        XCTAssertTrue(text.contains("\n  ... and 10 more rows (20 attempted endpoints): all are in the JSON result and the HTML report\n"),
                      text)
    }

    /// captures/das-cluster-offset4-lo.pcap at offset 4 has 23 unused openings without nodes;
    /// with every unused opening waived the table and the line say so, with one waiver by
    /// port, only that row.
    func testWaivedUnusedOpeningsAreMarkedInTheTableAndTheLine() {
        let until = Day(year: 2099, month: 12, day: 31)
        let all = audit("das-cluster-offset4-lo.pcap", Policy(offset: 4, mode: .cluster, coresPerNode: 2, waivers: [
            Waiver(kind: "unused-opening", reason: "all unused ok", expires: until)]))
        let count = all.unusedOpenings.count
        XCTAssertGreaterThan(count, 1)
        XCTAssertEqual(all.summary.waived, count)
        let text = TextReport(color: false).render(all)
        XCTAssertTrue(text.contains("Unused openings (\(count), all waived)\n"), text)
        XCTAssertTrue(text.contains("  and \(count) unused-opening findings (low, or info where normally unbound), all waived "
            + "[waived until 2099-12-31: all unused ok]: the table above\n"), text)
        let rows = text.components(separatedBy: "\n").filter { $0.hasSuffix("  until 2099-12-31") }
        XCTAssertEqual(rows.count, count, text)

        let one = audit("das-cluster-offset4-lo.pcap", Policy(offset: 4, mode: .cluster, coresPerNode: 2, waivers: [
            Waiver(kind: "unused-opening", port: 6070, reason: "REST off, CHG-7", expires: until)]))
        let oneText = TextReport(color: false).render(one)
        XCTAssertTrue(oneText.contains("Unused openings (\(count), 1 waived)\n"), oneText)
        XCTAssertTrue(oneText.contains(", 1 waived [waived until 2099-12-31: REST off, CHG-7]: the table above\n"), oneText)
        XCTAssertEqual(oneText.components(separatedBy: "\n").filter { $0.hasSuffix("  until 2099-12-31") }.map {
            $0.split(separator: " ").first.map(String.init) }, ["6070"])
        // No waiver: no column, nothing said.
        let none = TextReport(color: false).render(audit("das-cluster-offset4-lo.pcap", Policy(offset: 4, mode: .cluster, coresPerNode: 2)))
        XCTAssertTrue(none.contains("Unused openings (\(count))\n"), none)
        XCTAssertFalse(none.contains("WAIVED"), none)
    }

    /// A table that shows part of the unused openings says how many of them it shows.
    func testTheLineSaysHowManyOfTheUnusedOpeningsTheTableShows() throws {
        let result = try auditedCluster(policy: "cluster-nodes.yaml")
        let count = result.unusedOpenings.count
        XCTAssertGreaterThan(count, TableCap.unusedOpenings)
        let text = TextReport(color: false).render(result)
        XCTAssertTrue(text.contains("(low, or info where normally unbound): the table above, which shows 30 of the \(count)\n"), text)
        XCTAssertTrue(text.contains("\n  ... and \(count - 30) more unused openings: all are in the JSON result and the Markdown and "
            + "HTML reports\n"), text)
    }
}
