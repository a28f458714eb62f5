@testable import Audit
import XCTest

/// `FindingRules.sorted` sorts by keys computed once per finding; it must give exactly what
/// the stable `sorted(by: FindingRules.order)` gives, ties kept in their given order.
final class FindingSortTests: XCTestCase {
    func finding(_ kind: Finding.Kind, _ severity: Severity, _ address: String?, _ port: UInt16?, _ tag: Int) -> Finding {
        Finding(kind: kind, severity: severity, port: port, address: address, message: "\(tag)", remediation: "")
    }

    func testKeyedSortEqualsTheStableSortByOrder() {
        let kinds: [Finding.Kind] = [.unexpectedPort, .executorOutOfRange, .notInMode, .offsetMismatch, .unusedOpening]
        let addresses: [String?] = [nil, "10.0.0.10", "10.0.0.2", "::1", "fe80::1", "das1", "das10", "", "10.0.0.2"]
        let ports: [UInt16?] = [nil, 80, 7082, 80]
        var generator = SystemRandomNumberGenerator()
        for round in 0..<20 {
            var findings: [Finding] = []
            for tag in 0..<300 {
                findings.append(finding(kinds.randomElement(using: &generator)!, Severity.allCases.randomElement()!,
                                        addresses.randomElement()!, ports.randomElement()!, tag))
            }
            let expected = findings.sorted(by: FindingRules.order).map(\.message)
            XCTAssertEqual(FindingRules.sorted(findings).map(\.message), expected, "round \(round)")
        }
    }

    func testNumbersBeforeNamesAndMostSevereFirst() {
        let sorted = FindingRules.sorted([
            finding(.unexpectedPort, .medium, "10.0.0.1", 1, 0),
            finding(.unexpectedPort, .high, "das1", 1, 1),
            finding(.unexpectedPort, .high, "10.0.0.10", 1, 2),
            finding(.unexpectedPort, .high, "10.0.0.9", 2, 3),
            finding(.unexpectedPort, .high, "10.0.0.9", 1, 4),
        ])
        XCTAssertEqual(sorted.map(\.message), ["4", "3", "2", "1", "0"])
    }
}
