@testable import Policy
import XCTest

/// The rule sets of `dasaudit ports --firewall` as text: what each opens and to whom,
/// which node they are for, and that nothing from the policy reaches them unescaped.
/// (FirewallNamespaceTests loads them for real.)
final class FirewallRulesTests: XCTestCase {
    let das1 = Node(name: "das1", addresses: [AddressPattern("10.0.0.1")!, AddressPattern("fd00::1")!],
                    roles: [.master, .driver, .receiver])
    let das2 = Node(name: "das2", addresses: [AddressPattern("10.0.1.0/24")!], roles: [.worker])

    func cluster(_ nodes: [Node]? = nil, allowed: [UInt16: String] = [:]) -> Policy {
        Policy(offset: 2, mode: .cluster, coresPerNode: 2, allowedPorts: allowed, nodes: nodes ?? [das1, das2])
    }

    func testNftablesIsOneTableThatDropsWhatItDoesNotAccept() throws {
        let text = FirewallRules.render(try FirewallRuleSet(policy: cluster(), nodeName: "das1"), dialect: .nftables)
        let rules = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        XCTAssertEqual(Array(rules.prefix(3)), ["table inet dasaudit", "delete table inet dasaudit", "table inet dasaudit {"])
        XCTAssertEqual(rules.filter { $0.contains("table ") }.count, 3, "one table only")
        XCTAssertTrue(rules.contains("    type filter hook input priority filter; policy drop;"))
        XCTAssertTrue(rules.contains("    ct state established,related accept"))
        XCTAssertTrue(rules.contains("    iifname \"lo\" accept"))
        XCTAssertTrue(rules.contains("    elements = { 10.0.0.1, 10.0.1.0/24 }"))
        XCTAssertTrue(rules.contains("    elements = { fd00::1 }"))
        // A receiver port for every source; the master port from the cluster only, each family.
        XCTAssertTrue(rules.contains("    tcp dport 7613 accept comment \"thrift.tcp.port\""))
        XCTAssertTrue(rules.contains("    ip saddr @cluster_v4 tcp dport 7079 accept comment \"spark.master.port\""))
        XCTAssertTrue(rules.contains("    ip6 saddr @cluster_v6 tcp dport 7079 accept comment \"spark.master.port\""))
        XCTAssertTrue(rules.contains("    ip saddr @cluster_v4 tcp dport 12002-12004 accept comment \"spark.blockManager.port\""))
        XCTAssertFalse(rules.contains { $0.contains("tcp dport 7079") && !$0.contains("saddr") })
    }

    func testIptablesSendsOnlyTheClustersAddressesToTheClusterChain() throws {
        let text = FirewallRules.render(try FirewallRuleSet(policy: cluster(), nodeName: "das2"), dialect: .iptables)
        let rules = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        XCTAssertEqual(Array(rules.prefix(6)), ["*filter", ":INPUT DROP [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]",
                                                ":dasaudit-das2 - [0:0]", ":dasaudit-das2-cl - [0:0]"])
        XCTAssertEqual(rules.last, "COMMIT")
        XCTAssertEqual(rules.filter { $0.contains("-j dasaudit-das2-cl") },
                       ["-A dasaudit-das2 -s 10.0.0.1 -j dasaudit-das2-cl", "-A dasaudit-das2 -s 10.0.1.0/24 -j dasaudit-das2-cl"])
        XCTAssertTrue(rules.contains(
            "-A dasaudit-das2-cl -p tcp -m tcp --dport 11002 -m comment --comment \"spark.worker.port\" -j ACCEPT"))
        XCTAssertTrue(rules.contains(
            "-A dasaudit-das2-cl -p tcp -m tcp --dport 12002:12003 -m comment --comment \"spark.blockManager.port\" -j ACCEPT"))
        XCTAssertTrue(FirewallRules.render(try FirewallRuleSet(policy: cluster(), nodeName: "das2"), dialect: .ip6tables)
            .contains("-A dasaudit-das2 -s fd00::1 -j dasaudit-das2-cl"), "das1's IPv6 address")
        let ipv4Only = cluster([Node(name: "das1", addresses: [AddressPattern("10.0.0.1")!]), das2])
        let ipv6 = FirewallRules.render(try FirewallRuleSet(policy: ipv4Only, nodeName: "das2"), dialect: .ip6tables)
        XCTAssertFalse(ipv6.contains("dasaudit-das2-cl"), "no node has an IPv6 address: no cluster port over IPv6")
        XCTAssertTrue(ipv6.contains("# The nodes declare no IPv6 address: the cluster-internal ports stay closed over IPv6."))
        XCTAssertTrue(ipv6.contains("-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type neighbour-solicitation -j ACCEPT"))
    }

