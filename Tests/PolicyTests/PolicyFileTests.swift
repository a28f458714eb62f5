import Policy
import Wire
import XCTest

final class PolicyFileTests: XCTestCase {
    let example = """
    # A DAS 3.1 cluster of three nodes.
    profile: das-3.1
    offset: 4
    mode: cluster
    cores: 2
    ephemeral_range: 32768-60999
    port_retries: 16
    expect: [receivers, ha, spark, spark-cluster, carbon]
    ports:
      spark.ui.port: 4050
    nodes:
      - name: das1
        addresses: [127.0.0.1]
        roles: [master, driver, receiver]
      - name: das2
        addresses: [127.0.0.2, 10.1.0.0/16]
        roles: [worker, presenter]
    allow:
      - port: 22
        reason: operator ssh
    waivers:
      - kind: unexpected-port
        port: 9090
        host: das1
        reason: Prometheus exporter, CHG-1234
        expires: 2027-01-31
    """

    func testAFullPolicyFileReadsEverySetting() throws {
        let settings = try PolicyFile.parse(example, path: "cluster.yaml")
        XCTAssertEqual(settings.profile, "das-3.1")
        XCTAssertEqual(settings.offset, 4)
        XCTAssertEqual(settings.mode, .cluster)
        XCTAssertEqual(settings.cores, 2)
        XCTAssertEqual(settings.groups, Set(CatalogGroup.allCases))
        XCTAssertEqual(settings.basePorts, ["spark.ui.port": 4050])
        XCTAssertEqual(settings.nodes?.map(\.name), ["das1", "das2"])
        XCTAssertEqual(settings.nodes?[1].roles, [.worker, .presenter])
        XCTAssertEqual(settings.nodes?[1].contains(IPAddress("10.1.200.3")!), true)
        XCTAssertEqual(settings.allowedPorts, [22: "operator ssh"])
        XCTAssertEqual(settings.waivers.first?.expires, Day(year: 2027, month: 1, day: 31))
        let policy = try settings.makePolicy()
        XCTAssertEqual(policy.expectedEntries(at: 4054).map(\.key), ["spark.ui.port"], "the moved base port, shifted")
        XCTAssertEqual(policy.profileName, "das-3.1")
    }

    func testAnUnknownKeyIsAnErrorWithItsLine() {
        XCTAssertThrowsError(try PolicyFile.parse("offset: 2\nofset: 3\n", path: "p.yaml")) { error in
            XCTAssertEqual("\(error)", "p.yaml:2: unknown key 'ofset' in the policy; did you mean offset? expected one of profile, offset, mode, "
                + "cores, ephemeral_range, port_retries, expect, ports, features, nodes, external_cluster, membership, multicast_port, dependencies, allow, waivers, scan")
        }
    }

    /// `external_cluster` limits the driver's callback ports in mode client to the nodes and
    /// the external Spark cluster; anything that would limit nothing while reading as a limit
    /// is refused with its line.
    func testTheExternalClusterIsForModeClientAndLimitsSomething() throws {
        let policy = try PolicyFile.parse("mode: client\nexternal_cluster: [10.50.0.0/24, \"fd00:50::7\"]\n", path: "p.yaml").makePolicy()
        XCTAssertEqual(policy.externalCluster.map(\.description), ["10.50.0.0/24", "fd00:50::7"])
        let driverPort = try XCTUnwrap(policy.catalog.first { $0.key == "spark.driver.port" })
        XCTAssertEqual(policy.exposure(of: driverPort), .externalCluster)
        XCTAssertEqual(try PolicyFile.parse("mode: client\n", path: "p.yaml").makePolicy().exposure(of: driverPort), .clients)

        XCTAssertEqual(policyFileError("mode: cluster\nexternal_cluster: [10.50.0.0/24]\n"),
                       "p.yaml:2: external_cluster is for mode client, where the executors run on an external Spark cluster "
                           + "and call the driver back; the mode is cluster")
        XCTAssertEqual(policyFileError("mode: client\nexternal_cluster: []\n"),
                       "p.yaml:2: external_cluster is empty; list the addresses or CIDR blocks of the external Spark cluster's "
                           + "hosts, or leave it out (the driver's callback ports then accept any source)")
        XCTAssertEqual(policyFileError("mode: client\nexternal_cluster: [0.0.0.0/0]\n"),
                       "p.yaml:2: external_cluster has 0.0.0.0/0, every IPv4 address: the driver's callback ports would accept "
                           + "any source, as without external_cluster; list the external Spark cluster's own addresses")
        XCTAssertTrue(policyFileError("mode: client\nexternal_cluster: [10.50.0.1/24]\n").hasPrefix("p.yaml:2: "))
    }

