@testable import Audit
import Policy
import XCTest

/// Drops in the result: a live input that lost packets is never clean coverage.
final class DropCoverageTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))

    private func live(drops: Drops, error: String? = nil) -> InputSummary {
        InputSummary(path: "live:eth0", linkType: 1, linkTypeName: "EN10MB", packets: 100, tcpSegments: 100, skipped: [:],
                     complete: error == nil && drops.total == 0, error: error, drops: drops)
    }

    private let file = InputSummary(path: "a.pcap", linkType: 1, linkTypeName: "EN10MB", packets: 50, tcpSegments: 50,
                                    skipped: [:], complete: true)

    func testDroppedPacketsMakeCoverageIncompleteWithAMediumFinding() {
        let result = auditor.audit([], inputs: [live(drops: Drops(kernel: 7, interface: 2))])
        XCTAssertEqual(result.coverage.drops, Drops(kernel: 7, interface: 2))
        XCTAssertFalse(result.coverage.complete)
        let finding = result.findings.first { $0.kind == .packetsDropped }
        XCTAssertEqual(finding?.severity, .medium)
        XCTAssertEqual(finding?.message.hasPrefix("live:eth0 lost 9 packets before dasaudit saw them (7 dropped by the kernel"), true)
        XCTAssertFalse(result.findings.contains { $0.kind == .incompleteInput }, "the drops are said once")
        XCTAssertFalse(result.summary.compliant)
    }

    func testALiveCaptureWithoutDropsIsCompleteAndSaysSo() {
        let result = auditor.audit([], inputs: [live(drops: Drops(kernel: 0, interface: 0))])
        XCTAssertEqual(result.coverage.drops, Drops(kernel: 0, interface: 0))
        XCTAssertTrue(result.coverage.complete)
        XCTAssertFalse(result.findings.contains { $0.kind == .packetsDropped || $0.kind == .incompleteInput })
    }

    func testFilesHaveNoDropsAndLiveDropsAreSummed() {
        XCTAssertNil(auditor.audit([], inputs: [file]).coverage.drops, "a file records no drops: null, not zero")
        let both = auditor.audit([], inputs: [file, live(drops: Drops(kernel: 1, interface: 0)),
                                              live(drops: Drops(kernel: 2, interface: 3))])
        XCTAssertEqual(both.coverage.drops, Drops(kernel: 3, interface: 3))
        XCTAssertEqual(both.findings.filter { $0.kind == .packetsDropped }.count, 2)
    }

    func testACaptureThatFailedAndDroppedSaysBoth() {
        let result = auditor.audit([], inputs: [live(drops: Drops(kernel: 1, interface: 0), error: "live:eth0: capture failed")])
        XCTAssertEqual(Set(result.findings.map(\.kind)).intersection([.packetsDropped, .incompleteInput]),
                       [.packetsDropped, .incompleteInput])
    }
}