    /// A node with Hazelcast (clustering on) accepts its members' multicast joins from the
    /// cluster's addresses, and IGMP and MLD queries; a node without Hazelcast, or whose
    /// members are listed (`wka`), accepts no UDP. FirewallMulticastTests probes them for real.
    func testAClusteredNodeAcceptsTheMulticastJoinsOfTheNodes() throws {
        var clustered = cluster()
        clustered.features[.clustering] = true
        let nftables = FirewallRules.render(try FirewallRuleSet(policy: clustered, nodeName: "das1"), dialect: .nftables)
        let comment = "comment \"Hazelcast multicast membership (axis2.xml membershipScheme, mcastPort)\""
        XCTAssertTrue(nftables.contains("    ip saddr @cluster_v4 udp dport 45564 accept \(comment)\n"), nftables)
        XCTAssertTrue(nftables.contains("    ip6 saddr @cluster_v6 udp dport 45564 accept \(comment)\n"), nftables)
        XCTAssertTrue(nftables.contains("    ip protocol igmp accept"), nftables)
        XCTAssertTrue(nftables.contains("    icmpv6 type mld-listener-query accept"), nftables)
        XCTAssertTrue(nftables.contains("# Hazelcast members find each other by multicast"), nftables)
        let iptables = FirewallRules.render(try FirewallRuleSet(policy: clustered, nodeName: "das1"), dialect: .iptables)
        XCTAssertEqual(iptables.split(separator: "\n").filter { $0.contains("-p udp") }.map { $0.components(separatedBy: " -m comment")[0] },
                       ["-A INPUT -p udp -m udp --dport 45564 -s 10.0.0.1", "-A INPUT -p udp -m udp --dport 45564 -s 10.0.1.0/24"])
        XCTAssertTrue(iptables.contains("-A INPUT -p igmp -m comment"), iptables)
        let ip6tables = FirewallRules.render(try FirewallRuleSet(policy: clustered, nodeName: "das1"), dialect: .ip6tables)
        XCTAssertTrue(ip6tables.contains("-A INPUT -p udp -m udp --dport 45564 -s fd00::1 -m comment"), ip6tables)
        XCTAssertTrue(ip6tables.contains("-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 130 -m comment"), ip6tables)

        var anyNode = cluster([])
        anyNode.features[.clustering] = true
        XCTAssertTrue(FirewallRules.render(try FirewallRuleSet(policy: anyNode, nodeName: nil), dialect: .nftables)
            .contains("    udp dport 45564 accept \(comment)\n"), "no nodes declared: from any source, as the cluster ports")
        var moved = clustered
        moved.hazelcastMembership = .multicast(port: 54327)
        XCTAssertEqual(try FirewallRuleSet(policy: moved, nodeName: "das1").multicastMembershipPort, 54327)

        var listed = clustered
        listed.hazelcastMembership = .wellKnownAddresses
        for (policy, why) in [(listed, "wka"), (cluster(), "clustering not said on: no Hazelcast port opened")] {
            XCTAssertNil(try FirewallRuleSet(policy: policy, nodeName: "das1").multicastMembershipPort, why)
            XCTAssertFalse(FirewallRules.render(try FirewallRuleSet(policy: policy, nodeName: "das1"), dialect: .nftables)
                .contains("udp"), why)
        }
    }

    func testAllowedPortsAreOpenToEverySource() throws {
        let set = try FirewallRuleSet(policy: cluster(allowed: [22: "operator ssh"]), nodeName: "das2")
        XCTAssertEqual(set.clientOpenings.first, FirewallRuleSet.Opening(ports: 22...22, labels: ["allowed: operator ssh"]))
    }

    func testWithoutNodesOneGenericSetOpensEveryPortToAll() throws {
        let set = try FirewallRuleSet(policy: cluster([]), nodeName: nil)
        XCTAssertNil(set.clusterAddresses)
        let text = FirewallRules.render(set, dialect: .nftables)
        XCTAssertTrue(text.contains("# dasaudit: inbound rules for any DAS node, profile das, offset 2, mode cluster, 2 cores per node."))
        XCTAssertTrue(text.contains("    tcp dport 7079 accept comment \"spark.master.port\""))
        XCTAssertTrue(FirewallRules.render(set, dialect: .iptables).contains(":dasaudit-any-node - [0:0]"))
    }

