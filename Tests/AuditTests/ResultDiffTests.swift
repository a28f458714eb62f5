import Audit
import CaptureEngine
import Foundation
import Policy
import XCTest

/// `ResultDiff` on real audits of one capture under two policies: the services and
/// findings that change, and only those.
final class ResultDiffTests: XCTestCase {
    private func audited(offset: Int, allow: [UInt16: String] = [:]) -> AuditResult {
        let capture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("captures/spark-cluster-offset2-lo.pcap").path
        return Auditor(policy: Policy(offset: offset, mode: .cluster, coresPerNode: 2, allowedPorts: allow)).audit(paths: [capture])
    }

    func testTheSameResultIsNoChange() {
        let result = audited(offset: 2)
        let diff = ResultDiff(baseline: result, at: "a", current: result, at: "b", failOn: .medium)
        XCTAssertTrue(diff.isEmpty)
        XCTAssertFalse(diff.worse)
    }

    func testChangesAndWhetherTheyAreWorse() {
        let before = audited(offset: 2, allow: [31337: "approved"]), after = audited(offset: 2)
        let diff = ResultDiff(baseline: before, at: "a", current: after, at: "b", failOn: .medium)
        XCTAssertEqual(diff.changedServices.map { "\($0.port) \($0.changed)" }, ["31337 [\"classification\"]"])
        XCTAssertEqual(diff.newFindings.map(\.kind), [.unexpectedPort])
        XCTAssertTrue(diff.worse)
        XCTAssertFalse(ResultDiff(baseline: before, at: "a", current: after, at: "b", failOn: .never).worse)
    }

    /// A current audit that saw nothing is worse at any threshold, as its verdict fails.
    func testANewAuditOfNothingIsWorseEvenAtFailOnNever() {
        let before = audited(offset: 2)
        let nothing = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2)).audit(paths: [])
        let diff = ResultDiff(baseline: before, at: "a", current: nothing, at: "b", failOn: .never)
        XCTAssertTrue(diff.newFindings.contains { $0.kind == .noTraffic })
        XCTAssertTrue(diff.worse)
    }

    /// The protocol a result recognized is compared too.
    func testAProtocolChange() {
        let before = audited(offset: 2)
        var after = before
        let rogue = after.services.firstIndex { $0.port == 31337 }!
        after.services[rogue].protocol = "ssh"
        let diff = ResultDiff(baseline: before, at: "a", current: after, at: "b", failOn: .medium)
        XCTAssertEqual(diff.changedServices.map(\.changed), [["protocol"]])
        XCTAssertEqual(diff.changedServices.first?.before.protocol, before.services[rogue].protocol)
        XCTAssertEqual(diff.changedServices.first?.after.protocol, "ssh")
        var older = before
        older.services[rogue].protocol = nil
        XCTAssertTrue(ResultDiff(baseline: older, at: "a", current: after, at: "b", failOn: .medium).isEmpty,
                      "a result without protocols is no protocol change")
    }
}
