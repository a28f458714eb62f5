import Foundation
import Reports
import XCTest

/// `dasaudit` started with standard input, output or error closed (`<&-`, `>&-`, `2>&-`, a
/// daemon that closed them), run through a real shell: a closed number is never taken by a
/// file or descriptor of the run's own. With 0 closed, libdispatch's epoll instance became
/// standard input and `audit -` waited on it for ever; with 1 closed, the text report was
/// written to libdispatch's descriptor and failed with "Invalid argument".
final class ClosedStandardStreamsTests: XCTestCase {
    private let sharedCapture = capture("spark-cluster-offset2-lo.pcap")
    private let policy = ["--offset", "2", "--mode", "cluster", "--cores", "2"]

    /// Runs dasaudit with `arguments` under `/bin/sh` with `redirection` (`<&-`), killed
    /// after 20 s: a run that hangs ends with status 137.
    private func run(_ arguments: [String], _ redirection: String) throws -> CommandResult {
        let quoted = ([dasauditBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        return try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "exec timeout -s KILL 20 \(quoted) \(redirection)"],
                              environment: ProcessInfo.processInfo.environment)
    }

    func testAnAuditOfStandardInputClosedIsAnInputErrorNotAWait() throws {
        let result = try run(["audit", "-"] + policy, "<&-")
        XCTAssertEqual(result.status, 2, "exit 2 at once, not killed after waiting: \(result.stderr)")
        XCTAssertTrue(result.stderr.contains("-: standard input is closed"), result.stderr)
    }

    func testAResultReadFromStandardInputClosedSaysSo() throws {
        let result = try run(["render", "-"], "<&-")
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("standard input is closed"), result.stderr)
    }

    /// The report to a file is written whole, and the text report to the closed standard
    /// output is an error that says so: exit 2.
    func testATextReportToStandardOutputClosedIsAnErrorNamingIt() throws {
        let scratch = try ScratchDirectory()
        let report = scratch.path("audit.json")
        let result = try run(["audit", sharedCapture, "--report", "json:\(report)"] + policy, ">&-")
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("standard output: cannot write: standard output is closed"), result.stderr)
        let written = try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: report)))
        let open = try JSONReport.parse(Data(try runDasaudit(["audit", sharedCapture, "--format", "json"] + policy).stdout.utf8))
        XCTAssertEqual(written.coverage.connections, open.coverage.connections, "the report is the whole audit")
    }
}
