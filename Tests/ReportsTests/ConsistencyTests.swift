import Audit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import Reports
import XCTest

/// The same audit written as JSON, HTML, CSV, Markdown and JUnit: each output is parsed
/// back, and every count a format carries must be the JSON's.
final class ConsistencyTests: XCTestCase {
    /// What a format says; nil where the format does not carry it.
    struct Counts: Equatable, CustomStringConvertible {
        var services: Int
        var findings: [String: Int]?
        var connections: Int?
        /// Connections summed over the services.
        var serviceConnections: Int

        var description: String {
            "services \(services), findings \(findings.map { "\($0.sorted { $0.key < $1.key })" } ?? "-"), "
                + "connections \(connections.map(String.init) ?? "-"), in services \(serviceConnections)"
        }
    }

    private func fromJSON(_ text: String) throws -> Counts {
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let services = try XCTUnwrap(json["services"] as? [[String: Any]])
        let findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
        var bySeverity: [String: Int] = [:]
        for finding in findings where finding["waiver"] is NSNull { bySeverity[finding["severity"] as! String, default: 0] += 1 }
        return Counts(services: services.count, findings: bySeverity,
                      connections: (json["coverage"] as? [String: Any])?["connections"] as? Int,
                      serviceConnections: services.map { $0["connections"] as! Int }.reduce(0, +))
    }

    private func fromHTML(_ html: String) throws -> Counts {
        let table = try XCTUnwrap(html.components(separatedBy: "id=\"services\"").dropFirst().first)
        let headers = try XCTUnwrap(table.components(separatedBy: "</thead>").first).components(separatedBy: "<th ")
        let column = try XCTUnwrap(headers.firstIndex { $0.contains(">Conns</th>") })
        let rows = html.components(separatedBy: "<tr class=\"service ").dropFirst()
        let connections = try rows.map { row -> Int in
            let cells = row.components(separatedBy: "<td")
            return try XCTUnwrap(Int(cells[column].drop { $0 != ">" }.dropFirst().prefix { $0 != "<" }))
        }
        var bySeverity: [String: Int] = [:]
        for item in html.components(separatedBy: "<li class=\"finding s-").dropFirst() {
            // A grouped card says how many findings it holds (`FindingGroup`).
            let count = item.components(separatedBy: "data-findings=\"").dropFirst().first.flatMap { Int($0.prefix { $0 != "\"" }) }
            bySeverity[String(item.prefix { $0 != "\"" }), default: 0] += count ?? 1
        }
        let tally = try XCTUnwrap(html.components(separatedBy: "data-count=\"connections\"><b>").dropFirst().first)
        return Counts(services: rows.count, findings: bySeverity, connections: Int(tally.prefix { $0 != "<" }),
                      serviceConnections: connections.reduce(0, +))
    }

    private func fromCSV(_ csv: String) -> Counts {
        let rows = parseCSV(csv)
        let column = rows[0].firstIndex(of: "connections")!, what = rows[0].firstIndex(of: "what")!
        let item = rows[0].firstIndex(of: "coverage")!, value = rows[0].firstIndex(of: "coverage_value")!
        let services = rows.dropFirst().filter { $0[what] == "service" }
        // The coverage rows say what the audit read, as every other format does.
        let connections = rows.first { $0[what] == "coverage" && $0[item] == "connections" }.flatMap { Int($0[value]) }
        return Counts(services: services.count, findings: nil, connections: connections,
                      serviceConnections: services.map { Int($0[column])! }.reduce(0, +))
    }

