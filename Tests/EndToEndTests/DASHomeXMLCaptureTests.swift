import Audit
import Foundation
import Reports
import XCTest

/// `--das-home` switches read as DAS reads them, checked on the recorded cluster
/// (captures/das-cluster-offset4-lo.pcap, Hazelcast on 4000) and on the firewall rules:
/// a `<clustering>` without `enable` is on (Axis2's default), and an HA worker binds no
/// presenter port.
final class DASHomeXMLCaptureTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    func testClusteringWithoutAnEnableAttributeExpectsHazelcastOnTheCapture() throws {
        let on = try JSONReport.parse(Data(audit(clustering: "").stdout.utf8))
        XCTAssertEqual(on.services.first { $0.port == 4000 }?.classification, .expected)
        XCTAssertEqual(on.findings.filter { $0.port == 4000 }.map(\.kind), [])
        // Clustering switched off under `carbon.spark.master carbon`: DAS refuses to start
        // Spark, and so does the audit (SparkMaster).
        let refused = try audit(clustering: " enable=\"false\"")
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("without enabling clustering"), refused.stderr)
        // Off with the cluster mode given: Hazelcast alone is not in the mode.
        let off = try JSONReport.parse(Data(audit(clustering: " enable=\"false\"", master: "local", options: ["--mode", "cluster"]).stdout.utf8))
        XCTAssertEqual(off.services.first { $0.port == 4000 }?.classification, .notInMode)
        XCTAssertEqual(off.findings.filter { $0.port == 4000 }.map(\.kind), [.notInMode])
        XCTAssertEqual(on.findings.count, off.findings.count - 1)
    }

    func testTheFirewallOfAnHAWorkerOpensNoPresenterPort() throws {
        let home = try scratchHome()
        let stock = try String(decoding: Data(contentsOf: fixtures.appendingPathComponent("das-stock-conf/event-processor-3.2.0.xml")),
                               as: UTF8.self)
        let worker = stock
            .replacingOccurrences(of: "<mode name=\"Single\" enable=\"true\">", with: "<mode name=\"Single\" enable=\"false\">")
            .replacingOccurrences(of: "<mode name=\"HA\" enable=\"false\">", with: "<mode name=\"HA\" enable=\"true\">")
        try Data(worker.utf8).write(to: home.appendingPathComponent("repository/conf/event-processor.xml"))
        // The installation's cluster mode: 11004 is the Spark worker's alone.
        let run = try runDasaudit(["ports", "--das-home", home.path, "--firewall", "nftables"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("tcp dport 11228 accept comment \"ha.eventSync.port\""), run.stdout)
        XCTAssertTrue(run.stdout.contains("tcp dport 10009 accept comment \"ha.management.port\""), run.stdout)
        XCTAssertTrue(run.stdout.contains("tcp dport 11004 accept comment \"spark.worker.port\""), run.stdout)
        // Local mode: nothing listens on 11004.
        let local = try runDasaudit(["ports", "--das-home", home.path, "--mode", "local", "--firewall", "nftables"])
        XCTAssertEqual(local.status, 0, local.stderr)
        XCTAssertTrue(local.stdout.contains("tcp dport 11228 accept comment \"ha.eventSync.port\""), local.stdout)
        XCTAssertFalse(local.stdout.contains("dport 11004 "), local.stdout)
    }

    /// The audit of the recorded cluster with Tests/Fixtures/das-cluster-home (offset 4,
    /// cluster mode) plus the stock DAS 3.2.0 axis2.xml with this `enable` attribute, its
    /// `carbon.spark.master` set to `master`.
    private func audit(clustering attribute: String, master: String = "carbon", options: [String] = []) throws -> CommandResult {
        let home = try scratchHome()
        let stock = try String(decoding: Data(contentsOf: fixtures.appendingPathComponent("das-stock-conf/axis2-3.2.0.xml")),
                               as: UTF8.self)
        let axis2 = stock.replacingOccurrences(of: "HazelcastClusteringAgent\"\r\n                enable=\"false\">",
                                               with: "HazelcastClusteringAgent\"\(attribute)>")
        XCTAssertNotEqual(axis2, stock)
        try Data(axis2.utf8).write(to: home.appendingPathComponent("repository/conf/axis2/axis2.xml"))
        let spark = home.appendingPathComponent("repository/conf/analytics/spark/spark-defaults.conf")
        let defaults = try String(decoding: Data(contentsOf: spark), as: UTF8.self)
        try Data(defaults.replacingOccurrences(of: "carbon.spark.master carbon\n", with: "carbon.spark.master \(master)\n").utf8).write(to: spark)
        return try runDasaudit(["audit", capture("das-cluster-offset4-lo.pcap"), "--das-home", home.path, "--format", "json"] + options)
    }

    /// A copy of Tests/Fixtures/das-cluster-home, removed after the test.
    private func scratchHome() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("das-home-e2e-\(UUID())")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("das-cluster-home"), to: root)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("repository/conf/axis2"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        return root
    }
}
