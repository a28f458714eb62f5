@testable import Policy
import Wire
import XCTest

/// Node addresses by family, overlapping nodes, and the messages for IPv6 text a policy
/// cannot use (a zone id, an unquoted `::` in flow-style YAML). The policies are the ones
/// a bug hunt on an IPv6 cluster (fd00:27::1, fd00:27::2) wrote.
final class NodeAddressTests: XCTestCase {
    private func error(_ text: String) -> String { policyFileError(text) }

    /// Regression: IPv4 is stored IPv4-mapped, so `::/0`, `::/1` and `::/64` held every
    /// IPv4 address (`ports --firewall` put them in the IPv6 set only).
    func testAPatternMatchesItsOwnFamilyOnly() throws {
        let v4 = try XCTUnwrap(IPAddress("10.27.0.1")), v6 = try XCTUnwrap(IPAddress("fd00:27::1"))
        for text in ["::/0", "::/1", "::/64", "::/80", "::/95"] {
            let pattern = try XCTUnwrap(AddressPattern(text))
            XCTAssertFalse(pattern.contains(v4), text)
        }
        XCTAssertTrue(try XCTUnwrap(AddressPattern("::/0")).contains(v6))
        XCTAssertTrue(try XCTUnwrap(AddressPattern("0.0.0.0/0")).contains(v4))
        XCTAssertFalse(try XCTUnwrap(AddressPattern("0.0.0.0/0")).contains(v6))
        XCTAssertFalse(Node(name: "v6only", addresses: [try XCTUnwrap(AddressPattern("::/64"))]).contains(v4))
    }

    /// Regression: das2 (fd00:27::2) inside das1's block was accepted; das2's services were
    /// labelled das1 and das2 reported `node-not-seen`.
    func testOverlappingNodesAreRefusedNamingBoth() {
        XCTAssertEqual(error("nodes:\n  - name: das1\n    addresses: [\"fd00:27::/64\"]\n  - name: das2\n    addresses: [\"fd00:27::2\"]\n"),
                       "p.yaml:5: node 'das2': fd00:27::2 overlaps fd00:27::/64, an address of node 'das1'; an address belongs "
                       + "to one node (dasaudit labels each host with one node, so the other would be reported node-not-seen): "
                       + "give each node only its own addresses (das1 is declared at line 2)")
        XCTAssertTrue(error("nodes:\n  - {name: das1, addresses: [\"fd00:27::1\"]}\n  - {name: das2, addresses: [10.0.0.2, \"FD00:27::1\"]}\n")
            .hasPrefix("p.yaml:3: node 'das2': fd00:27::1 is also an address of node 'das1'"))
        XCTAssertTrue(error("nodes:\n  - {name: das1, addresses: [10.27.0.1]}\n  - {name: das2, addresses: [10.27.0.0/24]}\n")
            .hasPrefix("p.yaml:3: node 'das2': 10.27.0.0/24 overlaps 10.27.0.1, an address of node 'das1'"))
        // Different families never overlap; neither do neighbouring blocks.
        XCTAssertEqual(error("nodes:\n  - {name: a, addresses: [\"::/64\"]}\n  - {name: b, addresses: [10.0.0.1]}\n"
            + "  - {name: c, addresses: [10.0.1.0/24]}\n  - {name: d, addresses: [10.0.2.0/24]}\n"), "no error")
        let made = Policy(nodes: [Node(name: "a", addresses: [AddressPattern("fd00::/64")!]),
                                  Node(name: "b", addresses: [AddressPattern("fd00::2")!])])
        XCTAssertEqual(made.validationErrors().count, 1)
    }

    /// Regression: "is not an IPv4 or IPv6 address ... expected one like 10.0.0.5".
    func testAZoneIdIsNamedAsUnsupported() {
        XCTAssertEqual(error("nodes:\n  - {name: n1, addresses: [\"fe80::1%eth0\"]}\n"),
                       "p.yaml:2: node 'n1': 'fe80::1%eth0' has a zone id (%eth0), which dasaudit does not support: addresses "
                       + "in a capture carry no zone id, so it could never match; write the address without it (fe80::1)")
        XCTAssertTrue(error("waivers:\n  - {kind: unexpected-port, host: \"fe80::%eth0/64\", reason: x, expires: 2099-01-01}\n")
            .hasPrefix("p.yaml:2: waiver host: 'fe80::%eth0/64' has a zone id (%eth0)"))
        XCTAssertTrue(error("nodes:\n  - {name: n1, addresses: [\"db%eth0\"]}\n").contains("is not an IPv4 or IPv6 address"))
    }

    /// Regression: only "did not find expected node content".
    func testAnUnquotedIPv6AddressInFlowStyleGetsAHint() {
        let hint = "; an IPv6 address with '::' must be quoted in YAML (addresses: [\"::1\"], host: \"fd00::/64\")"
        XCTAssertEqual(error("nodes:\n  - name: n1\n    addresses: [::1]\n"),
                       "p.yaml:3: not valid YAML: did not find expected node content" + hint)
        XCTAssertEqual(error("waivers:\n  - {kind: unexpected-port, host: ::1, reason: x, expires: 2099-01-01}\n"),
                       "p.yaml:2: not valid YAML: did not find expected node content" + hint)
        XCTAssertFalse(error("nodes: [a, b\n").contains("IPv6"))
        XCTAssertEqual(error("nodes:\n  - name: n1\n    addresses:\n      - ::1\n"), "no error")
    }

    /// YAML breaks lines at a lone CR too, so an error's column can lie past the line the
    /// hint looks at: a plain error then, not a crash (the policy fuzz target's find).
    func testAnErrorMarkPastItsLineGetsNoHintAndNoCrash() {
        let text = "# Te9-12-31}\n  - {kiexpimode: [[[[deSsxpires: 0505-01\r01}\n"
        XCTAssertTrue(error(text).hasPrefix("p.yaml:"), error(text))
        XCTAssertFalse(error(text).contains("IPv6"))
    }
}