    private func fromMarkdown(_ markdown: String) -> Counts {
        var bySeverity: [String: Int] = [:]
        for row in markdownTable(markdown, after: "## Findings") where !row[1].hasPrefix("waived") {
            // A grouped row's kind ends "(N findings)" (`FindingGroup`).
            let grouped = row[2].hasSuffix(" findings)") ? Int(row[2].split(separator: "(").last!.prefix { $0 != " " }) : nil
            bySeverity[row[0], default: 0] += grouped ?? 1
        }
        let services = markdownTableWithHeader(markdown, after: "## Services")
        let column = services.header.firstIndex(of: "Connections") ?? 0
        let summary = markdownTableWithHeader(markdown, after: "**")
        return Counts(services: services.rows.count, findings: bySeverity,
                      connections: Int(summary.rows[0][summary.header.firstIndex(of: "Connections")!]),
                      serviceConnections: services.rows.map { Int($0[column]) ?? -1_000_000 }.reduce(0, +))
    }

    private func fromJUnit(_ xml: String) throws -> Counts {
        let document = try parseJUnit(xml)
        let findingText = try document.nodes(forXPath: "/testsuites/testsuite[@name='dasaudit.findings']/testcase/*")
            .compactMap(\.stringValue).joined(separator: "\n")
        var bySeverity: [String: Int] = [:]
        for line in findingText.components(separatedBy: "\n") where line.hasPrefix("[") {
            bySeverity[String(line.dropFirst().prefix { $0 != "]" }), default: 0] += 1
        }
        let services = try document.nodes(forXPath: "/testsuites/testsuite[@name='dasaudit.services']/testcase")
        let serviceConnections = try services.map { node -> Int in
            let out = try XCTUnwrap((node as? XMLElement)?.elements(forName: "system-out").first?.stringValue)
            return try XCTUnwrap(Int(out.prefix { $0 != " " }))
        }
        let connections = try document.nodes(forXPath: "//property[@name='connections']/@value").first?.stringValue
        return Counts(services: services.count, findings: bySeverity, connections: connections.flatMap { Int($0) },
                      serviceConnections: serviceConnections.reduce(0, +))
    }

    private func assertReportsAgree(_ result: AuditResult, _ name: String) throws {
        let json = try fromJSON(try ReportFormat.json.render(result))
        XCTAssertEqual(json.services, result.summary.services, name)
        XCTAssertEqual(json.findings?.filter { $0.value > 0 }, result.summary.findings.filter { $0.value > 0 }, name)
        XCTAssertEqual(json.connections, result.coverage.connections, name)
        XCTAssertEqual(try fromHTML(try ReportFormat.html.render(result)), json, "html, \(name)")
        XCTAssertEqual(try fromMarkdown(try ReportFormat.markdown.render(result)), json, "markdown, \(name)")
        XCTAssertEqual(try fromJUnit(try ReportFormat.junit.render(result)), json, "junit, \(name)")
        var csv = json
        csv.findings = nil
        XCTAssertEqual(fromCSV(try ReportFormat.csv.render(result)), csv, "csv, \(name)")
    }

    func testTheSparkClusterAuditSaysTheSameInEveryFormat() throws {
        try assertReportsAgree(try auditedCapture(), "spark cluster")
        try assertReportsAgree(try auditedCapture(failOn: .info), "spark cluster, fail on info")
    }

    func testTheDASNodeSetAuditSaysTheSameInEveryFormat() throws {
        try assertReportsAgree(try auditedCapture("das-offset3-lo.pcapng", offset: 3, mode: .local, cores: 1), "das offset 3")
    }

    func testAClusterAuditWithNodesAndWaiversSaysTheSameInEveryFormat() throws {
        let waived = try auditedCluster()
        XCTAssertGreaterThan(waived.summary.waived, 0)
        try assertReportsAgree(waived, "cluster, waivers")
        try assertReportsAgree(try auditedCluster(policy: "cluster-nodes.yaml"), "cluster, nodes")
    }

    func testLargeTinyAndHostileAuditsSayTheSameInEveryFormat() throws {
        try assertReportsAgree(syntheticAudit(services: 500), "500 services")
        try assertReportsAgree(syntheticAudit(services: 1), "1 service")
        try assertReportsAgree(try hostileResult(), "hostile")
    }
}
