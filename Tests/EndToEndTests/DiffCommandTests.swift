import Audit
import Foundation
import Reports
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `dasaudit diff` on two real recordings of the same small cluster (offset 5, cluster
/// mode, 2 cores; `scripts/recording/diff_pair.py`): `diff-baseline-lo.pcap`, and
/// `diff-rogue-lo.pcap`, the same servers with a rogue HTTP server on 127.0.0.9:31338.
/// The two share nine services with different client ports and timestamps.
final class DiffCommandTests: XCTestCase {
    private var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try scratchDirectory() }

    private func path(_ name: String) -> String { scratch.path(name) }

    /// Audits `captureName` under the scenario's policy into a JSON result in the scratch directory.
    private func audited(_ captureName: String, _ extra: [String] = []) throws -> String {
        let out = path((captureName + extra.joined()).replacingOccurrences(of: "/", with: "_") + ".json")
        let input = captureName.hasPrefix("/") ? captureName : capture(captureName)
        let run = try runDasaudit(["audit", input, "--offset", "5", "--mode", "cluster", "--cores", "2",
                                   "--format", "json", "--output", out] + extra)
        XCTAssertNotEqual(run.status, 2, run.stderr)
        return out
    }

    private func diff(_ arguments: [String]) throws -> (CommandResult, ResultDiff?) {
        let run = try runDasaudit(["diff"] + arguments + ["--format", "json"])
        let diff = try? ResultCoding.decoder().decode(ResultDiff.self, from: Data(run.stdout.utf8))
        return (run, diff)
    }

    func testTheRogueServiceIsTheOnlyChange() throws {
        let baseline = try audited("diff-baseline-lo.pcap"), current = try audited("diff-rogue-lo.pcap")
        let (run, diff) = try diff([baseline, current])
        XCTAssertEqual(run.status, 1, "a new high finding fails at the default --fail-on medium: \(run.stderr)")
        let found = try XCTUnwrap(diff)
        XCTAssertEqual(found.newServices.map { "\($0.address):\($0.port) \($0.classification.rawValue)" }, ["127.0.0.9:31338 unexpected"])
        XCTAssertEqual(found.vanishedServices.count, 0)
        XCTAssertEqual(found.changedServices.count, 0, "client ports and timestamps differ, and are not compared")
        XCTAssertEqual(found.newFindings.map { "\($0.kind.rawValue) \($0.address ?? "-"):\($0.port ?? 0)" },
                       ["unexpected-port 127.0.0.9:31338"])
        XCTAssertEqual(found.resolvedFindings.count, 0)
        XCTAssertTrue(found.worse)
        XCTAssertEqual(found.baseline.services, 9)
        XCTAssertEqual(found.current.services, 10)
    }

    func testTheOtherWayTheServiceVanishesAndTheFindingIsResolved() throws {
        let baseline = try audited("diff-rogue-lo.pcap"), current = try audited("diff-baseline-lo.pcap")
        let (run, diff) = try diff([baseline, current])
        XCTAssertEqual(run.status, 0, "nothing got worse")
        let found = try XCTUnwrap(diff)
        XCTAssertEqual(found.vanishedServices.map { "\($0.address):\($0.port)" }, ["127.0.0.9:31338"])
        XCTAssertEqual(found.resolvedFindings.map(\.kind), [.unexpectedPort])
        XCTAssertTrue(found.newServices.isEmpty && found.newFindings.isEmpty)
    }

    /// Allowing the rogue port changes its classification and resolves its finding.
    func testAClassificationChange() throws {
        let baseline = try audited("diff-rogue-lo.pcap"), current = try audited("diff-rogue-lo.pcap", ["--allow", "31338:approved"])
        let (run, diff) = try diff([baseline, current])
        XCTAssertEqual(run.status, 0)
        let change = try XCTUnwrap(diff?.changedServices.first)
        XCTAssertEqual(diff?.changedServices.count, 1)
        XCTAssertEqual(change.changed, ["classification"])
        XCTAssertEqual(change.before.classification, .unexpected)
        XCTAssertEqual(change.after.classification, .allowed)
        XCTAssertEqual(diff?.resolvedFindings.map(\.kind), [.unexpectedPort])
    }

    /// Results audited under two policies (here: the rogue port allowed in the current one)
    /// are compared all the same, and every format says that the policies differ, in which
    /// field and how; standard error warns too. Before, nothing in the diff said so, and the
    /// resolved finding read as a change of the cluster.
    func testResultsOfTwoPoliciesSaySoInEveryFormat() throws {
        let baseline = try audited("diff-rogue-lo.pcap"), current = try audited("diff-rogue-lo.pcap", ["--allow", "31338:approved CHG-2"])
        let allowed = #"[{"port":31338,"protocol":null,"reason":"approved CHG-2"}]"#
        let run = try runDasaudit(["diff", baseline, current, "--report", "html:\(path("p.html"))", "--report", "md:\(path("p.md"))",
                                   "--report", "csv:\(path("p.csv"))", "--report", "junit:\(path("p.xml"))",
                                   "--report", "json:\(path("p.json"))"])
        XCTAssertEqual(run.status, 0, "a policy change alone makes nothing worse: \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("warning: \(baseline) and \(current) were audited under different policies (allowed_ports)"),
                      run.stderr)
        XCTAssertTrue(run.stdout.contains("policy:   different in allowed_ports: services and findings may be new, resolved or changed "
            + "by the policy, not by the traffic"), run.stdout)
        XCTAssertTrue(run.stdout.contains("Policy changes (1)\n  FIELD          BASELINE  CURRENT\n  allowed_ports  []        "
            + "[{\"port\":31338,\"protocol\":null,\"reason\":\"approved CHG-2\"}]"), run.stdout)
        func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
        let diff = try ResultCoding.decoder().decode(ResultDiff.self, from: Data(try read("p.json").utf8))
        XCTAssertEqual(diff.policyChanges, [PolicyChange(field: "allowed_ports", baseline: "[]", current: allowed)])
        XCTAssertEqual(diff.resolvedFindings.map(\.kind), [.unexpectedPort])
        let markdown = try read("p.md"), html = try read("p.html"), csv = try read("p.csv")
        XCTAssertTrue(markdown.contains("- policy: **different in allowed\\_ports: "), markdown)
        XCTAssertTrue(markdown.contains("## Policy changes (1)\n\n| field | baseline | current |"), markdown)
        XCTAssertTrue(html.contains("<dt>Policy</dt><dd>different in allowed_ports: "), html)
        XCTAssertTrue(html.contains("<section id=\"policy\">"), html)
        XCTAssertTrue(csv.contains("policy,changed,,,,,,,,,,,,,allowed_ports,[],"
            + "\"[{\"\"port\"\":31338,\"\"protocol\"\":null,\"\"reason\"\":\"\"approved CHG-2\"\"}]\"\r\n"), csv)
        let xml = try XMLDocument(data: Data(try read("p.xml").utf8))
        XCTAssertEqual(try xml.nodes(forXPath: "//property[@name='policy']/@value").first?.stringValue?.hasPrefix("different in allowed_ports"),
                       true)
        XCTAssertEqual(try xml.nodes(forXPath: "//testcase[@name='policy allowed_ports differs']").count, 1)
        XCTAssertEqual(try xml.nodes(forXPath: "//testcase/failure").count, 0)
        // Under one policy: said so, no warning, no policy table.
        let same = try runDasaudit(["diff", try audited("diff-baseline-lo.pcap"), baseline, "--format", "markdown"])
        XCTAssertTrue(same.stdout.contains("- policy: the same in both results\n"), same.stdout)
        XCTAssertFalse(same.stdout.contains("Policy changes"), same.stdout)
        XCTAssertFalse(same.stderr.contains("different policies"), same.stderr)
    }

    func testFailOnDecidesTheExit() throws {
        let baseline = try audited("diff-baseline-lo.pcap"), current = try audited("diff-rogue-lo.pcap")
        XCTAssertEqual(try runDasaudit(["diff", baseline, current, "--fail-on", "never"]).status, 0)
        XCTAssertEqual(try runDasaudit(["diff", baseline, current, "--fail-on", "high"]).status, 1)
    }

    func testEveryReportFormat() throws {
        let baseline = try audited("diff-baseline-lo.pcap"), current = try audited("diff-rogue-lo.pcap")
        let run = try runDasaudit(["diff", baseline, current, "--report", "html:\(path("d.html"))", "--report", "md:\(path("d.md"))",
                                   "--report", "csv:\(path("d.csv"))", "--report", "junit:\(path("d.xml"))",
                                   "--report", "json:\(path("d.json"))"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stdout.contains("WORSE: 1 new finding at or above --fail-on medium"), run.stdout)
        XCTAssertTrue(run.stdout.contains("127.0.0.9"))
        func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
        XCTAssertTrue(try read("d.html").contains("<h1>WORSE</h1>"))
        XCTAssertTrue(try read("d.html").contains("31338"))
        XCTAssertTrue(try read("d.md").contains("| new | 127.0.0.9 | 31338 |  | unexpected |"))
        XCTAssertTrue(try read("d.csv").contains("service,new,127.0.0.9,31338,,unexpected,"))
        XCTAssertTrue(try read("d.xml").contains("failures=\"1\""))
        XCTAssertEqual(try ResultCoding.decoder().decode(ResultDiff.self, from: Data(try read("d.json").utf8)).newServices.count, 1)
        let xml = try XMLDocument(data: Data(try read("d.xml").utf8))
        XCTAssertEqual(try xml.nodes(forXPath: "//testcase/failure").count, 1)
    }

    /// A result is outside input: a message written into it reaches no terminal raw and no
    /// spreadsheet as a formula.
    func testValuesFromTheResultsAreEscaped() throws {
        let baseline = try audited("diff-baseline-lo.pcap"), current = try audited("diff-rogue-lo.pcap")
        var json = try String(contentsOfFile: current, encoding: .utf8)
        let message = try XCTUnwrap(json.range(of: #""message" : "127.0.0.9:31338 served"#))
        json.replaceSubrange(message, with: #""message" : "=HYPERLINK(\"x\") \u001b]0;owned\u0007 served"#)
        let hostile = path("hostile.json")
        try json.write(toFile: hostile, atomically: true, encoding: .utf8)
        let text = try runDasaudit(["diff", baseline, hostile])
        XCTAssertEqual(text.status, 1, text.stderr)
        XCTAssertFalse(text.stdout.contains("\u{1B}"), "no escape character reaches the terminal")
        XCTAssertTrue(text.stdout.contains("\\e]0;owned"), text.stdout)
        let csv = try runDasaudit(["diff", baseline, hostile, "--format", "csv"])
        XCTAssertTrue(csv.stdout.contains(",\"'=HYPERLINK(\"\"x\"\")"), csv.stdout)
    }

    func testABadResultIsExit2NamingIt() throws {
        let baseline = try audited("diff-baseline-lo.pcap")
        let bad = path("bad.json")
        try Data("{\"schema\": \"dasaudit.result/1\"}".utf8).write(to: URL(fileURLWithPath: bad))
        let run = try runDasaudit(["diff", baseline, bad])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(bad) is not a readable dasaudit result"), run.stderr)
        // Checked as a whole when read (the result validation `render` and `merge` use too).
        var json = try String(contentsOfFile: baseline, encoding: .utf8)
        json = json.replacingOccurrences(of: "\"packets\" : 106,", with: "\"packets\" : 18446744073709551615,")
        let huge = path("huge.json")
        try json.write(toFile: huge, atomically: true, encoding: .utf8)
        let invalid = try runDasaudit(["diff", baseline, huge])
        XCTAssertEqual(invalid.status, 2)
        XCTAssertTrue(invalid.stderr.contains("\(huge) is not a readable dasaudit result: inputs[0].packets: 18446744073709551615 is above 2^63"),
                      invalid.stderr)
        let missing = try runDasaudit(["diff", path("none.json"), bad])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("none.json") && missing.stderr.contains("bad.json"), "both problems named: \(missing.stderr)")
    }

    /// Outputs are checked before the results are read: a bad report path is the only
    /// problem named, and an output over an input is refused.
    func testOutputsAreCheckedFirst() throws {
        let run = try runDasaudit(["diff", path("none.json"), path("none2.json"), "--report", "html:/nonexistent-dir/d.html"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("--report html:/nonexistent-dir/d.html"), run.stderr)
        XCTAssertFalse(run.stderr.contains("not a readable"), run.stderr)
        let baseline = try audited("diff-baseline-lo.pcap")
        let over = try runDasaudit(["diff", baseline, baseline, "--output", baseline])
        XCTAssertEqual(over.status, 2)
        XCTAssertTrue(over.stderr.contains("an input is never written over"), over.stderr)
    }

    /// Regression (hunt27): the rogue 31338 waived until 2099 audits compliant at --fail-on
    /// high; once its waiver has expired the audit fails, yet the diff said NOT WORSE and its
    /// JUnit had no failure. Now the finding is listed as no longer waived in every format,
    /// and the diff fails.
    func testAWaiverThatExpiredMakesTheDiffWorseInEveryFormat() throws {
        func policy(_ name: String, expires: String) throws -> String {
            let file = path(name)
            try Data("waivers:\n  - {kind: unexpected-port, port: 31338, reason: approved CHG-1, expires: \(expires)}\n".utf8)
                .write(to: URL(fileURLWithPath: file))
            return file
        }
        let waived = try audited("diff-rogue-lo.pcap", ["--policy", try policy("in-force.yaml", expires: "2099-01-01")])
        let lapsed = try audited("diff-rogue-lo.pcap", ["--policy", try policy("lapsed.yaml", expires: "2020-01-01")])
        let run = try runDasaudit(["diff", waived, lapsed, "--fail-on", "high", "--report", "html:\(path("u.html"))",
                                   "--report", "md:\(path("u.md"))", "--report", "csv:\(path("u.csv"))",
                                   "--report", "junit:\(path("u.xml"))", "--report", "json:\(path("u.json"))"])
        XCTAssertEqual(run.status, 1, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("WORSE: 1 finding no longer waived at or above --fail-on high"), run.stdout)
        func read(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }
        let html = try read("u.html"), markdown = try read("u.md"), csv = try read("u.csv")
        XCTAssertTrue(html.contains("<h1>WORSE</h1>"))
        XCTAssertTrue(html.contains("<td>unwaived</td>"), html)
        XCTAssertTrue(markdown.contains("| unwaived | high | unexpected-port | 127.0.0.9:31338 |"), markdown)
        XCTAssertTrue(csv.contains("finding,unwaived,"), csv)
        let diff = try ResultCoding.decoder().decode(ResultDiff.self, from: Data(try read("u.json").utf8))
        XCTAssertEqual(diff.unwaivedFindings.map { "\($0.kind.rawValue) \($0.port ?? 0)" }, ["unexpected-port 31338"])
        XCTAssertEqual(diff.newFindings.map(\.kind), [.waiverExpired])
        let xml = try XMLDocument(data: Data(try read("u.xml").utf8))
        XCTAssertEqual(try xml.nodes(forXPath: "//testcase/failure").map { $0.parent?.xmlString.contains("unwaived unexpected-port") },
                       [true])
        // Back again: the finding becomes waived, listed, and not worse.
        let back = try runDasaudit(["diff", lapsed, waived, "--fail-on", "high"])
        XCTAssertEqual(back.status, 0, back.stdout)
        XCTAssertTrue(back.stdout.contains("waived    high      unexpected-port"), back.stdout)
    }

    /// Regression (hunt27): an empty capture's result against a UDP-only capture's (both
    /// audits of nothing, each with its high no-traffic finding) said NOT WORSE and exit 0,
    /// though docs/diff.md promised WORSE when the current audit saw nothing.
    func testTwoAuditsOfNothingAreWorse() throws {
        let udpOnly = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/no-tcp/udp-only-lo.pcap").path
        let empty = try audited("nodes-n2-empty.pcap"), udp = try audited(udpOnly)
        for failOn in ["medium", "never"] {
            let run = try runDasaudit(["diff", empty, udp, "--fail-on", failOn, "--report", "junit:\(path("n.xml"))"])
            XCTAssertEqual(run.status, 1, run.stdout)
            XCTAssertTrue(run.stdout.contains("WORSE: the current audit saw nothing (no-traffic), as the baseline's did"), run.stdout)
            XCTAssertTrue(run.stdout.contains("repeated  high      no-traffic"), run.stdout)
            let xml = try XMLDocument(data: Data(contentsOf: URL(fileURLWithPath: path("n.xml"))))
            XCTAssertEqual(try xml.nodes(forXPath: "//testcase/failure[@type='no-traffic']").count, 1)
        }
        let (_, diff) = try diff([empty, udp])
        XCTAssertEqual(diff?.repeatedNoTraffic.map(\.kind), [.noTraffic])
        XCTAssertEqual(diff?.worse, true)
    }

    /// The policy of the two windows of one cluster (`scripts/recording/record-window-pair.sh`:
    /// offset 3, cluster mode, 2 cores) with the worker's node named `worker`, and the JSON
    /// result of auditing `captureName` under it.
    private func auditedWindow(_ captureName: String, worker: String) throws -> String {
        let policy = try scratch.file("\(worker).yaml", Data("""
            profile: das
            offset: 3
            mode: cluster
            cores: 2
            nodes:
              - name: host-127.0.0.1
                addresses: ["127.0.0.1"]
                roles: [master, receiver, worker]
              - name: \(worker)
                addresses: ["127.0.0.2"]
                roles: [worker]

            """.utf8))
        let out = path("\(captureName)-\(worker).json")
        let run = try runDasaudit(["audit", capture(captureName), "--policy", policy, "--format", "json", "--output", out])
        XCTAssertEqual(run.status, 1, "the rogue server on 127.0.0.2:31338: \(run.stderr)")
        return out
    }

    /// The same window audited after the worker's node was renamed (`host-127.0.0.2`, as
    /// `infer` names it, to `worker1`): the services say their node changed, and no finding
    /// is new. Before, every finding on 127.0.0.2 was new and resolved at once, the rogue
    /// server's high `unexpected-port` among them, and the diff WORSE (exit 1) for a cluster
    /// that had not changed.
    func testRenamingANodeChangesNoFinding() throws {
        let baseline = try auditedWindow("window-full-lo.pcap", worker: "host-127.0.0.2")
        let current = try auditedWindow("window-full-lo.pcap", worker: "worker1")
        let (run, diff) = try diff([baseline, current])
        XCTAssertEqual(run.status, 0, run.stdout)
        let found = try XCTUnwrap(diff)
        XCTAssertEqual(found.changedServices.map { "\($0.port) \($0.changed) \($0.before.node ?? "-") \($0.after.node ?? "-")" },
                       ["11003 [\"node\"] host-127.0.0.2 worker1", "12003 [\"node\"] host-127.0.0.2 worker1",
                        "12004 [\"node\"] host-127.0.0.2 worker1", "31338 [\"node\"] host-127.0.0.2 worker1"])
        XCTAssertEqual(found.newFindings.map(\.message), [])
        XCTAssertEqual(found.resolvedFindings.map(\.message), [])
        XCTAssertFalse(found.worse)
        XCTAssertEqual(found.policyChanges.map(\.field), ["nodes"], "the rename is a change of policy, and said")
    }

    /// A window of heartbeats on connections opened before the capture
    /// (`window-idle-lo.pcap`) against one that saw them opened (`window-full-lo.pcap`): the
    /// same eight services, whose protocol the idle window cannot tell (`unknown`, no start
    /// of payload captured). Before, each was "changed" from `other` to `unknown`.
    func testAProtocolNotToldIsNoChange() throws {
        let full = try auditedWindow("window-full-lo.pcap", worker: "worker")
        let idle = try auditedWindow("window-idle-lo.pcap", worker: "worker")
        let result = try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: idle)))
        XCTAssertEqual(Set(result.services.map { $0.protocol ?? "nil" }), ["unknown"], "what the idle window cannot tell")
        for (baseline, current) in [(full, idle), (idle, full)] {
            let (run, diff) = try diff([baseline, current])
            XCTAssertEqual(run.status, 0, run.stdout)
            let found = try XCTUnwrap(diff)
            XCTAssertEqual(found.changedServices.map { "\($0.port) \($0.changed)" }, [])
            XCTAssertEqual(found.newServices.count + found.vanishedServices.count, 0)
            XCTAssertEqual(found.newFindings.filter { $0.fails(under: .medium) }.map(\.message), [])
        }
    }
}
