import Audit
import Foundation
import Reports
import XCTest

/// An offset named by chance: ports of one per-core band fit it at some offset whatever
/// they are, so consecutive ports (rogue listeners, test services on 17611-17613) made an
/// offset-mismatch at an offset no cluster runs at. An offset must explain ports of two
/// catalog keys, and be one the catalog allows.
final class OffsetChanceCaptureTests: XCTestCase {
    private func audit(_ name: String, _ policy: [String]) throws -> AuditResult {
        let run = try runDasaudit(["audit", capture(name), "--format", "json"] + policy)
        return try JSONReport.parse(Data(run.stdout.utf8))
    }

    /// captures/protocols-lo.pcap: real Thrift servers on 17611, 17612 and 17613 beside TLS,
    /// HTTP, SSH and JMX on other ports. 17611 and 17612 are spark.blockManager.port and
    /// its first executor at offset 5611, which was "2 of 10 services fit port offset 5611",
    /// and 17613 got a hint naming that offset. Each is now its own unexpected port, with
    /// the hint of what it speaks.
    func testConsecutivePortsOfOneBandNameNoOffset() throws {
        let result = try audit("protocols-lo.pcap", ["--offset", "0", "--mode", "cluster", "--cores", "2"])
        XCTAssertFalse(result.findings.contains { $0.kind == .offsetMismatch }, "\(result.findings.map(\.message))")
        let thrift = result.services.filter { (17611...17613).contains($0.port) }
        XCTAssertEqual(thrift.map(\.port), [17611, 17612, 17613])
        XCTAssertEqual(result.findings.filter { $0.kind == .unexpectedPort && (17611...17613).contains($0.port ?? 0) }.count, 3)
        XCTAssertFalse(thrift.contains { $0.hint?.contains("offset") ?? false }, "\(thrift.map(\.hint))")
    }

    /// captures/spark43-two-apps-veth-s200.pcap, a real Spark cluster at offset 2, audited
    /// at 0: the capture's offset is still found (many keys agree), but the worker whose only
    /// ports are two block-manager ports, 12002 and 12003, is no longer "configured with
    /// offset 1": its executors are judged where they are.
    func testACapturesRealOffsetIsStillFoundButNotAHostsBandAlone() throws {
        let result = try audit("spark43-two-apps-veth-s200.pcap", ["--offset", "0", "--mode", "cluster", "--cores", "2"])
        let mismatches = result.findings.filter { $0.kind == .offsetMismatch }
        XCTAssertEqual(mismatches.map(\.address), [nil], "\(mismatches.map(\.message))")
        XCTAssertTrue(mismatches[0].message.contains("fit port offset 2;"), mismatches[0].message)
        let worker = result.services.filter { $0.address == "10.30.0.2" }
        XCTAssertEqual(worker.map(\.port), [12002, 12003])
        XCTAssertFalse(worker.contains { $0.hint?.contains("offset 1") ?? false }, "\(worker.map(\.hint))")
    }
}
