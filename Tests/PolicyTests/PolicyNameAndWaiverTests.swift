@testable import Policy
import XCTest

/// Node names, waiver kinds and hosts, letter case and escaping in policy files.
final class PolicyNameAndWaiverTests: XCTestCase {
    private func error(_ text: String) -> String { policyFileError(text) }

    func testNodeNamesFollowTheDocumentedRule() {
        for name in ["das1", "D", "das-1.example_2", String(repeating: "a", count: 63)] {
            XCTAssertNil(NameRules.problem(with: name), name)
        }
        XCTAssertEqual(NameRules.problem(with: ""), "is empty")
        XCTAssertEqual(NameRules.problem(with: String(repeating: "a", count: 64)), "is 64 characters long")
        XCTAssertEqual(NameRules.problem(with: "-das"), "does not start with a letter or digit")
        XCTAssertEqual(NameRules.problem(with: "das 1"), "contains ' '")
        XCTAssertEqual(NameRules.problem(with: "dás"), "contains 'á'")
    }

    /// Regression: such a name was accepted and reached reports and firewall comments raw.
    func testANameCarryingAShellCommandIsRefusedWithTheNameEscaped() {
        let message = error("nodes:\n  - name: \"das1\\ntouch /tmp/x\\n#\"\n    addresses: [10.0.0.1]\n")
        XCTAssertEqual(message, "p.yaml:2: node name 'das1\\ntouch /tmp/x\\n#' contains '\\n'; a node name is "
            + NameRules.description)
        XCTAssertFalse(message.contains("\n"))
    }

    func testNamesMadeInCodeAreCheckedToo() {
        let policy = Policy(nodes: [Node(name: "a\u{1B}[31m", addresses: [])])
        XCTAssertEqual(policy.validationErrors(), ["node name 'a\\e[31m' contains '\\e'; a node name is " + NameRules.description])
    }

    func testAReasonIsOneLineWithoutControlCharacters() {
        XCTAssertEqual(error("allow:\n  - port: 22\n    reason: \"ssh\\r\\nFAKE LINE\"\n"),
                       "p.yaml:3: the reason 'ssh\\r\\nFAKE LINE' contains '\\r'; a reason is one line of text without control characters")
    }

    func testADuplicateNodeNameHasItsLine() {
        XCTAssertEqual(error("nodes:\n  - {name: a, addresses: [10.0.0.1]}\n  - {name: a, addresses: [10.0.0.2]}\n"),
                       "p.yaml:3: node name 'a' is declared twice")
    }

    /// The same waiver twice made each of its `waiver-expired` or `waiver-unused` findings
    /// twice: one finding listed twice, which `render`, `diff` and `merge` refuse in a result.
    /// Two waivers of one port that differ in their expiry date (one renewed) are two.
    func testTheSameWaiverTwiceIsRefusedWithBothLines() throws {
        let waiver = "  - {kind: unexpected-port, port: 31338, reason: approved CHG-1, expires: 2020-01-01}\n"
        XCTAssertEqual(error("waivers:\n" + waiver + "  - {kind: unused-opening, reason: r, expires: 2030-01-01}\n" + waiver),
                       "p.yaml:4: this waiver is given twice (also at line 2), with the same kind, port, host, reason and "
                        + "expiry date: keep one")
        let renewed = waiver + waiver.replacingOccurrences(of: "2020-01-01", with: "2030-01-01")
        XCTAssertEqual(try PolicyFile.parse("waivers:\n" + renewed, path: "p.yaml").waivers.count, 2)
    }

    /// Regression: an unknown kind was accepted and the waiver never matched anything.
    func testAWaiverOfAnUnknownKindIsRefusedWithTheKinds() {
        let message = error("waivers:\n  - kind: unexpected-prot\n    reason: x\n    expires: 2030-01-01\n")
        XCTAssertEqual(message, "p.yaml:2: unknown waiver kind 'unexpected-prot'; did you mean unexpected-port? expected one of "
            + Waiver.kinds.joined(separator: ", "))
    }