    func testTheNodeMustBeNamedWhenNodesAreDeclaredAndOnlyThen() {
        XCTAssertThrowsError(try FirewallRuleSet(policy: cluster(), nodeName: nil)) { error in
            XCTAssertEqual("\(error)", "--firewall: the policy declares nodes and each needs its own rules; "
                + "choose one with --node NAME (one of 'das1', 'das2')")
        }
        XCTAssertThrowsError(try FirewallRuleSet(policy: cluster(), nodeName: "das9")) { error in
            XCTAssertEqual("\(error)", "--node: 'das9' is not a node of the policy; its nodes are 'das1', 'das2'")
        }
        XCTAssertThrowsError(try FirewallRuleSet(policy: cluster([]), nodeName: "das1")) { error in
            XCTAssertTrue("\(error)".hasPrefix("--node: 'das1' is not a node of the policy: it declares none"))
        }
    }

    func testNormallyUnboundPortsStayClosedUnlessAsked() throws {
        let closed = try FirewallRuleSet(policy: cluster(), nodeName: "das1")
        XCTAssertFalse(closed.clusterOpenings.contains { $0.ports.contains(18082) }, "spark.history.ui.port: DAS never starts one")
        // Conditional ports whose feature is not said on (Hazelcast, embedded LDAP, the UIs' HTTPS) stay closed too.
        XCTAssertEqual(closed.leftOut.map(\.ports.lowerBound), [4000, 4442, 8002, 8483, 10391, 10502, 12502, 14502, 18082, 18482])
        XCTAssertTrue(FirewallRules.render(closed, dialect: .nftables).contains("""
            # Left closed, normally unbound or needing a feature the policy does not say is on (--include-unbound opens
            #   them): 4000-4015 hazelcast.localMemberPort, 4442 spark.ui.https.port, 8002 Ports.EmbeddedLDAP.KDCServerPort,
            #   8483 spark.master.webui.https.port, 10391 Ports.EmbeddedLDAP.LDAPServerPort,
            #   10502 Ports.ThriftEntitlementReceivePort, 12502 spark.broadcast.port, 14502 spark.replClassServer.port,
            #   18082 spark.history.ui.port, 18482 spark.history.ui.https.port
            table inet dasaudit
            """))
        let open = try FirewallRuleSet(policy: cluster(), nodeName: "das1", includeUnbound: true)
        XCTAssertTrue(open.clusterOpenings.contains { $0.ports == 18082...18082 })
        XCTAssertTrue(open.leftOut.isEmpty)
    }

    /// The header lists every closed port: it was one line cut at 400 characters, so at
    /// offset 0 without nodes it ended at `14500 spark.replClass...` and never named 18080,
    /// which stays closed. Now it wraps between items and cuts nothing.
    func testTheHeaderListsEveryClosedPortAndCutsNothing() throws {
        let set = try FirewallRuleSet(policy: Policy(offset: 0, mode: .cluster), nodeName: nil)
        for dialect in FirewallRules.Dialect.allCases {
            let header = FirewallRules.render(set, dialect: dialect).split(separator: "\n").filter { $0.hasPrefix("#") }
            XCTAssertFalse(header.contains { $0.contains("...") }, "\(header)")
            XCTAssertTrue(header.allSatisfy { $0.count <= 4 + FirewallText.commentWidth }, "\(header)")
            let text = header.map { $0.dropFirst($0.hasPrefix("#   ") ? 4 : 2) }.joined(separator: " ")
            for closed in set.leftOut {
                XCTAssertTrue(text.contains("\(closed.ports.portText) \(closed.labels.joined(separator: " / "))"), "\(closed)")
            }
            XCTAssertTrue(text.hasSuffix("14500 spark.replClassServer.port, 18080 spark.history.ui.port, "
                + "18480 spark.history.ui.https.port "
                + "Open though normally unbound or off, because a rule for another entry opens the same port: "
                + "11000 ha.presenter.port (opened as spark.worker.port)"), text)
        }
    }

