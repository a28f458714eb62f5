@testable import Audit
import CaptureEngine
import Foundation
import Policy
import XCTest

/// `insufficient-traffic`: a short or thin capture says its unused openings prove little.
final class TrafficSufficiencyTests: XCTestCase {
    private let capture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("captures/das-offset3-lo.pcap").path

    func testAShortWindowIsSaidWithTheLongLivedConnections() throws {
        let result = Auditor(policy: Policy(offset: 3, mode: .local)).audit(paths: [capture])
        let finding = try XCTUnwrap(result.findings.first { $0.kind == .insufficientTraffic })
        XCTAssertEqual(finding.severity, .info)
        XCTAssertTrue(finding.message.contains("under 60 s"), finding.message)
        XCTAssertTrue(finding.message.contains("open at the start"), finding.message)
    }

    func testALongBusyWindowIsEnough() {
        var result = Auditor(policy: Policy(offset: 3, mode: .local)).audit(paths: [capture])
        XCTAssertFalse(result.unusedOpenings.isEmpty)
        result.coverage.durationSeconds = 3600
        result.coverage.connections = 500
        XCTAssertEqual(TrafficSufficiency.findings(coverage: result.coverage, unused: result.unusedOpenings, scans: []).count, 0)
        result.coverage.connections = 19
        XCTAssertEqual(TrafficSufficiency.findings(coverage: result.coverage, unused: result.unusedOpenings, scans: []).count, 1,
                       "too few connections, however long the window")
    }

    func testNothingUnusedNeedsNoCaution() {
        let result = Auditor(policy: Policy(offset: 3, mode: .local)).audit(paths: [capture])
        XCTAssertEqual(TrafficSufficiency.findings(coverage: result.coverage, unused: [], scans: []).count, 0)
    }
}
