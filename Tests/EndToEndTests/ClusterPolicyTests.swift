import Audit
import Foundation
import Reports
import XCTest

/// The recorded DAS 3.1 cluster at offset 4 (captures/das-cluster-offset4-lo.pcap) audited
/// with a policy file of nodes, roles and waivers, and the cluster's own configuration
/// tree (Tests/Fixtures/das-cluster-home) for offset, mode and cores.
final class ClusterPolicyTests: XCTestCase {
    let capturePath = capture("das-cluster-offset4-lo.pcap")
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    private func fixture(_ name: String) -> String { name.hasPrefix("/") ? name : fixtures.appendingPathComponent(name).path }

    private func audit(policy: String = "cluster-nodes.yaml", _ extra: [String] = []) throws -> (CommandResult, AuditResult) {
        let run = try runDasaudit(["audit", capturePath, "--policy", fixture(policy), "--das-home", fixture("das-cluster-home"),
                                   "--format", "json"] + extra)
        // Notes only: an option overriding the installation's value says so.
        XCTAssertTrue(run.stderr.split(separator: "\n").allSatisfy { $0.hasPrefix("dasaudit: note: ") }, run.stderr)
        return (run, try JSONReport.parse(Data(run.stdout.utf8)))
    }

    func testThePolicyComesFromTheFileAndTheInstallation() throws {
        let (_, result) = try audit()
        XCTAssertEqual(result.policy.profile, "das-3.1")
        XCTAssertEqual(result.policy.offset, 4, "carbon.xml")
        XCTAssertEqual(result.policy.mode, .cluster, "spark-defaults.conf carbon.spark.master")
        XCTAssertEqual(result.policy.cores, 2, "spark.worker.cores")
        XCTAssertEqual(result.policy.nodes.map(\.name), ["das1", "das2", "das3"])
        XCTAssertEqual(result.policy.nodes.map(\.executorAllowed), ["12004-12006", "12004-12005", "12004-12005"])
    }

    func testEveryServiceIsClassifiedOnItsNode() throws {
        let (_, result) = try audit()
        let classified = Dictionary(uniqueKeysWithValues: result.services.map {
            ("\($0.node ?? "-") \($0.address):\($0.port)", "\($0.classification.rawValue) \($0.catalogKey ?? "-")")
        })
        XCTAssertEqual(classified, [
            "das1 127.0.0.1:4000": "expected hazelcast.localMemberPort",
            "das1 127.0.0.1:4044": "expected spark.ui.port",
            "das1 127.0.0.1:7081": "expected spark.master.port",
            "das1 127.0.0.1:7715": "expected thrift.ssl.port",
            "das1 127.0.0.1:8085": "expected spark.master.webui.port",
            "das1 127.0.0.1:9090": "unexpected -",
            "das1 127.0.0.1:9447": "expected carbon.https.port",
            "das1 127.0.0.1:12004": "executor spark.blockManager.port",
            "das1 127.0.0.1:12005": "executor spark.blockManager.port",
            "das1 127.0.0.1:12006": "executor spark.blockManager.port",
            "das1 127.0.0.1:13004": "expected spark.driver.port",
            "das1 127.0.0.1:13005": "expected sparkDriverActorSystem",
            "das2 127.0.0.2:11004": "expected spark.worker.port",
            "das2 127.0.0.2:11504": "expected spark.worker.webui.port",
            "das2 127.0.0.2:12004": "executor spark.blockManager.port",
            "das2 127.0.0.2:12005": "executor spark.blockManager.port",
            "das2 127.0.0.2:12007": "executor-out-of-range spark.blockManager.port",
            "das2 127.0.0.2:13504": "expected spark.executor.port",
            "das3 127.0.0.3:11007": "unexpected -",
            "das3 127.0.0.3:11507": "unexpected -",
            "das3 127.0.0.3:12007": "executor-out-of-range spark.blockManager.port",
        ])
        XCTAssertEqual(result.services.first { $0.port == 11004 }?.alsoCatalogKeys, ["ha.presenter.port"],
                       "das2 is worker and presenter: both meanings hold")
    }

