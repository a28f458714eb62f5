@testable import Audit
import XCTest

/// `--fail-on` fails the audit on findings of its severity and above; `never` on none.
final class FailThresholdTests: XCTestCase {
    func testEachThresholdFailsItsSeverityAndTheOnesAbove() {
        let failing: [FailThreshold: [Severity]] = [
            .high: [.high], .medium: [.medium, .high], .low: [.low, .medium, .high], .info: [.info, .low, .medium, .high], .never: [],
        ]
        for threshold in FailThreshold.allCases {
            XCTAssertEqual(Severity.allCases.filter(threshold.fails), failing[threshold], threshold.rawValue)
        }
    }

    func testSeveritiesSortLowestFirst() {
        XCTAssertEqual(Severity.allCases.shuffled().sorted(), [.info, .low, .medium, .high])
        XCTAssertEqual(Severity.allCases.max(), .high)
    }
}
