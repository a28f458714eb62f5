import Audit
import Foundation
import Policy
import Reports
import XCTest

/// The verdict through the binary: never compliant about nothing (audit, live, merge,
/// render; text, JSON, HTML), a wrong offset named on the real captures, and merge's
/// policy and repeat rules. Each case here passed (or crashed) before.
final class VerdictTests: XCTestCase {
    let noTCP = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/no-tcp")
    var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try scratchDirectory() }
    override func tearDown() { scratch = nil }

    func testAUDPOnlyCaptureIsNotCompliantInEveryReport() throws {
        let udp = noTCP.appendingPathComponent("udp-only-lo.pcap").path
        let html = scratch.path("udp.html"), json = scratch.path("udp.json")
        let run = try runDasaudit(["audit", udp, "--offset", "2", "--report", "html:\(html)", "--report", "json:\(json)"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stdout.hasSuffix("NOT COMPLIANT: no TCP traffic was audited: none of the 10 packets read from \(udp) "
            + "was a TCP segment (10 not-tcp)\n"), run.stdout)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(page.contains("<header class=\"verdict fail\">"))
        XCTAssertFalse(page.contains("verdict pass"))
        XCTAssertTrue(page.contains("<h1>NOT COMPLIANT</h1>"))
        XCTAssertTrue(page.contains("No TCP traffic was audited: none of the 10 packets"))
        let result = try JSONReport.parse(try contents(json))
        XCTAssertEqual(result.findings.first?.kind, .noTraffic)
        XCTAssertFalse(result.summary.compliant)
        // --fail-on never chooses which findings fail; it cannot make nothing a pass.
        let never = try runDasaudit(["audit", noTCP.appendingPathComponent("arp-udp-veth.pcap").path, "--fail-on", "never"])
        XCTAssertEqual(never.status, 1, never.stderr)
        XCTAssertTrue(never.stdout.contains("NOT COMPLIANT: no TCP traffic was audited"), never.stdout)
    }

    /// A pcapng of a section header only (`editcap -r IN OUT 0`) is an empty capture, as
    /// tshark reads it: the usual no-traffic verdict (exit 1), from a file, standard input
    /// and gzip alike, with a filter too; `infer` drafts the defaults. It was libpcap's error
    /// and exit 2.
    func testASectionHeaderOnlyPcapngIsAnEmptyCapture() throws {
        let path = noTCP.appendingPathComponent("sections-only.pcapng").path
        let gzipped = scratch.path("sections-only.pcapng.gz")
        let gzip = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "gzip -c '\(path)' >'\(gzipped)'"],
                                  environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(gzip.status, 0, gzip.stderr)
        for (input, stdin) in [(path, nil), ("-", try contents(path)), (gzipped, nil)] as [(String, Data?)] {
            for extra in [[], ["--filter", "tcp port 7613"]] {
                let run = try runDasaudit(["audit", input] + extra, stdin: stdin)
                XCTAssertEqual(run.status, 1, "\(input) \(extra): \(run.stderr)")
                XCTAssertEqual(run.stderr, "", input)
                XCTAssertTrue(run.stdout.hasSuffix("NOT COMPLIANT: no TCP traffic was audited: no packets were read from \(input)\n"),
                              run.stdout)
            }
        }
        let infer = try runDasaudit(["infer", path])
        XCTAssertEqual(infer.status, 0, infer.stderr)
        XCTAssertTrue(infer.stderr.contains("no TCP server carried traffic"), infer.stderr)
        // The draft says it too, where the reviewer reads it: its defaults are no values from
        // traffic (before, it called das "the built-in catalog that explains the most of the
        // services seen" with none seen).
        XCTAssertTrue(infer.stdout.contains("# NOTHING TO DRAFT FROM: no TCP server carried traffic in these captures"), infer.stdout)
        XCTAssertFalse(infer.stdout.contains("explains the most of the services seen"), infer.stdout)
        XCTAssertEqual(try PolicyFile.parse(infer.stdout, path: "draft.yaml").makePolicy().nodes.count, 0)
    }

    /// A hand-made result that claims compliance about nothing is rendered as not compliant.
    func testRenderNeverShowsNothingAsCompliant() throws {
        let json = scratch.path("empty.json")
        _ = try runDasaudit(["audit", noTCP.appendingPathComponent("udp-only-lo.pcap").path, "--format", "json", "-o", json])
        var object = try JSONSerialization.jsonObject(with: try contents(json)) as! [String: Any]
        var summary = object["summary"] as! [String: Any]
        summary["compliant"] = true
        object["summary"] = summary
        object["findings"] = [Any]()
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: json))
        let render = try runDasaudit(["render", json, "--format", "html"])
        XCTAssertEqual(render.status, 0, render.stderr)
        XCTAssertTrue(render.stdout.contains("<header class=\"verdict fail\">"))
        XCTAssertTrue(try runDasaudit(["render", json]).stdout.contains("NOT COMPLIANT: no TCP traffic was audited: none of the 10 packets"))
        // JUnit fails the finding the result left out, as the verdict does.
        let junit = try runDasaudit(["render", json, "--format", "junit"]).stdout
        XCTAssertTrue(junit.contains("<testsuites name=\"dasaudit\" tests=\"45\" failures=\"1\""), junit)
        XCTAssertTrue(junit.contains("<failure type=\"no-traffic\" message=\"1 finding failing the audit at --fail-on medium\">"
            + "[high] no-traffic: no TCP traffic was audited: none of the 10 packets"), junit)
    }

    /// Every report fails an audit of nothing as the verdict does, at `--fail-on never` and
    /// under a waiver written into the result by hand: JUnit, HTML and Markdown showed its
    /// `no-traffic` finding as passing while the verdict said NOT COMPLIANT.
    func testNothingAuditedFailsInEveryReportWhateverFailOnOrAWaiverSays() throws {
        let json = scratch.path("never.json")
        let audit = try runDasaudit(["audit", noTCP.appendingPathComponent("udp-only-lo.pcap").path, "--fail-on", "never",
                                     "--report", "json:\(json)"])
        XCTAssertEqual(audit.status, 1, audit.stderr)
        try assertNothingAuditedFails(json)

        var object = try JSONSerialization.jsonObject(with: try contents(json)) as! [String: Any]
        var findings = object["findings"] as! [[String: Any]]
        findings[0]["waiver"] = ["reason": "lab capture", "expires": "2999-01-01"]
        object["findings"] = findings
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: json))
        try assertNothingAuditedFails(json)
    }

    /// The result at `json`, rendered as JUnit, HTML and Markdown, fails its `no-traffic` finding.
    private func assertNothingAuditedFails(_ json: String, line: UInt = #line) throws {
        let junit = try runDasaudit(["render", json, "--format", "junit"])
        XCTAssertTrue(junit.stdout.contains("<testsuites name=\"dasaudit\" tests=\"45\" failures=\"1\""), junit.stdout, line: line)
        XCTAssertTrue(junit.stdout.contains("name=\"no no-traffic finding\" time=\"0\">\n<failure type=\"no-traffic\" "
            + "message=\"1 finding failing the audit at --fail-on never\">"), junit.stdout, line: line)
        let html = try runDasaudit(["render", json, "--format", "html"]).stdout
        XCTAssertTrue(html.contains("<h3>High (1)<span class=\"gate\">fails the audit at --fail-on never</span></h3>"), line: line)
        XCTAssertFalse(html.contains("<b>Waiver:</b>"), line: line)
        let markdown = try runDasaudit(["render", json, "--format", "markdown"]).stdout
        XCTAssertTrue(markdown.contains("| high | yes | no-traffic |"), markdown, line: line)
    }

    func testALiveRunThatCapturedNothingIsNotCompliant() throws {
        let run = try runDasaudit(["live", "-i", "lo", "--duration", "1s", "--filter", "udp port 9", "--format", "json"])
        XCTAssertEqual(run.status, 1, run.stderr)
        let result = try JSONReport.parse(Data(run.stdout.utf8))
        XCTAssertEqual(result.findings.first { $0.kind == .noTraffic }?.message,
                       "no TCP traffic was audited: no packets were captured on live:lo")
    }

    /// The bundled real captures audited at a wrong offset: one finding naming the right one.
    func testAWrongOffsetOnTheRealCapturesIsNamed() throws {
        let cases: [(String, [String], String)] = [
            ("spark-cluster-offset2-lo.pcap", ["--offset", "5", "--mode", "cluster", "--cores", "2"],
             "12 of 19 services fit port offset 2; the audit was given offset 5, which 0 of them fit."),
            ("das-offset3-lo.pcap", ["--offset", "2"],
             "8 of 11 services fit port offset 3; the audit was given offset 2, which 2 of them fit."),
            ("das-cluster-offset4-lo.pcap", ["--policy", "Tests/Fixtures/cluster-nodes.yaml", "--das-home",
                                              "Tests/Fixtures/das-cluster-home", "--offset", "2"],
             "16 of 21 services fit port offset 4; the audit was given offset 2, which 2 of them fit."),
        ]
        let root = capturesDirectory.deletingLastPathComponent().path
        for (file, options, message) in cases {
            let arguments = options.map { $0.hasPrefix("Tests/") ? "\(root)/\($0)" : $0 }
            let run = try runDasaudit(["audit", capture(file)] + arguments + ["--format", "json"])
            XCTAssertEqual(run.status, 1, run.stderr)
            let result = try JSONReport.parse(Data(run.stdout.utf8))
            let fit = result.findings.filter { $0.kind == .offsetMismatch && $0.address == nil }
            XCTAssertEqual(fit.count, 1, file)
            XCTAssertTrue(fit.first?.message.hasPrefix(message) == true, "\(file): \(fit.first?.message ?? "none")")
            XCTAssertFalse(result.services.contains { $0.hint?.contains("at offset") == true && $0.hint?.contains("port retry") == true })
        }
        // The right offset: no capture-wide finding.
        let right = try JSONReport.parse(Data(try runDasaudit(["audit", capture("spark-cluster-offset2-lo.pcap"), "--offset", "2",
                                                                "--mode", "cluster", "--cores", "2", "--format", "json"]).stdout.utf8))
        XCTAssertFalse(right.findings.contains { $0.kind == .offsetMismatch })
    }

    /// Regression: 300 rogue web servers on 127.0.0.1:20000-20299 audited at offset 0 gave
    /// "4 of 300 services fit port offset 10289" and took those 4 out of unexpected-port. An
    /// offset that explains a sliver of the unexplained services is chance, not the capture's.
    func testRoguePortsThatFitAnOffsetByChanceKeepTheirFindings() throws {
        for offset in ["0", "3"] {
            let run = try runDasaudit(["audit", capture("rogue-web-lo-s96.pcap"), "--offset", offset, "--format", "json"])
            XCTAssertEqual(run.status, 1, run.stderr)
            let result = try JSONReport.parse(Data(run.stdout.utf8))
            XCTAssertFalse(result.findings.contains { $0.kind == .offsetMismatch }, offset)
            XCTAssertEqual(result.services.count, 300)
            XCTAssertEqual(result.findings.filter { $0.kind == .unexpectedPort }.count, 300, offset)
            XCTAssertFalse(result.services.contains { $0.hint?.contains("the capture fits offset") == true })
        }
    }

    func result(_ file: String, _ policy: [String]) throws -> String {
        let path = scratch.path(file + ".json")
        let run = try runDasaudit(["audit", capture(file)] + policy + ["--connections", "--format", "json", "-o", path])
        XCTAssertEqual(run.status, 1, run.stderr)
        return path
    }

    func testMergeWithoutPolicyOptionsUsesTheResultsPolicy() throws {
        let policy = ["--offset", "2", "--mode", "cluster", "--cores", "2"]
        let a = try result("both-ends-a.pcap", policy), b = try result("both-ends-b.pcap", policy)
        let given = try JSONReport.parse(Data(try runDasaudit(["merge", a, b] + policy + ["--format", "json"]).stdout.utf8))
        let shared = try runDasaudit(["merge", a, b, "--format", "json"])
        XCTAssertEqual(shared.status, 1, shared.stderr)
        let merged = try JSONReport.parse(Data(shared.stdout.utf8))
        XCTAssertEqual(merged.policy.offset, 2)
        XCTAssertEqual(merged.services.map { "\($0.address):\($0.port) \($0.classification)" },
                       given.services.map { "\($0.address):\($0.port) \($0.classification)" })
        XCTAssertEqual(merged.findings.map(\.message), given.findings.map(\.message))

        let other = try result("das-offset3-lo.pcap", ["--offset", "3"])
        let differ = try runDasaudit(["merge", a, other])
        XCTAssertEqual(differ.status, 2)
        XCTAssertTrue(differ.stderr.contains("merge: \(other) was audited under another policy than \(a) (offset 3, mode local, "
            + "cores 1, profile das against offset 2, mode cluster, cores 2, profile das); give the policy to merge under"),
            differ.stderr)
        XCTAssertEqual(try runDasaudit(["merge", a, other, "--offset", "2"]).status, 1, "an option settles it")
    }

    func testMergeRefusesTheSameResultTwice() throws {
        let a = try result("both-ends-a.pcap", ["--offset", "2"])
        let copy = scratch.path("copy.json")
        try FileManager.default.copyItem(atPath: a, toPath: copy)
        let run = try runDasaudit(["merge", a, copy])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(copy) is the same result as \(a): give each result once"), run.stderr)
    }

    /// A merge of results without a connection is an audit of nothing.
    func testAMergeOfNothingIsNotCompliant() throws {
        let empty = scratch.path("empty.json")
        _ = try runDasaudit(["audit", noTCP.appendingPathComponent("udp-only-lo.pcap").path, "--connections",
                             "--format", "json", "-o", empty])
        let run = try runDasaudit(["merge", empty, "--fail-on", "never"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stdout.contains("NOT COMPLIANT: no TCP traffic was audited: none of the 10 packets"), run.stdout)
    }

    /// Values a result cannot hold: exit 2 naming the file and the field (a trap before
    /// for the count in merge and the time in both).
    func testHostileResultsAreRefusedByFieldNotCrashedOn() throws {
        let a = try result("both-ends-a.pcap", ["--offset", "2"])
        let original = try String(contentsOfFile: a, encoding: .utf8)
        let edits: [(String, String, String)] = [
            ("\"packets_to_server\" : ", "\"packets_to_server\" : 18446744073709551615, \"x\" : ",
             "connections[0].packets_to_server: 18446744073709551615 is above 2^63"),
            ("\"first_seen\" : \"", "\"first_seen\" : \"9999-12-31T23:59:59.000000000Z\", \"x\" : \"",
             "is not a time dasaudit writes"),
        ]
        for (find, replace, message) in edits {
            let range = original.range(of: find)!
            let hostile = original.replacingCharacters(in: range, with: replace)
            let path = try scratch.file("hostile.json", Data(hostile.utf8))
            for command in [["merge", path, "--offset", "2"], ["render", path]] {
                let run = try runDasaudit(command)
                XCTAssertEqual(run.status, 2, "\(command[0]): \(run.stderr)")
                XCTAssertTrue(run.stderr.contains("\(path) is not a readable dasaudit result: "), run.stderr)
                XCTAssertTrue(run.stderr.contains(message), "\(command[0]): \(run.stderr)")
            }
        }
    }

    /// A result edited to say `compliant: true` over its failing findings (an unexpected
    /// port, high, and more) was rendered COMPLIANT in text, Markdown and HTML, and JUnit
    /// said verdict=COMPLIANT beside failures="5". It is refused by field now (exit 2),
    /// by render and merge alike; the result as written renders as before.
    func testAResultWhoseCompliantDisagreesWithItsFindingsIsRefused() throws {
        let json = scratch.path("spark.json")
        let audit = try runDasaudit(["audit", capture("spark-cluster-offset2-lo.pcap"), "--offset", "2", "--mode", "cluster",
                                     "--cores", "2", "--format", "json", "-o", json])
        XCTAssertEqual(audit.status, 1, audit.stderr)
        XCTAssertTrue(try runDasaudit(["render", json]).stdout.contains("NOT COMPLIANT: 7 findings at or above --fail-on medium"))
        var object = try JSONSerialization.jsonObject(with: try contents(json)) as! [String: Any]
        var summary = object["summary"] as! [String: Any]
        summary["compliant"] = true
        object["summary"] = summary
        let edited = scratch.path("edited.json")
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: edited))
        for arguments in [["render", edited], ["render", edited, "--format", "junit"], ["render", edited, "--format", "html"],
                          ["merge", edited, "--offset", "2", "--mode", "cluster", "--cores", "2"]] {
            let run = try runDasaudit(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stdout)")
            XCTAssertFalse(run.stdout.contains("COMPLIANT"), "\(arguments)")
            XCTAssertTrue(run.stderr.contains("summary.compliant: true disagrees with the findings: 7 of them fail at "
                + "--fail-on medium, so the audit is not compliant"), run.stderr)
        }
    }
}
