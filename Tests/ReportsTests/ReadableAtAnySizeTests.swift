@testable import Audit
import Foundation
@testable import Reports
import XCTest

/// Reports stay readable whatever the size of the result: grouped findings, capped
/// terminal tables, collapsed port runs, folded HTML rows, a chart scaled to what matters.
final class ReadableAtAnySizeTests: XCTestCase {
    /// 20 hosts (10.0.0.1 ... 10.0.0.20) x 30 unexpected ports 20000-20029.
    private func unexpectedEverywhere() -> [Finding] {
        (1...20).flatMap { host in
            (20000..<20030).map { port in
                Finding(kind: .unexpectedPort, severity: .high, port: UInt16(port), address: "10.0.0.\(host)",
                        message: "10.0.0.\(host):\(port) served 1 connection", remediation: "Find the process on \(port).")
            }
        }
    }

    func testFindingsOfOneKindOnTheSamePortsAcrossHostsAreOneGroupWithOneRemediation() {
        let groups = FindingGroup.grouping(unexpectedEverywhere())
        XCTAssertEqual(groups.count, 1)
        XCTAssertEqual(groups[0].title, "unexpected-port 20000-20029 on 20 hosts (600 findings)")
        XCTAssertEqual(groups[0].remediation, "Find the process on 20000.")
        XCTAssertEqual(groups[0].hosts.prefix(3), ["10.0.0.1", "10.0.0.2", "10.0.0.3"], "addresses sort as numbers")
        XCTAssertEqual(groups[0].hosts.last, "10.0.0.20")
    }

    func testFindingsWithoutAPortStayOneEach() {
        let scans = ["10.0.0.9", "10.0.0.10"].map {
            Finding(kind: .portScan, severity: .medium, port: nil, address: $0, message: "scan by \($0)", remediation: "r")
        }
        let groups = FindingGroup.grouping(scans + unexpectedEverywhere())
        XCTAssertEqual(groups.map(\.findings.count), [1, 1, 600])
    }

    func testAddressesSortAsNumbers() {
        XCTAssertEqual(["10.0.0.10", "10.0.0.9", "node-a", "::1", "10.0.0.100"].sorted(by: AddressOrder.less),
                       ["::1", "10.0.0.9", "10.0.0.10", "10.0.0.100", "node-a"])
    }

    func testTheTerminalSummaryOfAHugeResultIsCappedAndSaysHowManyMore() throws {
        let result = syntheticAudit(services: 3000, hosts: 20)
        let text = TextReport(color: false).render(result)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertLessThanOrEqual(lines.count, 200)
        XCTAssertTrue(text.contains("  ... and \(result.services.count - TableCap.services) more services: all are in the JSON result and the CSV, Markdown and HTML reports"), text)
        // The JSON keeps every finding the summary leaves out.
        let json = try JSONReport.render(result)
        XCTAssertGreaterThan(result.findings.count, 2900)
        XCTAssertEqual(json.components(separatedBy: "\"kind\" : \"unexpected-port\"").count - 1,
                       result.findings.filter { $0.kind == .unexpectedPort }.count)
    }

    func testAttemptPortRunsCollapseButCatalogPortsKeepTheirRow() {
        let at = Timestamp(nanoseconds: 1_000)
        func attempt(_ port: UInt16, _ key: String? = nil, address: String = "10.0.0.1") -> AttemptSummary {
            AttemptSummary(address: address, port: port, catalogKey: key, refused: 1, unanswered: 0, clients: 1, firstSeen: at, lastSeen: at)
        }
        let runs = AttemptRun.collapsing([attempt(20000), attempt(20001), attempt(20002), attempt(20003, "x.port"),
                                          attempt(20004), attempt(20006), attempt(20007, address: "10.0.0.2")])
        XCTAssertEqual(runs.map { "\($0.address) \($0.portText) \($0.refused)" },
                       ["10.0.0.1 20000-20002 3", "10.0.0.1 20003 1", "10.0.0.1 20004 1", "10.0.0.1 20006 1", "10.0.0.2 20007 1"])
    }

    func testLargeHTMLTablesShowTheFirstRowsAndFoldTheRestWithoutScript() {
        let html = HTMLReport.render(syntheticAudit(services: 600, hosts: 20))
        XCTAssertTrue(html.contains("<details class=\"more-rows\"><summary>500 more rows</summary>"), "services table")
        XCTAssertFalse(html.contains("<script"))
    }

    func testTheChartIsScaledToTheLargestServiceNotToTheOtherBar() throws {
        let result = syntheticAudit(services: 400, hosts: 20)
        let svg = "\(TrafficChart(services: result.services).render())"
        // The largest service's bar spans the whole plot (560 units); "other", larger, is cut there.
        func width(ofFirst cssClass: String) -> Double? {
            svg.components(separatedBy: "<rect class=\"\(cssClass)\"").dropFirst().first
                .flatMap { $0.components(separatedBy: " width=\"").dropFirst().first }
                .flatMap { Double($0.prefix { $0 != "\"" }) }
        }
        XCTAssertEqual(width(ofFirst: "other"), 560)
        XCTAssertEqual(width(ofFirst: "c-unexpected"), 560, "scaled to the largest service")
    }

    func testTheMatrixOf20HostsIsTablesOfAtMost8ColumnsThatFitAnA4Page() {
        let html = HTMLReport.render(syntheticAudit(services: 600, hosts: 20))
        let tables = html.components(separatedBy: "<table class=\"matrix\">").dropFirst()
            .map { $0.components(separatedBy: "</thead>")[0] }
        XCTAssertEqual(tables.count, 3, "hosts 1-8, 9-16, 17-20")
        XCTAssertEqual(tables.map { $0.components(separatedBy: "<th scope=\"col\">").count - 1 }, [8, 8, 4])
        XCTAssertTrue(html.contains("Hosts 17-20 of 20"))
        XCTAssertTrue(html.contains("table.matrix { table-layout: fixed; width: 100%; min-width: 0; }"))
    }
}
