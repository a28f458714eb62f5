import Foundation
import Policy
import XCTest

/// The rules of `dasaudit ports --firewall` loaded for real with `nft -f`,
/// `iptables-restore` and `ip6tables-restore` in a server namespace, and probed with TCP
/// connects from a client namespace (`NamespacePair`): the node's expected ports connect,
/// the cluster-internal ones only from the cluster's addresses, and any other port is
/// dropped (a timeout, not a refusal: something listens there).
final class FirewallNamespaceTests: XCTestCase {
    /// das1 is the server namespace, das2 the client's first addresses; the client's second
    /// addresses (192.0.2.3, ::3) belong to no node. Offset 2, so thrift.tcp.port (for
    /// clients) is 7613 and spark.master.port (cluster only) is 7079.
    static let policyText = """
        profile: das
        offset: 2
        mode: cluster
        nodes:
          - name: das1
            addresses: [\(NamespacePair.serverIPv4), "\(NamespacePair.serverIPv6)"]
            roles: [master, driver, receiver]
          - name: das2
            addresses: [\(NamespacePair.clientIPv4), "\(NamespacePair.clientIPv6)"]
            roles: [worker]
        """
    static let clientPort: UInt16 = 7613, clusterPort: UInt16 = 7079
    /// spark.history.ui.port: expected of das1, but normally unbound, so left closed.
    static let unboundPort: UInt16 = 18082
    static let strayPort: UInt16 = 31337

    var namespaces: NamespacePair!
    var directory: URL!