    /// `membership:` and `multicast_port:` say how Hazelcast members find each other, as
    /// axis2.xml's `membershipScheme` and `mcastPort`; unsaid, as DAS's stock file: multicast
    /// on 45564. A port with `wka` would open nothing and is refused.
    func testTheMembershipSaysWhetherHazelcastMulticasts() throws {
        let membership = { (text: String) in try PolicyFile.parse(text, path: "p.yaml").makePolicy().hazelcastMembership }
        XCTAssertEqual(try membership("offset: 2\n"), .multicast(port: 45564))
        XCTAssertEqual(try membership("membership: wka\n"), .wellKnownAddresses)
        XCTAssertEqual(try membership("membership: multicast\n"), .multicast(port: 45564))
        XCTAssertEqual(try membership("multicast_port: 45570\n"), .multicast(port: 45570))
        XCTAssertEqual(try membership("membership: Multicast\nmulticast_port: 45570\n"), .multicast(port: 45570))
        XCTAssertEqual(policyFileError("membership: wka\nmulticast_port: 45570\n"),
                       "p.yaml:2: multicast_port 45570 is for membership multicast, but the membership is wka: the members "
                           + "find each other over TCP; leave multicast_port out, or say membership: multicast")
        XCTAssertEqual(policyFileError("membership: tcp\n"),
                       "p.yaml:1: 'tcp' is not a Hazelcast membership scheme; expected one of multicast, wka")
        XCTAssertEqual(policyFileError("multicast_port: 70000\n"),
                       "p.yaml:1: expected a UDP port: a whole number from 1 to 65535")
    }

    func testBadValuesSayWhatWasExpected() {
        let cases: [(String, String)] = [
            ("offset: -1", "p.yaml:1: expected an offset: a whole number from 0 to 55535"),
            ("mode: yarn", "p.yaml:1: 'yarn' is not a Spark mode; expected one of local, cluster, client"),
            ("mode: clustr", "p.yaml:1: 'clustr' is not a Spark mode; did you mean cluster? expected one of local, cluster, client"),
            ("cores: many", "p.yaml:1: expected a number of cores: a whole number from 1 to 1024"),
            ("profile: das-9", "p.yaml:1: unknown profile 'das-9'; expected one of das, das-3.0, das-3.1, das-3.2, spark"),
            ("expect: [receivers, web]", "p.yaml:1: 'web' is not a catalog group; expected one of receivers, ha, spark, spark-cluster, carbon"),
            ("nodes:\n  - name: a\n    addresses: [10.0.0.300]", "p.yaml:3: '10.0.0.300' is not an IPv4 or IPv6 address or CIDR block; expected one like 10.0.0.5 or 10.0.1.0/24"),
            ("nodes:\n  - name: a\n    addresses: [10.0.0.1]\n    roles: [boss]", "p.yaml:4: 'boss' is not a node role; expected one of master, worker, driver, receiver, presenter, ha"),
            ("nodes:\n  - addresses: [10.0.0.1]", "p.yaml:2: a node needs 'name'"),
            // A node of no address was accepted, and never seen.
            ("nodes:\n  - name: a\n    addresses: []", "p.yaml:3: node 'a' has no addresses; a node needs at least one "
                + "address or CIDR block, like 10.0.0.5 or 10.0.1.0/24"),
            // Leaving roles out makes a node of every role; an empty list silently did the same.
            ("nodes:\n  - name: a\n    addresses: [10.0.0.1]\n    roles: []", "p.yaml:4: the roles list is empty, which "
                + "would make the node one of every role; list the node's roles (one of master, worker, driver, receiver, "
                + "presenter, ha), or leave roles out for a node of every role"),
            ("waivers:\n  - kind: unexpected-port\n    reason: x\n    expires: 31/01/2027", "p.yaml:4: expected a date YYYY-MM-DD"),
            ("allow:\n  - port: 70000\n    reason: x", "p.yaml:2: expected a port: a whole number from 1 to 65535"),
            ("offset: [1, 2]", "p.yaml:1: expected a single value"),
            // Read as 8 by YAML 1.1 readers and as 10 by YAML 1.2 ones: taken neither way.
            ("offset: 010", "p.yaml:1: '010' has a leading zero, which YAML 1.1 readers (PyYAML, Ansible) take for octal "
                + "and others for decimal; write an offset without it"),
            ("allow:\n  - port: 0022\n    reason: x", "p.yaml:2: '0022' has a leading zero, which YAML 1.1 readers (PyYAML, "
                + "Ansible) take for octal and others for decimal; write a port without it"),
            // inet_aton and ping read 10.0.0.010 as 10.0.0.8.
            ("nodes:\n  - name: a\n    addresses: [10.0.0.010]", "p.yaml:3: node 'a': '10.0.0.010' has an octet with a "
                + "leading zero, which some tools read as octal and others as decimal; write the address without it"),
            ("offset: 2\n  bad: indentation: here", "p.yaml:2: not valid YAML: mapping values are not allowed in this context"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try PolicyFile.parse(text, path: "p.yaml"), text) { error in
                XCTAssertEqual("\(error)", message, text)
            }
        }
    }