    /// Regression: a host that is no node, address or block was accepted and never matched.
    func testAWaiverHostMustBeANodeAnAddressOrABlock() throws {
        let nodes = "nodes:\n  - {name: das1, addresses: [10.0.0.1]}\n"
        func waiver(host: String) -> String {
            nodes + "waivers:\n  - kind: unexpected-port\n    host: \(host)\n    reason: x\n    expires: 2030-01-01\n"
        }
        XCTAssertEqual(error(waiver(host: "das2")), "p.yaml:5: waiver host 'das2' is neither a declared node, an IP address "
            + "nor a CIDR block; expected an address like 10.0.0.5, a block like 10.0.1.0/24 or one of the nodes: das1")
        XCTAssertTrue(error(waiver(host: "10.0.0.0/33")).hasPrefix("p.yaml:5: waiver host '10.0.0.0/33' is neither"))
        for host in ["das1", "10.0.0.9", "10.0.0.0/24", "fd00::/64"] {
            let settings = try PolicyFile.parse(waiver(host: host), path: "p.yaml")
            XCTAssertEqual(settings.waivers.first?.host, host)
        }
    }

    /// Regression: `{kind: port-scan, port: 7000}` was accepted, yet port-scan findings
    /// have no port, so it never waived the scan it was written for.
    func testAWaiverFieldItsKindNeverCarriesIsRefused() throws {
        func waiver(_ kind: String, _ field: String) -> String {
            "waivers:\n  - kind: \(kind)\n    \(field)\n    reason: x\n    expires: 2030-01-01\n"
        }
        XCTAssertEqual(error(waiver("port-scan", "port: 7000")), "p.yaml:3: a waiver of port-scan cannot name a port: "
            + "port-scan findings carry a host only, so it would never match; remove its port")
        XCTAssertEqual(error(waiver("insufficient-traffic", "host: 127.0.0.1")), "p.yaml:3: a waiver of insufficient-traffic "
            + "cannot name a host: insufficient-traffic findings carry neither a port nor a host, so it would never match; "
            + "remove its host")
        XCTAssertEqual(error(waiver("offset-mismatch", "port: 9443")), "p.yaml:3: a waiver of offset-mismatch cannot name "
            + "a port: offset-mismatch findings carry a host only, so it would never match; remove its port")
        XCTAssertEqual(try PolicyFile.parse(waiver("port-scan", "host: 10.0.0.9"), path: "p.yaml").waivers.first?.host, "10.0.0.9")
        XCTAssertEqual(try PolicyFile.parse(waiver("unexpected-port", "port: 7000"), path: "p.yaml").waivers.first?.port, 7000)
        XCTAssertEqual(Set(Waiver.scopes.map(\.kind)).count, Waiver.scopes.count, "one scope per kind")
    }

    /// Regression: `kind: waiver-expired` was accepted, yet waiver-expired findings are made
    /// from the expired waivers after the waivers apply, so it never waived anything. The
    /// kinds no waiver may name are refused with the reason, not called unknown.
    func testAWaiverOfAKindNoWaiverCanCoverIsRefusedWithTheReason() {
        func waiver(_ kind: String) -> String { "waivers:\n  - kind: \(kind)\n    reason: x\n    expires: 2030-01-01\n" }
        XCTAssertEqual(error(waiver("waiver-expired")), "p.yaml:2: a waiver cannot be of kind waiver-expired: waiver-expired "
            + "findings are made after the waivers apply, so no waiver can match one; renew the expired waiver with a new "
            + "reason and expiry date, or fix what it excused")
        XCTAssertEqual(error(waiver("Waiver-Expired")).prefix(49), "p.yaml:2: a waiver cannot be of kind waiver-expir")
        XCTAssertEqual(error(waiver("no-traffic")),
                       "p.yaml:2: a waiver cannot be of kind no-traffic: an audit of nothing cannot be approved into a pass")
        XCTAssertTrue(error(waiver("waiver-unused")).hasPrefix("p.yaml:2: a waiver cannot be of kind waiver-unused: "))
        XCTAssertFalse(Waiver.kinds.contains("waiver-expired"))
    }

    /// Regression: `reason: ""` and `reason: "   "` were accepted and printed as
    /// "[waived until 2099-01-01: ]", while `--allow '31337:'` was refused.
    func testABlankReasonIsRefused() {
        for reason in ["\"\"", "\"   \"", "\"\\t\""] {
            let message = error("waivers:\n  - kind: unexpected-port\n    reason: \(reason)\n    expires: 2030-01-01\n")
            XCTAssertTrue(message.hasPrefix("p.yaml:3: the reason is blank;") || message.contains("contains '\\t'"), message)
        }
        XCTAssertEqual(error("allow:\n  - port: 22\n    reason: \" \"\n"),
                       "p.yaml:3: the reason is blank; a reason says why the exception is approved, so it cannot be empty")
        XCTAssertNil(ReasonRules.problem(with: " operator ssh "))
    }

