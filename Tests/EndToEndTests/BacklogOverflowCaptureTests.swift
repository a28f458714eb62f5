import Audit
import Policy
import XCTest

/// captures/backlog-overflow-veth.pcap (scripts/recording/record-backlog-overflow.sh):
/// ApacheBench, `ab -n 40 -c 30`, against an HTTP server on 10.36.0.1:9763
/// (carbon.http.port at offset 0) whose listen queue holds 2 and who accepts every 10 ms.
/// Linux dropped the SYNs that came while the accept queue was full (27 listen overflows);
/// ab completed its 40 requests (and one more 4 s later), and closed the 27 connects still
/// waiting when it was done (tshark: 68 connections, 41 with a SYN-ACK, 27 SYNs alone).
final class BacklogOverflowCaptureTests: XCTestCase {
    func audit() -> AuditResult {
        Auditor(policy: Policy(offset: 0)).audit(paths: [capture("backlog-overflow-veth.pcap")])
    }

    /// The server answered 41 connections: it is up, and its unanswered connects are what a
    /// load test that overflows a listen queue leaves. Before, the audit also said that
    /// 10.36.0.1:9763 "did not answer" (a medium `expected-service-not-answering`, with the
    /// advice to check that the service runs), and failed at the default `--fail-on medium`.
    func testAServiceWhoseListenQueueOverflowedIsNotAServiceNotAnswering() {
        let result = audit()
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections)" }, ["10.36.0.1:9763 41"])
        XCTAssertFalse(result.findings.contains { $0.kind == .expectedServiceNotAnswering })
        XCTAssertTrue(result.summary.compliant)
    }

    /// The unanswered connects are still counted and listed: the evidence of the overflow.
    func testItsUnansweredConnectsAreStillListed() {
        XCTAssertEqual(audit().attempts.map { "\($0.address):\($0.port) refused \($0.refused) unanswered \($0.unanswered)" },
                       ["10.36.0.1:9763 refused 0 unanswered 27"])
    }
}
