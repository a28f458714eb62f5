import Audit
import Policy
import XCTest

/// Rules the commands apply to results, kept on the types they are about.
final class InputAndPolicyRulesTests: XCTestCase {
    func testAnInputIsUnusableWhenItCouldNotBeOpenedOrFailedBeforeAnyPacket() {
        let unopened = InputSummary(path: "x.pcap", packets: 0, tcpSegments: 0, skipped: [:], complete: false, error: "cannot open")
        let failedAtOnce = InputSummary(path: "y.pcap", linkType: 1, linkTypeName: "EN10MB", packets: 0, tcpSegments: 0,
                                        skipped: [:], complete: false, error: "truncated header")
        let cutShort = InputSummary(path: "z.pcap", linkType: 1, linkTypeName: "EN10MB", packets: 10, tcpSegments: 10,
                                    skipped: [:], complete: false, error: "truncated record")
        let empty = InputSummary(path: "e.pcap", linkType: 1, linkTypeName: "EN10MB", packets: 0, tcpSegments: 0,
                                 skipped: [:], complete: true)
        XCTAssertTrue(unopened.isUnusable)
        XCTAssertTrue(failedAtOnce.isUnusable)
        XCTAssertFalse(cutShort.isUnusable, "what was read before the cut counts")
        XCTAssertFalse(empty.isUnusable, "an empty capture is read whole: the audit says it saw nothing")
    }

    func testAPolicySectionHasTheSameSettingsOnlyWithTheSameOffsetModeCoresAndProfile() {
        let policy = Policy(offset: 2, mode: .cluster, coresPerNode: 2)
        let section = Auditor(policy: policy).audit([], inputs: []).policy
        XCTAssertTrue(section.hasSameSettings(as: policy))
        XCTAssertTrue(section.hasSameSettings(as: Policy(offset: 2, mode: .cluster, coresPerNode: 2, allowedPorts: [9090: "x"])),
                      "allowed ports are not among the settings compared")
        XCTAssertFalse(section.hasSameSettings(as: Policy(offset: 3, mode: .cluster, coresPerNode: 2)))
        XCTAssertFalse(section.hasSameSettings(as: Policy(offset: 2, mode: .local, coresPerNode: 2)))
        XCTAssertFalse(section.hasSameSettings(as: Policy(offset: 2, mode: .cluster, coresPerNode: 4)))
        XCTAssertFalse(section.hasSameSettings(as: Policy(profile: Profile.all.first { $0.name != Profile.default.name }!,
                                                          offset: 2, mode: .cluster, coresPerNode: 2)))
    }
}