    /// Regression: `expires: 0000-01-01` was accepted (a date, but no plausible expiry).
    func testAnImplausibleExpiryIsRefusedWithTheRange() throws {
        func waiver(_ expires: String) -> String { "waivers:\n  - kind: unexpected-port\n    reason: x\n    expires: \(expires)\n" }
        for expires in ["0000-01-01", "1999-12-31", "3000-01-01", "9999-12-31"] {
            XCTAssertEqual(error(waiver(expires)), "p.yaml:4: the expiry date \(expires) is implausible; expected a date from "
                + "2000-01-01 to 2999-12-31 (a permanent exception is an allow: entry)")
        }
        for expires in ["2000-01-01", "2020-06-30", "2999-12-31"] {
            XCTAssertEqual(try PolicyFile.parse(waiver(expires), path: "p.yaml").waivers.first?.expires.description, expires)
        }
    }

    func testEveryWaiverKindIsAccepted() throws {
        for kind in Waiver.kinds {
            let text = "waivers:\n  - kind: \(kind)\n    reason: x\n    expires: 2030-01-01\n"
            XCTAssertEqual(try PolicyFile.parse(text, path: "p.yaml").waivers.first?.kind, kind)
        }
    }

    /// Regression: `mode: Cluster` or `kind: Unexpected-Port` were refused for their letter case.
    func testChoicesAreAcceptedInAnyLetterCase() throws {
        let settings = try PolicyFile.parse("""
            profile: DAS-3.1
            mode: Cluster
            expect: [SPARK, Spark-Cluster]
            nodes:
              - {name: a, addresses: [10.0.0.1], roles: [Master, WORKER]}
            waivers:
              - {kind: Unexpected-Port, reason: x, expires: 2030-01-01}
            """, path: "p.yaml")
        XCTAssertEqual(settings.profile, "das-3.1")
        XCTAssertEqual(settings.mode, .cluster)
        XCTAssertEqual(settings.groups, [.spark, .sparkCluster])
        XCTAssertEqual(settings.nodes?.first?.roles, [.master, .worker])
        XCTAssertEqual(settings.waivers.first?.kind, "unexpected-port")
    }

    func testUnknownKeysSuggestTheNearestKnownKey() {
        XCTAssertTrue(error("nodes:\n  - {nmae: a, addresses: [10.0.0.1]}\n")
            .hasPrefix("p.yaml:2: unknown key 'nmae' in a node; did you mean name? expected one of name, addresses, roles"))
        XCTAssertTrue(error("waivers:\n  - {kind: unused-opening, reason: x, expirse: 2030-01-01}\n")
            .contains("unknown key 'expirse' in a waiver; did you mean expires?"))
        XCTAssertEqual(error("zzzzzz: 1\n"), "p.yaml:1: unknown key 'zzzzzz' in the policy; expected one of profile, offset, "
            + "mode, cores, ephemeral_range, port_retries, expect, ports, features, nodes, external_cluster, membership, multicast_port, dependencies, allow, waivers, scan", "no suggestion when nothing is close")
    }

    func testTheNearestWordIsFoundByEditDistance() {
        XCTAssertEqual(EditDistance.nearest(to: "ofset", among: ["profile", "offset", "mode"]), "offset")
        XCTAssertEqual(EditDistance.nearest(to: "cores", among: ["profile", "offset", "mode", "cores"]), "cores")
        XCTAssertEqual(EditDistance.between("kitten", "sitting"), 3)
        XCTAssertEqual(EditDistance.between("nmae", "name"), 1, "a swap of neighbours is one edit")
        XCTAssertEqual(EditDistance.between("Offset", "offset"), 0)
        XCTAssertNil(EditDistance.nearest(to: "xyz", among: ["profile", "offset"]))
    }

    /// Regression: YAML errors and values were echoed with their control characters.
    func testTextFromTheFileIsEscapedInMessages() {
        let message = error("mode: \"\\e]0;owned\\a\"\n")
        XCTAssertEqual(message, "p.yaml:1: '\\e]0;owned\\u{7}' is not a Spark mode; expected one of local, cluster, client")
        XCTAssertEqual("a\u{0}b\u{9B}c\\d\r\u{2028}".escapedForMessage, "a\\0b\\u{9B}c\\\\d\\r\\u{2028}")
        // The bidirectional overrides too, as every report shows them ("Trojan source").
        XCTAssertEqual("db\u{202E}1sad".escapedForMessage, "db\\u{202E}1sad")
    }
}
