import Audit
import Foundation
import Policy
import XCTest

/// The policy input checks as the command line shows them: exit code 2 and one clear
/// message naming the source, notes for overridden fields, unreadable DAS files.
final class PolicyInputTests: XCTestCase {
    /// Regression: `ports --offset 50000` printed 65535 for ten keys and exited 0.
    func testAnOffsetPastTheLastPortIsRefused() throws {
        let run = try runDasaudit(["ports", "--offset", "50000"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(run.stderr, "dasaudit: error: --offset: offset 50000 would put spark.history.ui.port (base 18080) at 68080, "
            + "past 65535; the largest offset profile das allows is 47455 (range 0-47455)\n")
        let negative = try runDasaudit(["ports", "--offset", "-1"])
        XCTAssertEqual(negative.status, 2)
        XCTAssertEqual(negative.stderr, "dasaudit: error: --offset: offset -1 is outside the allowed range 0-47455 for profile das\n")
    }

    /// Every numeric option takes a negative number to its range check, as `--offset`
    /// does: `--skew -1` and `--cores -1` said "Missing value", taking -1 for an option.
    func testANegativeNumberReachesTheRangeCheckOfEveryNumericOption() throws {
        let cases: [([String], String)] = [
            (["merge", "a.json", "--skew", "-1"], "Error: --skew must be between 0 and 3600 seconds, not -1\n"),
            (["ports", "--cores", "-1"], "dasaudit: error: --cores: cores -1 is outside 1-1024\n"),
            (["audit", "x.pcap", "--threads", "-1"], "Error: --threads -1 is outside 1-1024\n"),
            (["live", "-i", "lo", "--snaplen", "-1"], "Error: --snaplen must be at least 64 bytes, to hold the TCP/IP headers over IPv4 (96 hold IPv6's too)\n"),
            (["live", "-i", "lo", "--write", "d", "--rotate-seconds", "-1"], "Error: --rotate-seconds must be at least 1\n"),
        ]
        for (arguments, message) in cases {
            let run = try runDasaudit(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.hasPrefix(message), "\(arguments): \(run.stderr)")
        }
    }

    /// `--skew` is read in decimal, as the whole-number options are: Swift's `Double` took
    /// `0x10` for 16 (and `1e3`, `inf`), where `--cores 0x10` is refused.
    func testSkewIsADecimalNumber() throws {
        for text in ["0x10", "1e3", "inf", "nan", "", "."] {
            let run = try runDasaudit(["merge", "a.json", "--skew", text])
            XCTAssertEqual(run.status, 2, "--skew \(text): \(run.stderr)")
            XCTAssertTrue(run.stderr.hasPrefix("Error: The value '\(text)' is invalid for '--skew <seconds>'\n"), run.stderr)
        }
        let cores = try runDasaudit(["ports", "--cores", "0x10"])
        XCTAssertTrue(cores.stderr.hasPrefix("Error: The value '0x10' is invalid for '--cores <N>'\n"), cores.stderr)
        // Decimal seconds pass the parsing (and fail only later, on the missing file).
        for text in ["0", "0.5", "2", "3600"] {
            let run = try runDasaudit(["merge", "/nonexistent/a.json", "--skew", text])
            XCTAssertFalse(run.stderr.contains("--skew"), "--skew \(text): \(run.stderr)")
        }
    }

    /// A port out of range is said to be so: `--allow 0:x` was "not PORT:REASON".
    func testAnAllowedPortOutOfRangeIsNamed() throws {
        for port in ["0", "65536", "99999999999999999999"] {
            let run = try runDasaudit(["ports", "--allow", "\(port):x"])
            XCTAssertEqual(run.status, 2)
            XCTAssertEqual(run.stderr, "dasaudit: error: --allow: '\(port):x': port \(port) is out of range 1-65535\n")
        }
        let shape = try runDasaudit(["ports", "--allow", "ssh:22"])
        XCTAssertEqual(shape.stderr, "dasaudit: error: --allow: 'ssh:22' is not PORT:REASON, like '22:operator ssh'\n")
    }

    func testAnOverriddenFieldIsNoted() throws {
        let scratch = try ScratchDirectory()
        let policy = try scratch.file("policy.yaml", Data("offset: 5\ncores: 2\n".utf8))
        let run = try runDasaudit(["ports", "--policy", policy, "--offset", "2"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr, "dasaudit: note: offset 2 from --offset overrides 5 from \(policy):1\n")
        XCTAssertTrue(run.stdout.contains("offset 2"), run.stdout)
    }

    func testAHostileNodeNameNeverReachesTheTerminalRaw() throws {
        let scratch = try ScratchDirectory()
        let policy = try scratch.file("policy.yaml", Data("nodes:\n  - name: \"das1\\ntouch /tmp/x\\n#\"\n    addresses: [10.0.0.1]\n".utf8))
        let run = try runDasaudit(["ports", "--policy", policy])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(run.stderr.filter { $0 == "\n" }.count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("\(policy):2: node name 'das1\\ntouch /tmp/x\\n#' contains '\\n'"), run.stderr)
    }

    func testSeveritiesAreAcceptedInAnyLetterCase() throws {
        let run = try runDasaudit(["audit", capture("spark-cluster-offset2-lo.pcap"), "--offset", "2", "--mode", "Cluster",
                                   "--fail-on", "NEVER"])
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    /// Regression: an unreadable spark-defaults.conf was skipped and the audit fell back
    /// to local mode with 1 core.
    func testAnUnreadableDASFileIsNamed() throws {
        let scratch = try ScratchDirectory()
        try scratch.file("repository/conf/carbon.xml", Data("<Server><Ports><Offset>2</Offset></Ports></Server>".utf8))
        let spark = try scratch.file("repository/conf/analytics/spark/spark-defaults.conf", Data("spark.master carbon\n".utf8))
        for directory in ["", "repository", "repository/conf", "repository/conf/analytics", "repository/conf/analytics/spark"] {
            XCTAssertEqual(chmod(scratch.path(directory), 0o755), 0)
        }
        XCTAssertEqual(chmod(spark, 0o000), 0)
        let run = try runDasauditAsNobody(["ports", "--das-home", scratch.url.path], mentioning: spark)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertEqual(run.stdout, "")
        XCTAssertTrue(run.stderr.contains("\(spark): cannot be read: permission denied"), run.stderr)
    }

    func testAFIFOInTheDASHomeIsNamedWithoutBlocking() throws {
        let scratch = try ScratchDirectory()
        try scratch.file("repository/conf/carbon.xml", Data("<Server><Ports><Offset>2</Offset></Ports></Server>".utf8))
        let events = scratch.path("repository/conf/event-processor.xml")
        XCTAssertEqual(mkfifo(events, 0o644), 0)
        let run = try runProcess(dasauditBinary.path, ["ports", "--das-home", scratch.url.path], timeout: 30)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("\(events): cannot be read: a FIFO, not a regular file"), run.stderr)
    }

    /// Waiver kinds are checked in Policy, which cannot see Audit's `Finding.Kind`.
    func testTheWaiverKindsAreTheFindingKinds() {
        XCTAssertEqual(Waiver.kinds, Finding.Kind.allCases.filter(\.isWaivable).map(\.rawValue))
    }

    /// Every finding of real audits carries only the fields `Waiver.scopes` says its kind
    /// carries, so a waiver the policy file refuses as unable to match (a port on port-scan,
    /// hunt27) could indeed never have matched, and one it accepts can. The audits cover a
    /// rogue service and its waiver expired, scans, a wrong offset, a misconfigured node
    /// with its policy, protocol findings and an incomplete input.
    func testTheWaiverScopesAreTheFieldsFindingsCarry() throws {
        let expired = Waiver(kind: "unexpected-port", port: 31338, reason: "x", expires: Day(year: 2020, month: 1, day: 1))
        func policy(_ file: String) throws -> Policy {
            try PolicyFile.parse(String(contentsOfFile: capture(file), encoding: .utf8), path: file).makePolicy()
        }
        let audits: [(Policy, String)] = [
            (Policy(offset: 5, mode: .cluster, coresPerNode: 2, waivers: [expired]), "diff-rogue-lo.pcap"),
            (Policy(), "scan-netns-veth.pcap"), (Policy(), "scan-two-scanners-veth.pcap"),
            (Policy(offset: 0), "das-offset3-lo.pcap"), (Policy(offset: 2, mode: .cluster, coresPerNode: 2), "das-cluster-offset4-lo.pcap"),
            (try policy("misconfigured-node-policy.yaml"), "misconfigured-node-lo.pcap"),
            (try policy("protocol-evidence-policy.yaml"), "protocol-evidence-lo.pcap"),
            (Policy(offset: 3), "protocols-lo-s64.pcap"),
        ]
        var seen = Set<Finding.Kind>()
        for (policy, name) in audits {
            for finding in Auditor(policy: policy).audit(paths: [capture(name)]).findings where finding.kind.isWaivable {
                let scope = try XCTUnwrap(Waiver.scopes.first { $0.kind == finding.kind.rawValue }, finding.kind.rawValue)
                seen.insert(finding.kind)
                XCTAssertTrue(scope.port || finding.port == nil, "\(name): \(finding.kind.rawValue) has port \(finding.port ?? 0)")
                XCTAssertTrue(scope.host || (finding.address == nil && finding.node == nil),
                              "\(name): \(finding.kind.rawValue) has a host \(finding.address ?? finding.node ?? "")")
            }
        }
        XCTAssertTrue(seen.isSuperset(of: [.unexpectedPort, .portScan, .offsetMismatch, .insufficientTraffic,
                                           .unusedOpening]), "\(seen)")
    }
}
