import Audit
import Flows
import Policy
import Wire
import XCTest

/// A capture that fits another offset better than the one given is one `offset-mismatch`
/// finding for the whole capture, and its ports get that explanation instead of
/// port-retry guesses. Before, a cluster at offset 5 audited at 2 gave one unexpected-port
/// finding per service, 4045 hinted as "spark.ui.port+3: a Spark port retry".
final class CaptureOffsetFitTests: XCTestCase {
    let given = Policy(offset: 2, mode: .cluster, coresPerNode: 2)

    func audit(_ build: (inout ScriptedFlows) -> Void, policy: Policy? = nil) -> AuditResult {
        var traffic = ScriptedFlows(into: FlowTable())
        build(&traffic)
        let auditor = Auditor(policy: policy ?? given)
        return auditor.audit(traffic.sink.finish(rules: auditor.directionRules), inputs: [])
    }

    /// A two-node cluster at offset 5, plus a rogue port.
    func clusterAtOffset5(_ traffic: inout ScriptedFlows) {
        traffic.connect(("10.0.0.2", 40000), ("10.0.0.1", 7082))   // spark.master.port + 5
        traffic.connect(("10.0.0.2", 40001), ("10.0.0.1", 8086))   // spark.master.webui.port (8081) + 5
        traffic.connect(("10.0.0.2", 40002), ("10.0.0.1", 4045))   // spark.ui.port + 5
        traffic.connect(("10.0.0.2", 40003), ("10.0.0.1", 13005))  // spark.driver.port + 5
        traffic.connect(("10.0.0.1", 40004), ("10.0.0.2", 11005))  // spark.worker.port + 5
        traffic.connect(("10.0.0.1", 40005), ("10.0.0.2", 12005))  // executor at offset 5
        traffic.connect(("10.0.0.1", 40006), ("10.0.0.3", 31337))  // rogue
    }

    func testAClusterAtAnotherOffsetIsOneFindingNamingIt() {
        let result = audit(clusterAtOffset5)
        let mismatch = result.findings.filter { $0.kind == .offsetMismatch }
        XCTAssertEqual(mismatch.count, 1)
        XCTAssertNil(mismatch.first?.address)
        XCTAssertEqual(mismatch.first?.severity, .high)
        XCTAssertTrue(mismatch.first?.message.hasPrefix("6 of 7 services fit port offset 5; the audit was given offset 2, "
            + "which 0 of them fit. At offset 5: 10.0.0.1:4045 (spark.ui.port), 10.0.0.1:7082 (spark.master.port)") == true,
            mismatch.first?.message ?? "")
        // The services it explains have no finding of their own; the rogue port keeps its own.
        XCTAssertEqual(result.findings.filter { $0.kind == .unexpectedPort }.map(\.port), [31337])
        XCTAssertFalse(result.findings.contains { $0.kind == .executorOutOfRange })
        let ui = result.services.first { $0.port == 4045 }
        XCTAssertEqual(ui?.hint, "spark.ui.port at offset 5: the capture fits offset 5, not the given 2")
        XCTAssertFalse(result.services.contains { $0.hint?.contains("port retry") == true })
    }

    func testTheRightOffsetHasNoCaptureFinding() {
        var right = given
        right.offset = 5
        let result = audit(clusterAtOffset5, policy: right)
        XCTAssertFalse(result.findings.contains { $0.kind == .offsetMismatch })
    }

    /// One port on several hosts is one stray port: it names no offset.
    func testOnePortOnManyHostsNamesNoOffset() {
        let result = audit {
            $0.connect(("10.0.0.9", 40000), ("10.0.0.1", 9090))
            $0.connect(("10.0.0.9", 40001), ("10.0.0.2", 9090))
            $0.connect(("10.0.0.9", 40002), ("10.0.0.3", 9090))
        }
        XCTAssertFalse(result.findings.contains { $0.kind == .offsetMismatch })
        XCTAssertEqual(result.findings.filter { $0.kind == .unexpectedPort }.count, 3)
    }

    /// Fewer services fit the other offset than the given one: the given one stands.
    func testAMinorityAtAnotherOffsetIsNotTheCapture() {
        let result = audit {
            $0.connect(("10.0.0.9", 40000), ("10.0.0.1", 7079))   // master at 2
            $0.connect(("10.0.0.9", 40001), ("10.0.0.1", 8083))   // master web UI (8081) at 2
            $0.connect(("10.0.0.9", 40002), ("10.0.0.1", 4042))   // spark.ui.port at 2
            $0.connect(("10.0.0.9", 40003), ("10.0.0.2", 11005))  // a worker at 5
            $0.connect(("10.0.0.9", 40004), ("10.0.0.2", 11505))  // its web UI at 5
        }
        let mismatch = result.findings.filter { $0.kind == .offsetMismatch }
        XCTAssertEqual(mismatch.map(\.address), ["10.0.0.2"], "the host's own mismatch, not the capture's")
    }
}