    func testTheFindingsOfTheCluster() throws {
        let (_, result) = try audit()
        let notable = result.findings.filter { $0.kind != .unusedOpening }.map {
            "\($0.severity.rawValue) \($0.kind.rawValue) \($0.address ?? "-"):\($0.port.map(String.init) ?? "-")\($0.isWaived ? " waived" : "")"
        }
        XCTAssertEqual(notable, [
            "high executor-out-of-range 127.0.0.2:12007",
            "high offset-mismatch 127.0.0.3:-",
            "high unexpected-port 127.0.0.1:9090 waived",
            "medium expected-service-not-answering 127.0.0.1:7615",
            "info insufficient-traffic -:-",
        ])
        let offset = result.findings.first { $0.kind == .offsetMismatch }
        XCTAssertEqual(offset?.node, "das3")
        XCTAssertTrue(offset?.message.contains("all fit port offset 7, not the cluster's 4") == true)
        XCTAssertEqual(result.attempts.map { "\($0.address):\($0.port) \($0.refused)" }, ["127.0.0.1:7615 2"])
        let unused = Set(result.unusedOpenings.map { "\($0.node ?? "-") \($0.catalogKey)" })
        XCTAssertTrue(unused.isSuperset(of: ["das1 thrift.tcp.port", "das1 spark.master.rest.port", "das3 spark.worker.port"]))
        XCTAssertFalse(unused.contains("das2 ha.management.port"), "a presenter binds no management port: HA workers do")
        XCTAssertFalse(unused.contains("das1 spark.master.port"))
        XCTAssertFalse(unused.contains("das2 ha.presenter.port"), "11004 carried traffic as worker and presenter port")
        XCTAssertEqual(result.unusedOpenings.first { $0.catalogKey == "spark.broadcast.port" }?.normallyBound, false)
    }

    func testEachFailOnLevelGivesItsExitCode() throws {
        // Open high findings: every level but never fails.
        for (level, status) in [("high", 1), ("medium", 1), ("low", 1), ("info", 1), ("never", 0)] {
            XCTAssertEqual(try audit(["--fail-on", level]).0.status, Int32(status), level)
        }
        // With the high and medium findings waived, only low and info remain.
        for (level, status) in [("high", 0), ("medium", 0), ("low", 1), ("info", 1), ("never", 0)] {
            XCTAssertEqual(try audit(policy: "cluster-waive-all-high.yaml", ["--fail-on", level]).0.status, Int32(status), level)
        }
    }

    func testAnExpiredWaiverWaivesNothingAndIsReported() throws {
        let (_, result) = try audit(policy: "cluster-waive-all-high.yaml")
        XCTAssertEqual(result.summary.waived, 4)
        let expired = result.findings.filter { $0.kind == .waiverExpired }
        XCTAssertEqual(expired.count, 1)
        XCTAssertTrue(expired.first?.message.contains("expired on 2020-01-01") == true)
        XCTAssertFalse(result.findings.contains { $0.kind == .unusedOpening && $0.node == "das3" && $0.isWaived })
    }

    func testARoleTheNodeDoesNotHaveIsARoleMismatch() throws {
        let policy = FileManager.default.temporaryDirectory.appendingPathComponent("no-receiver-\(UUID()).yaml")
        defer { try? FileManager.default.removeItem(at: policy) }
        let text = try String(contentsOfFile: fixture("cluster-nodes.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "[master, driver, receiver]", with: "[master, driver]")
        try Data(text.utf8).write(to: policy)
        let (_, result) = try audit(policy: policy.path)
        let finding = result.findings.first { $0.kind == .roleMismatch }
        XCTAssertEqual(finding?.port, 7715)
        XCTAssertEqual(finding?.node, "das1")
        XCTAssertEqual(result.services.first { $0.port == 7715 }?.classification, .notInMode)
    }

    func testClusterPortsInLocalModeAreNotInMode() throws {
        let (_, result) = try audit(["--mode", "local"])
        XCTAssertEqual(result.services.first { $0.port == 7081 }?.classification, .notInMode)
        XCTAssertTrue(result.findings.contains { $0.kind == .notInMode && $0.port == 7081 })
    }

    func testAnAllowedPortIsAllowed() throws {
        let (_, result) = try audit(["--allow", "9090:Prometheus exporter"])
        XCTAssertEqual(result.services.first { $0.port == 9090 }?.classification, .allowed)
        XCTAssertEqual(result.policy.allowedPorts.map(\.reason), ["Prometheus exporter"])
    }

    func testABadPolicyFileIsNamedWithItsLine() throws {
        let policy = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).yaml")
        defer { try? FileManager.default.removeItem(at: policy) }
        try Data("profile: das-3.1\ncores: zero\n".utf8).write(to: policy)
        let run = try runDasaudit(["audit", capturePath, "--policy", policy.path])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "dasaudit: error: \(policy.path):2: expected a number of cores: a whole number from 1 to 1024\n")
        XCTAssertEqual(run.stdout, "")
    }
}

