import Audit
import Foundation
import XCTest

/// Real captures whose packet times were rewritten as a hostile or broken clock writes them
/// (scripts/recording/record-time-edits.sh): whatever the times, the audit and the merge
/// finish with their findings, never trap on arithmetic.
final class HostileTimeCaptureTests: XCTestCase {
    let policy = ["--offset", "2", "--mode", "cluster", "--cores", "2"]

    /// nmap's SYN scan of 20 ports (scan-small-syn.pcap) with its first 10 probes in 1684
    /// and its last 10 in 2255: more than 2^63 ns from the first to the last, which trapped
    /// the scan's duration in both the audit and a merge of its result. Each time is inside
    /// 64-bit nanoseconds (tshark reads the file), so nothing is pinned: the finding keeps
    /// its ends and says how far apart they are.
    func testAScanLongerThan292YearsIsAFindingInTheAuditAndTheMerge() throws {
        let saved = temporary("scan-292y.json")
        let run = try runDasaudit(["audit", capture("scan-292y.pcapng")] + policy
            + ["--connections", "--format", "json", "--output", saved, "--fail-on", "never"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let audited = try decodedResult(String(decoding: try Data(contentsOf: URL(fileURLWithPath: saved)), as: UTF8.self))
        let scan = try XCTUnwrap(audited.findings.first { $0.kind == .portScan })
        XCTAssertTrue(scan.message.contains("from 1684-10-19T08:16:42.364062000Z"), scan.message)
        XCTAssertTrue(scan.message.contains("to 2255-03-14T15:43:20.000081000Z"), scan.message)
        XCTAssertTrue(scan.message.contains("(17999997997.6 s)"), "about 1.8e10 s, the years between: \(scan.message)")

        let merged = try runDasaudit(["merge", saved] + policy + ["--format", "json", "--fail-on", "never"])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        let result = try decodedResult(merged.stdout)
        XCTAssertEqual(result.findings.filter { $0.kind == .portScan }.map(\.message), [scan.message])
    }
}
