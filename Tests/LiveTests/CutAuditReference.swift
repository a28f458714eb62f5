import Audit
import Foundation
import Reports
import XCTest

/// What an audit a stop cut after a capture's first packets must equal: the audit of those
/// packets written out by editcap (a real tool), under the same `options`.
func auditOfFirstPackets(_ packets: UInt64, of capture: String, in directory: String, _ options: [String]) throws -> AuditResult {
    let first = "\(directory)/first.pcap"
    let editcap = Process()
    editcap.executableURL = URL(fileURLWithPath: "/usr/bin/editcap")
    editcap.arguments = ["-F", "pcap", "-r", capture, first, "1-\(packets)"]
    try editcap.run()
    editcap.waitUntilExit()
    let whole = try runDasaudit(["audit", first] + options + ["--format", "json"])
    let reference = try JSONReport.parse(Data(whole.stdout.utf8))
    XCTAssertEqual(reference.coverage.packets, packets)
    return reference
}

/// Asserts that `result` audited what `reference` did: segments, connections, services.
func assertSameAudit(_ result: AuditResult, _ reference: AuditResult, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(result.coverage.tcpSegments, reference.coverage.tcpSegments, file: file, line: line)
    XCTAssertEqual(result.coverage.connections, reference.coverage.connections, file: file, line: line)
    XCTAssertEqual(result.services.map(\.port), reference.services.map(\.port), file: file, line: line)
}

/// Polls `condition` every 2 ms until it holds (true) or `seconds` have passed (false).
func waitFor(_ seconds: TimeInterval, _ condition: () -> Bool) -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while !condition() {
        if Date() > deadline { return false }
        usleep(2_000)
    }
    return true
}
