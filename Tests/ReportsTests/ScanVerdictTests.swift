@testable import Audit
import Foundation
@testable import Reports
import XCTest

/// The verdict counts folded scan probes as something audited, and a result read back
/// with absurd probe counts neither crashes it nor passes an audit of nothing.
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
        XCTAssertTrue(Verdict(result).compliant, "the scan's probes were audited")
    }
}
