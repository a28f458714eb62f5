import Audit
import Foundation
import Reports
import TestSupport
import XCTest

/// Below the open-file limit dasaudit needs, a run must stop at once, exit 2 and say what
/// to raise: at `ulimit -n 5` it died on SIGILL, at 8 hundreds of inputs failed one by one.
final class DescriptorLimitTests: XCTestCase {
    private let audit = ["audit", capture("spark-cluster-offset2-lo.pcap"), "--offset", "2", "--mode", "cluster",
                         "--cores", "2", "--format", "json"]

    private func run(nofile: String, _ arguments: [String]) throws -> CommandResult {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") else {
            throw unavailable("needs prlimit (util-linux)")
        }
        return try runProcess("/usr/bin/prlimit", ["--nofile=\(nofile)", dasauditBinary.path] + arguments)
    }

    func testATooLowLimitIsExitTwoNamingTheLimit() throws {
        for limit in ["5:5", "8:8", "15:15"] {
            let result = try run(nofile: limit, audit)
            XCTAssertEqual(result.status, 2, "\(limit): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("the open-file limit is \(limit.prefix { $0 != ":" })"), result.stderr)
            XCTAssertTrue(result.stderr.contains("ulimit -n 16"), result.stderr)
            XCTAssertEqual(result.stdout, "", "no report from a run that did not happen")
        }
    }

    func testALowSoftLimitUnderAHigherHardOneIsRaisedAndTheAuditRuns() throws {
        let unlimited = try runDasaudit(audit)
        let raised = try run(nofile: "8:64", audit)
        XCTAssertEqual(raised.status, unlimited.status, raised.stderr)
        XCTAssertEqual(try JSONReport.parse(Data(raised.stdout.utf8)).coverage.connections,
                       try JSONReport.parse(Data(unlimited.stdout.utf8)).coverage.connections)
    }
}
