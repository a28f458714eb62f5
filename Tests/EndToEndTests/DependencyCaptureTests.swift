import Audit
import Foundation
import Reports
import XCTest

/// captures/das-postgres-lo.pcap: a node (127.0.0.8) using a real PostgreSQL on
/// 127.0.0.9:5432 as its analytics database, three connections. Declared, the database
/// is the cluster's egress and no finding; undeclared, it is one `undeclared-dependency`
/// finding, never an unexpected port of the cluster.
final class DependencyCaptureTests: XCTestCase {
    let capturePath = capture("das-postgres-lo.pcap")
    let node = "nodes:\n  - name: das1\n    addresses: [127.0.0.8]\n"
    let dependency = """
    dependencies:
      - name: analytics-db
        address: 127.0.0.9
        port: 5432
        reason: WSO2_ANALYTICS_EVENT_STORE_DB on PostgreSQL

    """

    private func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("deps-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    private func audit(_ policy: String, _ extra: [String] = ["--format", "json"]) throws -> CommandResult {
        try runDasaudit(["audit", capturePath, "--policy", try write(policy)] + extra)
    }

    func testADeclaredDependencyIsEgressAndNoFinding() throws {
        let run = try audit(node + dependency)
        let result = try JSONReport.parse(Data(run.stdout.utf8))
        let database = try XCTUnwrap(result.servicesByEndpoint["127.0.0.9:5432"])
        XCTAssertEqual(database.classification, .dependency)
        XCTAssertEqual(database.dependency, "analytics-db")
        XCTAssertEqual(database.connections, 3)
        XCTAssertNil(database.node)
        XCTAssertEqual(result.policy.dependencies?.map(\.name), ["analytics-db"])
        XCTAssertEqual(result.findings.filter { $0.port == 5432 }.map(\.kind), [])
        XCTAssertEqual(result.summary.classifications["dependency"], 1)
        XCTAssertEqual(run.status, 0, run.stdout)
    }

    func testAnUndeclaredServerANodeUsesIsOneMediumFinding() throws {
        let run = try audit(node)
        let result = try JSONReport.parse(Data(run.stdout.utf8))
        XCTAssertEqual(result.servicesByEndpoint["127.0.0.9:5432"]?.classification, .undeclaredDependency)
        let findings = result.findings.filter { $0.port == 5432 }
        XCTAssertEqual(findings.map(\.kind), [.undeclaredDependency])
        XCTAssertEqual(findings.first?.severity, .medium)
        XCTAssertEqual(findings.first?.message, "127.0.0.9:5432 is outside the declared nodes, and the nodes use it "
            + "(3 connections from 1 client); no dependency of the policy declares it")
        XCTAssertFalse(result.findings.contains { $0.kind == .unexpectedPort }, "not an unexpected port of the cluster")
        XCTAssertEqual(run.status, 1)
    }

    func testWithoutNodesAnUndeclaredServerStaysAnUnexpectedPort() throws {
        // No nodes: nothing says which hosts are the cluster, so the port rules apply as before.
        let run = try audit("offset: 0\n")
        let result = try JSONReport.parse(Data(run.stdout.utf8))
        XCTAssertEqual(result.servicesByEndpoint["127.0.0.9:5432"]?.classification, .unexpected)
        XCTAssertEqual(result.findings.filter { $0.port == 5432 }.map(\.kind), [.unexpectedPort])
    }

    func testADependencyNeedsNoNodes() throws {
        let result = try JSONReport.parse(Data(try audit(dependency).stdout.utf8))
        XCTAssertEqual(result.servicesByEndpoint["127.0.0.9:5432"]?.classification, .dependency)
    }

    func testEveryReportListsTheEgressApart() throws {
        let text = try audit(node + dependency, ["--format", "text"]).stdout
        XCTAssertTrue(text.contains("Egress: servers outside the cluster (1)"), text)
        XCTAssertTrue(text.contains("analytics-db"))
        XCTAssertTrue(text.contains("WSO2_ANALYTICS_EVENT_STORE_DB on PostgreSQL"))
        let markdown = try audit(node + dependency, ["--format", "markdown"]).stdout
        XCTAssertTrue(markdown.contains("## Egress: servers outside the cluster (1)"), markdown)
        XCTAssertTrue(markdown.contains("| 127.0.0.9 | 5432 | analytics-db | 3 | 1 |"), markdown)
        let html = try audit(node + dependency, ["--format", "html"]).stdout
        XCTAssertTrue(html.contains("<section id=\"egress\">"))
        XCTAssertTrue(html.contains("<td>analytics-db</td>"), html)
        let csv = try audit(node + dependency, ["--format", "csv"]).stdout
        let lines = csv.split(separator: "\r\n")
        XCTAssertTrue(lines[0].contains(",dependency,capture_points,"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("127.0.0.9,5432,,dependency,") && $0.contains(",analytics-db,") }, csv)
        let undeclared = try audit(node, ["--format", "text"]).stdout
        XCTAssertTrue(undeclared.contains("undeclared"), undeclared)
    }

    func testMergeAuditsAgainUnderTheResultsDependenciesAndFeatures() throws {
        let policy = try write(node + "features: {ha: on}\n" + dependency)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("merge-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        // Two results under one policy: this capture, and the Carbon one (another host's traffic).
        let paths = ["a.json", "b.json"].map { directory.appendingPathComponent($0).path }
        for (input, path) in zip([capturePath, capture("das-carbon-offset5-lo.pcap")], paths) {
            let run = try runDasaudit(["audit", input, "--policy", policy, "--connections", "--format", "json", "-o", path])
            XCTAssertTrue(run.status <= 1, run.stderr)
        }
        let merged = try runDasaudit(["merge"] + paths + ["--format", "json"])
        let result = try JSONReport.parse(Data(merged.stdout.utf8))
        XCTAssertEqual(result.servicesByEndpoint["127.0.0.9:5432"]?.classification, .dependency, merged.stderr)
        XCTAssertEqual(result.policy.dependencies?.map(\.name), ["analytics-db"])
        XCTAssertEqual(result.policy.features, ["ha": true])
    }

    func testADeclaredDependencyWithoutTrafficIsListedAsNotSeen() throws {
        let extra = "  - {name: ldap, address: 127.0.0.10, port: 389, reason: user store}\n"
        let text = try audit(node + dependency + extra, ["--format", "text"]).stdout
        XCTAssertTrue(text.contains("Egress: servers outside the cluster (2)"), text)
        XCTAssertTrue(text.contains("user store (no traffic seen)"), text)
    }
}
