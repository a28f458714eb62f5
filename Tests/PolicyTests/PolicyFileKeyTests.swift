import Policy
import XCTest

/// How the keys of a policy file are read: a key given twice is refused with both lines, a
/// feature said twice in another letter case too, and YAML merge keys (`<<: *anchor`) are
/// resolved as YAML says.
final class PolicyFileKeyTests: XCTestCase {
    /// Yams refused a duplicated key without a line, with the mapping's whole text as
    /// context: for a top-level key, the whole file escaped onto one line of the error.
    func testAKeyGivenTwiceIsNamedWithBothLines() {
        let nodes = (1...40).map { "  - name: das\($0)\n    addresses: [10.0.0.\($0)]\n" }.joined()
        let text = "offset: 2\nnodes:\n" + nodes + "offset: 3\n"
        XCTAssertEqual(policyFileError(text), "p.yaml:83: the key 'offset' is given twice in one mapping, at line 1 and "
            + "here; a key is given once (YAML keys are unique)")
        XCTAssertEqual(policyFileError("allow:\n  - port: 22\n    reason: ssh\n    reason: operator ssh\n"),
                       "p.yaml:4: the key 'reason' is given twice in one mapping, at line 3 and here; a key is given once "
                           + "(YAML keys are unique)")
        XCTAssertEqual(policyFileError("ports:\n  spark.ui.port: 4050\n  'spark.ui.port': 4060\n"),
                       "p.yaml:3: the key 'spark.ui.port' is given twice in one mapping, at line 2 and here; a key is "
                           + "given once (YAML keys are unique)", "quoted or not, the reader takes the same key")
        XCTAssertEqual(policyFileError("nodes:\n  - {name: a, addresses: [10.0.0.1]}\n  - {name: b, addresses: [10.0.0.2]}\n"),
                       "no error", "the same key in two mappings is no duplicate")
    }

    /// Feature names are read in any letter case, so `ha` and `HA` passed YAML's check and
    /// the later one silently switched HA off.
    func testAFeatureSaidTwiceInAnotherCaseIsRefused() throws {
        XCTAssertEqual(policyFileError("offset: 2\nfeatures:\n  ha: on\n  HA: off\n"),
                       "p.yaml:4: feature ha is said twice, at line 3 and here as 'HA' (names are read in any letter case); "
                           + "say each feature once")
        let once = try PolicyFile.parse("offset: 2\nfeatures:\n  HA: on\n", path: "p.yaml").makePolicy()
        XCTAssertEqual(once.features[.ha], true)
        XCTAssertEqual(once.expectedEntries(at: 10007).map(\.key), ["ha.management.port"])
    }

    /// Nodes sharing their roles, and waivers their reason and expiry, through a merge key:
    /// it was refused as `unknown key '<<' in a node`.
    func testMergeKeysAreResolvedWithTheMappingsOwnKeysWinning() throws {
        let settings = try PolicyFile.parse("""
            offset: 2
            nodes:
              - &worker {name: das1, addresses: [10.0.0.1], roles: [worker, receiver]}
              - <<: *worker
                name: das2
                addresses: [10.0.0.2]
            waivers:
              - &approved {kind: unexpected-port, port: 31337, reason: approved by ops, expires: 2099-01-01}
              - {<<: *approved, port: 31338}
              - <<: [{reason: first wins, host: das2}, *approved]
                port: 31339
            """, path: "p.yaml")
        XCTAssertEqual(settings.nodes?.map(\.name), ["das1", "das2"])
        XCTAssertEqual(settings.nodes?.map { $0.addresses.map(\.description) }, [["10.0.0.1"], ["10.0.0.2"]])
        XCTAssertEqual(settings.nodes?[1].roles, [.worker, .receiver])
        XCTAssertEqual(settings.waivers.map(\.port), [31337, 31338, 31339])
        XCTAssertEqual(settings.waivers.map(\.reason), ["approved by ops", "approved by ops", "first wins"])
        XCTAssertEqual(settings.waivers.map(\.host), [nil, nil, "das2"])
        XCTAssertEqual(settings.waivers.map { "\($0.expires)" }, ["2099-01-01", "2099-01-01", "2099-01-01"])
    }

    func testAMergedFieldIsCheckedLikeAnyOther() {
        XCTAssertEqual(policyFileError("offset: 2\nnodes:\n  - <<: {name: a, adresses: [10.0.0.1]}\n"),
                       "p.yaml:3: unknown key 'adresses' in a node; did you mean addresses? expected one of name, addresses, roles")
        XCTAssertEqual(policyFileError("offset: 2\nnodes:\n  - <<: 3\n    name: a\n"),
                       "p.yaml:3: a merge key (<<) takes a mapping or a list of mappings, such as <<: *defaults")
        XCTAssertEqual(policyFileError("offset: 2\n'<<': 3\n"),
                       "p.yaml:2: unknown key '<<' in the policy; expected one of profile, offset, mode, cores, "
                           + "ephemeral_range, port_retries, expect, ports, features, nodes, external_cluster, membership, multicast_port, dependencies, allow, waivers, scan",
                       "a quoted \"<<\" is a name like any other")
    }
}