/// `dasaudit ports` per node and as firewall rules; `dasaudit profiles`.
final class PortsAndProfilesTests: XCTestCase {
    let policy = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/cluster-nodes.yaml").path

    func testPortsArePrintedPerNode() throws {
        let run = try runDasaudit(["ports", "--policy", policy, "--offset", "4", "--mode", "cluster", "--cores", "2"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("node das2 (127.0.0.2): worker, presenter"), run.stdout)
        XCTAssertTrue(run.stdout.contains("  12004-12005  spark.blockManager.port"), run.stdout)
        XCTAssertTrue(run.stdout.contains("  12004-12006  spark.blockManager.port"), run.stdout)
    }

    func testNftablesRulesOpenOneNodesPorts() throws {
        let run = try runDasaudit(["ports", "--policy", policy, "--offset", "4", "--mode", "cluster", "--cores", "2",
                                   "--node", "das2", "--firewall", "nftables"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("table inet dasaudit {\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("    elements = { 127.0.0.1, 127.0.0.2, 127.0.0.3 }\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("    ip saddr @cluster_v4 tcp dport 12004-12005 accept comment \"spark.blockManager.port\"\n"),
                      run.stdout)
        XCTAssertFalse(run.stdout.contains("7081"), "spark.master.port is das1's")
    }

    func testPortsInJSONSayWhoMayConnect() throws {
        let run = try runDasaudit(["ports", "--offset", "2", "--mode", "cluster", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        let scopes = try XCTUnwrap(document?["scopes"] as? [[String: Any]])
        let openings = try XCTUnwrap(scopes.first?["openings"] as? [[String: Any]])
        let exposure = Dictionary(uniqueKeysWithValues: openings.map { ($0["key"] as? String ?? "", $0["exposure"] as? String ?? "") })
        XCTAssertEqual(exposure["thrift.tcp.port"], "clients")
        XCTAssertEqual(exposure["spark.master.port"], "cluster")
        XCTAssertEqual(exposure["spark.master.rest.port"], "cluster")
        let spoken = Dictionary(uniqueKeysWithValues: openings.map { ($0["key"] as? String ?? "", $0["protocol"] as? String ?? "-") })
        XCTAssertEqual(spoken["thrift.ssl.port"], "tls")
        XCTAssertEqual(spoken["spark.master.port"], "spark-rpc")
        XCTAssertEqual(spoken["ha.eventSync.port"], "-")
    }

    func testFirewallRulesNeedTheNodeWhenNodesAreDeclared() throws {
        let run = try runDasaudit(["ports", "--policy", policy, "--firewall", "iptables"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "dasaudit: error: --firewall: the policy declares nodes and each needs its own rules; "
            + "choose one with --node NAME (one of 'das1', 'das2', 'das3')\n")
        XCTAssertEqual(run.stdout, "")
        let unknown = try runDasaudit(["ports", "--policy", policy, "--firewall", "iptables", "--node", "das4"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertEqual(unknown.stderr, "dasaudit: error: --node: 'das4' is not a node of the policy; its nodes are 'das1', 'das2', 'das3'\n")
        let withoutFirewall = try runDasaudit(["ports", "--policy", policy, "--node", "das1"])
        XCTAssertEqual(withoutFirewall.status, 2)
        XCTAssertTrue(withoutFirewall.stderr.contains("--node and --include-unbound choose what --firewall writes"), withoutFirewall.stderr)
    }

    func testIptablesRulesUseTheNodesChain() throws {
        let run = try runDasaudit(["ports", "--policy", policy, "--offset", "4", "--mode", "cluster", "--node", "das1",
                                   "--firewall", "iptables"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains(
            "-A dasaudit-das1-cl -p tcp -m tcp --dport 7081 -m comment --comment \"spark.master.port\" -j ACCEPT\n"), run.stdout)
        XCTAssertTrue(run.stdout.contains("-A INPUT -p tcp -j dasaudit-das1\n"), run.stdout)
    }

    func testProfilesAreListed() throws {
        let run = try runDasaudit(["profiles"])
        for name in ["das ", "das-3.0", "das-3.1", "das-3.2", "spark "] {
            XCTAssertTrue(run.stdout.contains(name), name)
        }
        XCTAssertTrue(run.stdout.contains("(default)"))
    }
}