    /// An address with host bits set is refused, naming the entry and the network address:
    /// `10.77.0.1/8` silently stood for all of 10.0.0.0/8 in the audit and the firewall rules.
    /// A node of every address (`0.0.0.0/0`) opened every cluster port to any source.
    func testAnAddressWithHostBitsOrEveryAddressIsRefused() {
        let cases: [(String, String)] = [
            ("nodes:\n  - name: das1\n    addresses: [10.77.0.1/8]",
             "p.yaml:3: node 'das1': '10.77.0.1/8' has host bits set, so it would stand for the whole block 10.0.0.0/8; "
                + "write the block as 10.0.0.0/8, or the one host as 10.77.0.1"),
            ("nodes:\n  - name: das1\n    addresses: [\"fd00::1/64\"]",
             "p.yaml:3: node 'das1': 'fd00::1/64' has host bits set, so it would stand for the whole block fd00::/64; "
                + "write the block as fd00::/64, or the one host as fd00::1"),
            ("dependencies:\n  - name: db\n    address: 10.0.5.7/24\n    port: 5432\n    reason: x",
             "p.yaml:3: dependency 'db': '10.0.5.7/24' has host bits set, so it would stand for the whole block 10.0.5.0/24; "
                + "write the block as 10.0.5.0/24, or the one host as 10.0.5.7"),
            ("waivers:\n  - kind: unexpected-port\n    host: 10.0.5.7/24\n    reason: x\n    expires: 2030-01-01",
             "p.yaml:3: waiver host: '10.0.5.7/24' has host bits set, so it would stand for the whole block 10.0.5.0/24; "
                + "write the block as 10.0.5.0/24, or the one host as 10.0.5.7"),
            ("nodes:\n  - name: das1\n    addresses: [0.0.0.0/0]",
             "p.yaml:3: node 'das1' has the address 0.0.0.0/0, every IPv4 address: every host would count as this node and "
                + "`ports --firewall` would open the cluster-internal ports to any source; list the node's own addresses "
                + "(or declare no nodes, for rules that fit any node)"),
            ("nodes:\n  - name: das1\n    addresses: [\"::/0\"]",
             "p.yaml:3: node 'das1' has the address ::/0, every IPv6 address: every host would count as this node and "
                + "`ports --firewall` would open the cluster-internal ports to any source; list the node's own addresses "
                + "(or declare no nodes, for rules that fit any node)"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try PolicyFile.parse(text, path: "p.yaml"), text) { error in
                XCTAssertEqual("\(error)", message, text)
            }
        }
        // Network addresses, single hosts and full-length prefixes are as before.
        let fine = "nodes:\n  - name: das1\n    addresses: [10.0.0.0/8, 10.77.0.1, 10.77.0.1/32, \"fd00::/64\", \"fd00::1/128\"]"
        XCTAssertEqual(try PolicyFile.parse(fine, path: "p.yaml").nodes?.first?.addresses.map(\.description),
                       ["10.0.0.0/8", "10.77.0.1", "10.77.0.1", "fd00::/64", "fd00::1"])
    }

    func testACatalogKeyOfNoProfileIsRejectedWithItsLine() {
        XCTAssertThrowsError(try PolicyFile.parse("offset: 1\nports:\n  spark.ui.prot: 1", path: "p.yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("p.yaml:3: unknown catalog key 'spark.ui.prot'; did you mean spark.ui.port? "), "\(error)")
        }
    }

    /// Regression: the error used to name "ports" only, not the file and line.
    func testAKeyOfAnotherProfileIsRejectedWhenThePolicyIsMadeWithItsFileAndLine() throws {
        let settings = try PolicyFile.parse("offset: 1\nports:\n  spark.master.ui.port: 8090", path: "p.yaml")
        XCTAssertThrowsError(try settings.makePolicy()) { error in
            XCTAssertTrue("\(error)".hasPrefix("p.yaml:3: 'spark.master.ui.port' is not a catalog key of profile das; "), "\(error)")
        }
    }

    func testAMissingFileIsNamed() {
        XCTAssertThrowsError(try PolicyFile.load(path: "/nonexistent/policy.yaml")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/policy.yaml: no such file")
        }
    }

    func testTheExamplePolicyInTheRepositoryIsValid() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/policy.yaml").path
        let policy = try PolicyFile.load(path: path).makePolicy()
        XCTAssertFalse(policy.nodes.isEmpty)
        XCTAssertFalse(policy.waivers.isEmpty)
    }

    func testLaterSourcesWin() throws {
        var file = PolicySettings()
        file.offset = 2
        file.cores = 4
        var commandLine = PolicySettings()
        commandLine.offset = 5
        let policy = try file.overlaid(with: commandLine).makePolicy()
        XCTAssertEqual(policy.offset, 5)
        XCTAssertEqual(policy.coresPerNode, 4)
    }
}