    override func setUpWithError() throws {
        for tool in ["nft", "iptables-restore", "ip6tables-restore", "ip", "python3"] {
            let found = try NamespacePair.run(["sh", "-c", "command -v \(tool)"], check: false)
            if found.status != 0, getuid() == 0 {
                XCTFail("\(tool) is missing: scripts/setup.sh installs nftables, iptables and iproute2")
            }
        }
        namespaces = try NamespacePair()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dasaudit-firewall-\(UUID())")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try namespaces.listen(on: [Self.clientPort, Self.clusterPort, Self.unboundPort, Self.strayPort])
        } catch {
            tearDown()
            throw error
        }
    }

    override func tearDown() {
        namespaces?.remove()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    func testNftablesRulesEnforceThePolicyOverIPv4AndIPv6() throws {
        try assertEnforced(dialect: "nftables", loader: ["nft", "-f"], families: [ipv4, ipv6])
        let tables = try namespaces.inside(namespaces.server, ["nft", "list", "tables"]).stdout
        XCTAssertEqual(tables, "table inet dasaudit\n")
    }

    func testIptablesRulesEnforceThePolicyOverIPv4() throws {
        try assertEnforced(dialect: "iptables", loader: ["iptables-restore"], families: [ipv4])
    }

    func testIp6tablesRulesEnforceThePolicyOverIPv6() throws {
        try assertEnforced(dialect: "ip6tables", loader: ["ip6tables-restore"], families: [ipv6])
    }

    /// What the header says is closed is closed, and what it says another entry opens is
    /// open: das1's rules at 600 cores, whose executor band 12002-12602 covers
    /// `spark.broadcast.port` 12502. The header listed 12502 as left closed, and it connected.
    /// A listener on the first port of every range the header names, probed from das2 (a
    /// cluster address, so only "left closed" can stop it).
    func testEveryPortTheHeaderCallsClosedTimesOut() throws {
        let policy = directory.appendingPathComponent("policy.yaml")
        try Self.policyText.write(to: policy, atomically: true, encoding: .utf8)
        let generated = try runDasaudit(["ports", "--policy", policy.path, "--node", "das1", "--cores", "600", "--firewall", "nftables"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        // The header's paragraphs, each line's text after "# " or "#   " joined.
        var paragraphs: [String] = []
        for line in generated.stdout.split(separator: "\n") where line.hasPrefix("#") {
            if line.hasPrefix("#   ") { paragraphs[paragraphs.count - 1] += " " + line.dropFirst(4) } else { paragraphs.append(String(line.dropFirst(2))) }
        }
        func firstPorts(of paragraph: String?) -> [UInt16] {
            guard let paragraph, let list = paragraph.split(separator: ":", maxSplits: 1).last else { return [] }
            return list.split(separator: ",").compactMap { UInt16($0.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }) }
        }
        let closed = firstPorts(of: paragraphs.first { $0.hasPrefix("Left closed") })
        let opened = firstPorts(of: paragraphs.first { $0.hasPrefix("Open though") })
        XCTAssertEqual(closed, [4000, 4442, 8002, 8483, 10391, 10502, 14502, 18082, 18482], generated.stdout)
        XCTAssertEqual(opened, [12502], generated.stdout)

        try namespaces.listen(on: (closed + opened).filter { $0 != Self.unboundPort })  // setUp listens there
        let rules = directory.appendingPathComponent("das1.nft")
        try generated.stdout.write(to: rules, atomically: true, encoding: .utf8)
        try namespaces.inside(namespaces.server, ["nft", "-f", rules.path])
        let probes = try namespaces.connect(in: namespaces.client, (closed + opened).map { (ipv4.client, ipv4.server, $0) })
        XCTAssertEqual(probes, Array(repeating: "timeout", count: closed.count) + ["connected"],
                       "from das2 to \(closed) (said closed) and \(opened) (said opened)\n\(generated.stdout)")
    }

    /// In client mode the executors run on the external Spark cluster, whose hosts are no
    /// node, and connect to the driver's RPC port and its block manager from there. Those
    /// ports accepted the nodes only: a real pyspark job through das1's rules hung, its
    /// executors' connects to 13002 dropped, while the audit of the same traffic called it
    /// expected. Now they accept any source, and the header says why; the UI and JMX stay
    /// the cluster's.
    func testClientModeDriverPortsAcceptTheExternalClustersExecutors() throws {
        let policy = directory.appendingPathComponent("client.yaml")
        try """
            offset: 2
            mode: client
            nodes:
              - name: das1
                addresses: [\(NamespacePair.serverIPv4), "\(NamespacePair.serverIPv6)"]
                roles: [driver, receiver]
              - name: das2
                addresses: [\(NamespacePair.clientIPv4), "\(NamespacePair.clientIPv6)"]
                roles: [driver]
            """.write(to: policy, atomically: true, encoding: .utf8)
        let generated = try runDasaudit(["ports", "--policy", policy.path, "--node", "das1", "--firewall", "nftables"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        XCTAssertTrue(generated.stdout.contains("# Mode client: the executors run on the external Spark cluster"), generated.stdout)
        let driverPort: UInt16 = 13002, blockManagerPort: UInt16 = 12002, uiPort: UInt16 = 4042, jmxPort: UInt16 = 10001
        let ports = [driverPort, blockManagerPort, uiPort, jmxPort]
        try namespaces.listen(on: ports)
        let rules = directory.appendingPathComponent("das1-client.nft")
        try generated.stdout.write(to: rules, atomically: true, encoding: .utf8)
        try namespaces.inside(namespaces.server, ["nft", "-f", rules.path])

        for family in [ipv4, ipv6] {
            let fromExecutorHost = try namespaces.connect(in: namespaces.client, ports.map { (family.outsider, family.server, $0) })
            XCTAssertEqual(fromExecutorHost, ["connected", "connected", "timeout", "timeout"],
                           "from \(family.outsider), an executor's host in no node, to \(ports)\n\(generated.stdout)")
            let fromNode = try namespaces.connect(in: namespaces.client, ports.map { (family.client, family.server, $0) })
            XCTAssertEqual(fromNode, Array(repeating: "connected", count: ports.count), "from das2 to \(ports)")
        }
    }

    /// With the external cluster named (`external_cluster`), the driver's ports accept it and
    /// the nodes, no one else: the executors' host (192.0.2.3, ::3) connects when named, and
    /// times out when the policy names another block, while das2 (a node) connects either
    /// way; the UI stays the nodes'. In both dialects of IPv4 (the iptables file's own chain
    /// for them) and in nftables over IPv6.
    func testClientModeDriverPortsAcceptTheNamedExternalClusterAlone() throws {
        let driverPort: UInt16 = 13002, blockManagerPort: UInt16 = 12002, uiPort: UInt16 = 4042
        let ports = [driverPort, blockManagerPort, uiPort]
        try namespaces.listen(on: ports)
        let cases: [(external: String, outsider: [String])] = [
            ("[\(NamespacePair.outsiderIPv4), \"\(NamespacePair.outsiderIPv6)\"]", ["connected", "connected", "timeout"]),
            ("[198.51.100.0/24, \"2001:db8:77::/64\"]", ["timeout", "timeout", "timeout"]),
        ]
        for (external, outsider) in cases {
            let policy = directory.appendingPathComponent("external.yaml")
            try """
                offset: 2
                mode: client
                nodes:
                  - name: das1
                    addresses: [\(NamespacePair.serverIPv4), "\(NamespacePair.serverIPv6)"]
                    roles: [driver, receiver]
                  - name: das2
                    addresses: [\(NamespacePair.clientIPv4), "\(NamespacePair.clientIPv6)"]
                    roles: [driver]
                external_cluster: \(external)
                """.write(to: policy, atomically: true, encoding: .utf8)
            for (dialect, loader, families) in [("nftables", ["nft", "-f"], [ipv4, ipv6]), ("iptables", ["iptables-restore"], [ipv4])] {
                let generated = try runDasaudit(["ports", "--policy", policy.path, "--node", "das1", "--firewall", dialect])
                XCTAssertEqual(generated.status, 0, generated.stderr)
                let rules = directory.appendingPathComponent("das1-external.\(dialect)")
                try generated.stdout.write(to: rules, atomically: true, encoding: .utf8)
                try namespaces.inside(namespaces.server, loader + [rules.path])
                for family in families {
                    XCTAssertEqual(try namespaces.connect(in: namespaces.client, ports.map { (family.outsider, family.server, $0) }),
                                   outsider, "\(dialect), external_cluster \(external), from \(family.outsider) to \(ports)\n\(generated.stdout)")
                    XCTAssertEqual(try namespaces.connect(in: namespaces.client, ports.map { (family.client, family.server, $0) }),
                                   ["connected", "connected", "connected"], "\(dialect), from das2 to \(ports)")
                }
                if dialect == "nftables" {
                    try namespaces.inside(namespaces.server, ["nft", "delete", "table", "inet", "dasaudit"])
                } else {
                    try namespaces.inside(namespaces.server, ["sh", "-c", "iptables -P INPUT ACCEPT && iptables -F && iptables -X"])
                }
            }
        }
    }

    /// Stock Spark's driver and block manager ports are random unless pinned, so the
    /// `spark` profile's rules cannot open them: a pyspark job through them hung, and
    /// nothing said why. The rules still drop a driver's random port, but the header and a
    /// warning name the keys to pin; pinned, they are opened and say nothing.
    func testSparkProfileRulesNameTheRandomPortsTheyCannotOpen() throws {
        let policy = directory.appendingPathComponent("stock.yaml")
        let nodes = """
            nodes:
              - name: das1
                addresses: [\(NamespacePair.serverIPv4)]
                roles: [driver]
              - name: das2
                addresses: [\(NamespacePair.clientIPv4)]
                roles: [worker]
            """
        try ("profile: spark\n" + nodes).write(to: policy, atomically: true, encoding: .utf8)
        let generated = try runDasaudit(["ports", "--policy", policy.path, "--node", "das1", "--firewall", "nftables"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let keys = "spark.driver.port, spark.blockManager.port, spark.driver.blockManager.port"
        XCTAssertTrue(generated.stderr.contains("dasaudit: warning: --firewall: Not opened, because Spark picks them at random"),
                      generated.stderr)
        XCTAssertTrue(generated.stderr.hasSuffix("as in spark-defaults.conf: \(keys)\n"), generated.stderr)
        let header = generated.stdout.split(separator: "\n").filter { $0.hasPrefix("#") }
            .map { $0.dropFirst($0.hasPrefix("#   ") ? 4 : 2) }.joined(separator: " ")
        XCTAssertTrue(header.contains("Not opened, because Spark picks them at random at every start"), header)
        XCTAssertTrue(header.contains("as in spark-defaults.conf: \(keys)"), header)

        // A driver's random port (Spark's sparkDriver took 35139 in the run) is dropped from das2.
        let randomPort: UInt16 = 35139
        try namespaces.listen(on: [randomPort, 13002])
        let rules = directory.appendingPathComponent("das1-stock.nft")
        try generated.stdout.write(to: rules, atomically: true, encoding: .utf8)
        try namespaces.inside(namespaces.server, ["nft", "-f", rules.path])
        XCTAssertEqual(try namespaces.connect(in: namespaces.client, [(ipv4.client, ipv4.server, randomPort)]), ["timeout"])

        let pinned = directory.appendingPathComponent("pinned.yaml")
        try ("profile: spark\nports:\n  spark.driver.port: 13002\n  spark.blockManager.port: 12002\n" + nodes)
            .write(to: pinned, atomically: true, encoding: .utf8)
        let opened = try runDasaudit(["ports", "--policy", pinned.path, "--node", "das1", "--firewall", "nftables"])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        XCTAssertEqual(opened.stderr, "")
        XCTAssertFalse(opened.stdout.contains("Not opened"), opened.stdout)
        try opened.stdout.write(to: rules, atomically: true, encoding: .utf8)
        try namespaces.inside(namespaces.server, ["nft", "-f", rules.path])
        XCTAssertEqual(try namespaces.connect(in: namespaces.client, [(ipv4.client, ipv4.server, 13002)]), ["connected"])
    }

    /// A node name that once ran a command from the iptables output and added a table to
    /// the nftables one loads as the same rules as any name: one table, derived chains.
    func testAnInjectedNodeNameLoadsAsNothingButTheRules() throws {
        let marker = "/tmp/dasaudit-firewall-injected"
        try? FileManager.default.removeItem(atPath: marker)
        let name = "das1\ntouch \(marker)\n#\"; } table ip evil { chain c { type filter hook input priority 0; policy accept; } }"
        let node = Node(name: name, addresses: [AddressPattern(NamespacePair.serverIPv4)!], roles: [.receiver])
        let rules = try FirewallRuleSet(policy: Policy(offset: 2, mode: .cluster, nodes: [node]), nodeName: name)

        let nft = directory.appendingPathComponent("injected.nft")
        try FirewallRules.render(rules, dialect: .nftables).write(to: nft, atomically: true, encoding: .utf8)
        try namespaces.inside(namespaces.server, ["nft", "-f", nft.path])
        XCTAssertEqual(try namespaces.inside(namespaces.server, ["nft", "list", "tables"]).stdout, "table inet dasaudit\n")

        let iptables = directory.appendingPathComponent("injected.v4")
        try FirewallRules.render(rules, dialect: .iptables).write(to: iptables, atomically: true, encoding: .utf8)
        try namespaces.inside(namespaces.server, ["iptables-restore", iptables.path])
        let chains = try namespaces.inside(namespaces.server, ["iptables", "-S"]).stdout
            .split(separator: "\n").filter { $0.hasPrefix("-N ") }
        // The node's chain and its cluster-only chain (the default profile's JMX ports face the cluster).
        XCTAssertEqual(chains.count, 2, "\(chains)")
        XCTAssertTrue(chains.allSatisfy { $0.range(of: "^-N dasaudit-das1_to\\.[0-9a-f]{8}(-cl)?$", options: .regularExpression) != nil },
                      "cut to 28 characters, with a hash: \(chains)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }

    // MARK: - Helpers

    typealias Family = (server: String, client: String, outsider: String, loopback: String)
    let ipv4: Family = (NamespacePair.serverIPv4, NamespacePair.clientIPv4, NamespacePair.outsiderIPv4, "127.0.0.1")
    let ipv6: Family = (NamespacePair.serverIPv6, NamespacePair.clientIPv6, NamespacePair.outsiderIPv6, "::1")

    /// Generates das1's rules in `dialect`, checks every port connects before they are
    /// loaded, loads them twice (re-applying must work), and probes each family.
    func assertEnforced(dialect: String, loader: [String], families: [Family],
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let policy = directory.appendingPathComponent("policy.yaml")
        try Self.policyText.write(to: policy, atomically: true, encoding: .utf8)
        let generated = try runDasaudit(["ports", "--policy", policy.path, "--node", "das1", "--firewall", dialect])
        XCTAssertEqual(generated.status, 0, generated.stderr, file: file, line: line)
        let rules = directory.appendingPathComponent("das1.\(dialect)")
        try generated.stdout.write(to: rules, atomically: true, encoding: .utf8)

        let ports = [Self.clientPort, Self.clusterPort, Self.unboundPort, Self.strayPort]
        for family in families {
            let before = try namespaces.connect(in: namespaces.client, ports.map { (family.client, family.server, $0) })
            XCTAssertEqual(before, Array(repeating: "connected", count: ports.count), "before the rules", file: file, line: line)
        }

        try namespaces.inside(namespaces.server, loader + [rules.path])
        try namespaces.inside(namespaces.server, loader + [rules.path])

        for family in families {
            let fromCluster = try namespaces.connect(in: namespaces.client, ports.map { (family.client, family.server, $0) })
            XCTAssertEqual(fromCluster, ["connected", "connected", "timeout", "timeout"],
                           "from das2 (\(family.client)) to ports \(ports)\n\(generated.stdout)", file: file, line: line)
            let fromOutside = try namespaces.connect(in: namespaces.client, [
                (family.outsider, family.server, Self.clientPort), (family.outsider, family.server, Self.clusterPort),
            ])
            XCTAssertEqual(fromOutside, ["connected", "timeout"],
                           "from \(family.outsider), in no node, to the client port and the cluster port", file: file, line: line)
            let overLoopback = try namespaces.connect(in: namespaces.server, [(nil, family.loopback, Self.strayPort)])
            XCTAssertEqual(overLoopback, ["connected"], "loopback is accepted", file: file, line: line)
        }
    }
}
