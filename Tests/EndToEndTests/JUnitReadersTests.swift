import Foundation
import TestSupport
import XCTest

/// The JUnit report of an audit with tens of thousands of findings of one kind, read by
/// xmllint (libxml2, as lxml, junitparser and most CI systems' readers are): libxml2
/// refuses a text node above 10 MB, and 40,000 unexpected ports made one `failure` of
/// 11.7 MB ("xmlSAX2Characters: huge text node"). Each case now lists its findings up to
/// 1 MB of text and says how many more there are; the JSON result has them all.
final class JUnitReadersTests: XCTestCase {
    func testFortyThousandFindingsOfOneKindMakeAReportLibxml2Reads() throws {
        let scratch = try scratchDirectory()
        let capture = scratch.path("services.pcap"), report = scratch.path("audit.xml"), result = scratch.path("audit.json")
        // 40,000 services, on ports the catalog does not explain but for a few in its ranges,
        // one short connection each: over 35,000 unexpected-port findings, each line of the
        // JUnit about 290 bytes, over 10 MB in all.
        let generator = dasauditBinary.deletingLastPathComponent().appendingPathComponent("dasaudit-gen")
        let generated = try runProgram(generator, [capture, "--services", "40000", "--connections", "40000", "--in-turn",
                                                   "--unexpected-share", "1", "--packets-per-connection", "4",
                                                   "--in-flight", "16", "--hosts", "64", "--clients", "1024", "--snaplen", "96", "--seed", "30"],
                                       environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let audit = try runDasaudit(["audit", capture, "--offset", "0", "--format", "junit", "--output", report,
                                     "--report", "json:" + result])
        XCTAssertEqual(audit.status, 1, audit.stderr)

        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: result))) as? [String: Any])
        let unexpected = try XCTUnwrap(json["findings"] as? [[String: Any]]).filter { $0["kind"] as? String == "unexpected-port" }
        XCTAssertGreaterThan(unexpected.count, 35_000, "enough findings to pass libxml2's 10 MB in one text node before")

        let xmllint = try runProcess("/usr/bin/env", ["xmllint", "--noout", report])
        if xmllint.status == 127 { throw unavailable("xmllint is not installed (scripts/setup.sh installs libxml2-utils)") }
        XCTAssertEqual(xmllint.status, 0, "libxml2 reads the report: \(xmllint.stderr.prefix(500))")
        let listed = try runProcess("/usr/bin/env", ["xmllint", "--xpath",
            "string(//testcase[@name='no unexpected-port finding']/failure)", report])
        XCTAssertEqual(listed.status, 0, listed.stderr)
        let failure = listed.stdout.trimmingCharacters(in: .newlines)
        XCTAssertLessThan(failure.utf8.count, 1_200_000, "1 MB of findings, not 10")
        let shown = failure.components(separatedBy: "] unexpected-port ").count - 1
        XCTAssertGreaterThan(shown, 2_500, "as many as 1 MB holds")
        XCTAssertTrue(failure.hasSuffix("\n... and \(unexpected.count - shown) more findings: all are in the JSON result and the "
            + "Markdown and HTML reports"), String(failure.suffix(200)))
        let count = try runProcess("/usr/bin/env", ["xmllint", "--xpath",
            "string(//testcase[@name='no unexpected-port finding']/failure/@message)", report])
        XCTAssertEqual(count.stdout.trimmingCharacters(in: .newlines), "\(unexpected.count) findings failing the audit at --fail-on medium")
    }
}
