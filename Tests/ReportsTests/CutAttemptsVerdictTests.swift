@testable import Audit
import Foundation
@testable import Reports
import XCTest

/// Connects whose every try came in the capture's last 3 s are no evidence that nothing
/// listened (their answer may have come after it): a result whose only attempts are such
/// is an audit of nothing, even read back without its no-traffic finding.
final class CutAttemptsVerdictTests: XCTestCase {
    private func result(unanswered: UInt64, cutByEnd: UInt64?) -> AuditResult {
        var result = syntheticAudit(services: 1)
        result.services = []
        result.findings = []
        let at = Timestamp(nanoseconds: 0)
        var attempt = AttemptSummary(address: "127.0.0.1", port: 80, catalogKey: nil, refused: 0, unanswered: unanswered,
                                     clients: 1, firstSeen: at, lastSeen: at)
        attempt.cutByEnd = cutByEnd
        result.attempts = [attempt]
        return result
    }

    func testAnAttemptTheCapturesEndCutIsNothing() {
        let cut = result(unanswered: 1, cutByEnd: 1)
        XCTAssertTrue(cut.auditedNothing)
        XCTAssertFalse(Verdict(cut).compliant)
        XCTAssertEqual(cut.noTrafficFindings.map(\.kind), [.noTraffic])
    }

    func testAnAttemptUnansweredWhileTheCaptureRanIsSomething() {
        for (unanswered, cut) in [(1, nil), (1, 0), (2, 1)] as [(UInt64, UInt64?)] {
            let answered = result(unanswered: unanswered, cutByEnd: cut)
            XCTAssertFalse(answered.auditedNothing, "\(unanswered) unanswered, \(String(describing: cut)) cut")
            XCTAssertTrue(answered.noTrafficFindings.isEmpty)
        }
    }
}
