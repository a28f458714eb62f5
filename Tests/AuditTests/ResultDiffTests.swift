import Audit
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

    /// A protocol the results record is compared too; one they do not record is not a change.
    func testProtocolsFromTheJSON() throws {
        let result = audited(offset: 2)
        let endpoint = ServiceEndpoint(address: "127.0.0.4", port: 31337)
        let diff = ResultDiff(baseline: result, at: "a", current: result, at: "b", failOn: .medium,
                              baselineProtocols: [endpoint: "http"], currentProtocols: [endpoint: "ssh"])
        XCTAssertEqual(diff.changedServices.map(\.changed), [["protocol"]])
        let json = Data(#"{"services": [{"address": "127.0.0.4", "port": 31337, "protocol": "http"}, {"address": "x"}]}"#.utf8)
        XCTAssertEqual(ResultDiff.protocols(inJSON: json), [endpoint: "http"])
        XCTAssertEqual(ResultDiff.protocols(inJSON: Data("[1]".utf8)), [:])
    }
}
