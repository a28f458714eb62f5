import Audit
import Foundation
import Reports
import XCTest

/// The recorded offset-4 DAS cluster (captures/das-cluster-offset4-lo.pcap) audited with
/// only the real DAS 3.2.0 tree that says so (Tests/Fixtures/das-3.2.0-cluster-local):
/// stock `carbon.spark.master local` with Carbon clustering on is DAS's own Spark cluster.
final class DASHomeSparkModeTests: XCTestCase {
    let home = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/das-3.2.0-cluster-local").path

    func testLocalWithClusteringAuditsAsTheClusterItIs() throws {
        let run = try runDasaudit(["audit", capture("das-cluster-offset4-lo.pcap"), "--das-home", home, "--cores", "2",
                                   "--format", "json"])
        let result = try JSONReport.parse(Data(run.stdout.utf8))
        XCTAssertEqual(result.policy.mode, .cluster)
        XCTAssertEqual(result.findings.filter { $0.kind == .notInMode }.map { "\($0.address ?? "-"):\($0.port ?? 0)" }, [],
                       "the masters' and workers' ports are expected")
        XCTAssertEqual(result.findings.filter { $0.kind == .offsetMismatch }.map(\.address), ["127.0.0.3"],
                       "das3's worker runs at offset 7")
    }

    func testTheFirewallOpensTheSparkClusterPorts() throws {
        let run = try runDasaudit(["ports", "--das-home", home, "--firewall", "nftables"])
        XCTAssertEqual(run.status, 0, run.stderr)
        for port in [6070, 7081, 8085, 11004, 11504] {
            XCTAssertTrue(run.stdout.contains("tcp dport \(port) accept"), "\(port)\n\(run.stdout)")
        }
    }
}
