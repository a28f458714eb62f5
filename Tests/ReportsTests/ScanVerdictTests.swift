@testable import Audit
import Foundation
@testable import Reports
import XCTest

/// The verdict counts folded scan probes as something audited, though not as cluster
/// traffic, and a result read back with absurd probe counts neither crashes it nor passes
/// an audit of nothing.
final class ScanVerdictTests: XCTestCase {
    private func scan(probes: Int) -> PortScanSummary {
        PortScanSummary(scanner: "10.0.0.1", kind: .vertical, type: .undetermined, targets: ["10.0.0.2"], ports: 1,
                        portRanges: "1", probes: probes, refused: 1, unanswered: 0, openPorts: [],
                        firstSeen: Timestamp(nanoseconds: 0), lastSeen: Timestamp(nanoseconds: 0))
    }

    func testHugeProbeCountsSaturate() {
        XCTAssertEqual([scan(probes: .max), scan(probes: .max)].probes, .max)
    }

    func testAResultWhoseOnlyEvidenceIsAScanIsNotAnAuditOfNothing() throws {
        var result = syntheticAudit(services: 1)
        result.services = []
        result.attempts = []
        result.findings = []
        XCTAssertFalse(Verdict(result).compliant, "no service, no attempt, no scan: nothing audited")
        result.scans = [scan(probes: .max), scan(probes: 3)]
        XCTAssertFalse(NoTraffic.auditedNothing(services: 0, attempts: result.scans!.probes), "the probes were audited")
        // But a scan alone says nothing of the cluster: a result that lacks the audit's
        // finding for it (older, or edited) is still not compliant, and says why.
        let verdict = Verdict(result)
        XCTAssertFalse(verdict.compliant)
        XCTAssertTrue(verdict.reason.hasPrefix("no cluster traffic was audited: the capture's only connections were "
            + "\(Int.max) port-scan probes from 10.0.0.1;"), verdict.reason)
    }
}