    /// A port another entry's rule opens is never called closed: 11000 is `ha.presenter.port`
    /// (HA off, left out) and `spark.worker.port` (opened); 600 cores make the executor band
    /// 12000-12600, over `spark.broadcast.port` 12500; an allowed port inside Hazelcast's
    /// 4000-4015 cuts that range in two.
    func testAPortAnotherRuleOpensIsNotListedAsClosed() throws {
        let policy = Policy(offset: 0, mode: .cluster, coresPerNode: 600, allowedPorts: [4005: "agent"])
        let set = try FirewallRuleSet(policy: policy, nodeName: nil)
        let opened = (set.clientOpenings + set.clusterOpenings).map(\.ports)
        for closed in set.leftOut {
            XCTAssertFalse(opened.contains { $0.overlaps(closed.ports) }, "\(closed) is listed closed but a rule opens it")
        }
        XCTAssertEqual(set.leftOut.prefix(2).map(\.ports), [4000...4004, 4006...4015])
        XCTAssertEqual(set.openedByOthers, [
            .init(ports: 4005...4005, labels: ["hazelcast.localMemberPort"], openedAs: ["allowed: agent"]),
            .init(ports: 11000...11000, labels: ["ha.presenter.port"], openedAs: ["spark.worker.port"]),
            .init(ports: 12500...12500, labels: ["spark.broadcast.port"], openedAs: ["spark.blockManager.port"]),
        ])
        let text = FirewallRules.render(set, dialect: .nftables)
        XCTAssertTrue(text.contains("""
            # Open though normally unbound or off, because a rule for another entry opens the same port:
            #   4005 hazelcast.localMemberPort (opened as allowed: agent),
            #   11000 ha.presenter.port (opened as spark.worker.port),
            #   12500 spark.broadcast.port (opened as spark.blockManager.port)
            """), text)
    }

    /// The injection of the old output: a newline in a node name ended the comment and the
    /// next line ran as a command; quotes in a reason ended a comment string.
    func testPolicyTextNeverReachesTheRulesRaw() throws {
        let name = "das1\ntouch /tmp/x\n#\"; } table ip evil {"
        let node = Node(name: name, addresses: [AddressPattern("10.0.0.1")!])
        let policy = cluster([node], allowed: [22: "ssh\" accept\n-A INPUT -j ACCEPT #"])
        let set = try FirewallRuleSet(policy: policy, nodeName: name)
        for dialect in FirewallRules.Dialect.allCases {
            let text = FirewallRules.render(set, dialect: dialect)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                XCTAssertFalse(line.hasPrefix("touch") || line.hasPrefix("-A INPUT -j ACCEPT"), "\(dialect): \(line)")
                XCTAssertFalse(line.contains("evil") && !line.hasPrefix("#"), "\(dialect): \(line)")
                XCTAssertEqual(line.filter { $0 == "\"" }.count % 2, 0, "\(dialect): quotes pair up in \(line)")
            }
            XCTAssertTrue(text.contains("# dasaudit: inbound rules for node das1?touch /tmp/x???? ? table ip evil ? (10.0.0.1)"),
                          text)
            XCTAssertTrue(text.contains("\"allowed: ssh? accept?-A INPUT -j ACCEPT ?\""), text)
        }
    }

    func testChainNamesFitIptablesAndStayDistinct() {
        let names = ["a-b", "a_b", "a b", "a.b", "das-node-in-the-east-region-1", "das-node-in-the-east-region-2", "", "ACCEPT"]
        let chains = names.map { IptablesRules.chainNames(for: $0) }
        XCTAssertEqual(Set(chains.map(\.node)).count, names.count, "\(chains)")
        for chain in chains {
            XCTAssertLessThanOrEqual(chain.node.count, IptablesRules.maximumChainLength, chain.node)
            XCTAssertLessThanOrEqual(chain.cluster.count, IptablesRules.maximumChainLength, chain.cluster)
            XCTAssertTrue(chain.node.hasPrefix("dasaudit-"))
        }
        XCTAssertEqual(chains[0].node, "dasaudit-a-b")
        XCTAssertEqual(chains[1].node, "dasaudit-a_b")
        XCTAssertTrue(chains[2].node.hasPrefix("dasaudit-a_b."), chains[2].node)
        XCTAssertEqual(IptablesRules.chainNames(for: "a b").node, chains[2].node, "the same name, the same chain on every run")
    }

    func testCommentsKeepOnlySafeCharacters() {
        XCTAssertEqual(FirewallText.comment("spark.master.port, allowed: ssh (ops) 1/2"), "spark.master.port, allowed: ssh (ops) 1/2")
        XCTAssertEqual(FirewallText.comment("a\"b\\c\nd#e;f{g}'h`i$j\u{0}k"), "a?b?c?d?e?f?g??h?i?j?k")
        XCTAssertEqual(FirewallText.comment(String(repeating: "x", count: 200)).count, 120)
    }
}
