@testable import Audit
@testable import Reports
import XCTest

/// The HTML report's findings sections (`HTMLFindings`), which group all the findings once
/// and show each section the groups of its severity, or the waived ones.
final class HTMLFindingsTests: XCTestCase {
    /// Findings of every severity, some waived, on ports shared across hosts and severities,
    /// and without a port, in an interleaved order.
    private func mixedFindings() -> [Finding] {
        let waiver = Finding.AppliedWaiver(reason: "change 42", expires: "2027-01-31")
        var findings: [Finding] = []
        for host in 1...3 {
            for port: UInt16 in [20000, 20001] {
                for severity in [Severity.high, .low] {
                    findings.append(Finding(kind: .unexpectedPort, severity: severity, port: port, address: "10.0.0.\(host)",
                                            message: "10.0.0.\(host):\(port) served 1 connection", remediation: "Find the process on \(port)."))
                }
                findings.append(Finding(kind: .unexpectedPort, severity: .high, port: port, address: "10.0.0.\(host)",
                                        message: "waived on 10.0.0.\(host):\(port)", remediation: "r", waiver: waiver))
            }
            findings.append(Finding(kind: .portScan, severity: .medium, port: nil, address: "10.0.0.\(host)",
                                    message: "scan by 10.0.0.\(host)", remediation: "r"))
        }
        findings.append(Finding(kind: .unexpectedPort, severity: .high, port: 20002, address: "10.0.0.1",
                                message: "10.0.0.1:20002 served 1 connection", remediation: "Find the process on 20002."))
        return findings
    }

    /// What a list of groups shows: each group's findings, by message.
    private func shown(_ groups: [FindingGroup]) -> [[String]] { groups.map { $0.findings.map(\.message) } }

    func testEachSectionShowsTheGroupsItsOwnFindingsMake() {
        let findings = mixedFindings()
        let all = FindingGroup.grouping(findings)
        for severity in Severity.allCases {
            let own = FindingGroup.grouping(findings.filter { !$0.isWaived && $0.severity == severity })
            XCTAssertEqual(shown(all.filter { !$0.isWaived && $0.severity == severity }), shown(own), "\(severity)")
        }
        XCTAssertEqual(shown(all.filter(\.isWaived)), shown(FindingGroup.grouping(findings.filter(\.isWaived))))
        XCTAssertTrue(all.contains { $0.findings.count > 1 }, "some findings are grouped across hosts")
    }

    func testEachSectionCountsItsFindingsAndListsItsCardsInOrder() {
        var result = syntheticAudit(services: 1)
        result.findings = mixedFindings()
        let html = ByteSink.collect { HTMLFindings.write(result, to: $0) }
        let sections = ["<h3>High (7)", "<h3>Medium (3)", "<h3>Low (6)", "<h3>Waived (6)"]
        let positions = sections.map { html.range(of: $0)?.lowerBound }
        XCTAssertFalse(positions.contains(nil), html)
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted())
        XCTAssertEqual(html.components(separatedBy: "<li class=\"finding waived s-high\"").count - 1, 1,
                       "the six waived findings are one card")
    }
}
