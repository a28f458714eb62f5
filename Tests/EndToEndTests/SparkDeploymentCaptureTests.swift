import Audit
import Foundation
import Reports
import XCTest

/// Spark features operators turn on, on real two-host Spark 4.3.0 standalone clusters laid
/// out as DAS lays them out (offset 2; das1 = 10.30.0.1 runs the master, a worker, the
/// history server and the drivers; das2 = 10.30.0.2 a worker; 2 cores each), recorded by
/// scripts/recording/record-spark43-two-hosts.sh:
/// - captures/spark43-cluster-deploy-veth-s200.pcap (das1's veth): two client-mode PySpark
///   applications at once, then a Java application submitted with `--deploy-mode cluster`,
///   whose driver ran on das2 ('Driver' on 13002, then 'sparkDriver' on 13003);
/// - captures/spark43-pyspark-any-s120.pcap (`tcpdump -i any` on das1, its loopback
///   connections and port 13003): PySpark's Py4J gateway and local servers on 127.0.0.1;
/// - captures/spark43-two-apps-veth-s200.pcap: the two applications alone, without a
///   shuffle service, so executors serve shuffle blocks from their block managers.
final class SparkDeploymentCaptureTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    private func audit(_ name: String, _ options: [String]) throws -> AuditResult {
        let run = try runDasaudit(["audit", capture(name), "--format", "json"] + options)
        return try JSONReport.parse(Data(run.stdout.utf8))
    }

    private func service(_ result: AuditResult, _ endpoint: String) -> ServiceSummary? {
        result.servicesByEndpoint[endpoint]
    }

    /// das1 and das2 at offset 2, in cluster mode with 2 cores and the shuffle service on
    /// 7339 (its key set to 7337, which the offset moves); `features` and the roles are the test's.
    private func policy(das1: String, das2: String, features: String = "") throws -> String {
        try policyFile("""
            offset: 2
            mode: cluster
            cores: 2
            features: {shuffle-service: on\(features)}
            ports: {spark.shuffle.service.port: 7337}
            nodes:
              - name: das1
                addresses: [10.30.0.1]
                roles: [\(das1)]
              - name: das2
                addresses: [10.30.0.2]
                roles: [\(das2)]

            """)
    }

    // MARK: - Cluster deploy mode

    func testClusterDeployModeExpectsTheDriverOneAboveTheDriverPort() throws {
        let said = try policy(das1: "master, driver, worker", das2: "worker, driver", features: ", cluster-deploy-mode: on")
        let result = try audit("spark43-cluster-deploy-veth-s200.pcap", ["--policy", said])
        let driver = try XCTUnwrap(service(result, "10.30.0.2:13003"))
        XCTAssertEqual(driver.classification, .expected)
        XCTAssertEqual(driver.catalogKey, "sparkDriver.clusterDeployMode")
        XCTAssertEqual(driver.connections, 3, "tshark: 3 SYN-ACKs from 10.30.0.2:13003 (the executors)")
        XCTAssertFalse(result.findings.contains { $0.address == "10.30.0.2" && $0.port == 13003 },
                       "\(result.findings.filter { $0.port == 13003 })")
    }

    func testClusterDeployModeUnsaidLeavesTheDriverARetryNamingBothCauses() throws {
        // Before: a high unexpected-port whose hint named a retry only ("found 13002 busy"),
        // sending the operator after a second application that did not exist.
        let unsaid = try policy(das1: "master, driver, worker", das2: "worker, driver")
        let result = try audit("spark43-cluster-deploy-veth-s200.pcap", ["--policy", unsaid])
        XCTAssertEqual(service(result, "10.30.0.2:13003")?.classification, .unexpected)
        let finding = try XCTUnwrap(result.findings.first { $0.address == "10.30.0.2" && $0.port == 13003 })
        XCTAssertEqual(finding.severity, .high)
        XCTAssertTrue(finding.message.contains("spark.driver.port+1: a Spark port retry (the service found 13002 busy), "
            + "or sparkDriver.clusterDeployMode: the driver of a --deploy-mode cluster application"), finding.message)
    }

    func testTheFirewallOfADriverWorkerOpensTheClusterModeDriver() throws {
        let said = try policy(das1: "master, driver, worker", das2: "worker, driver", features: ", cluster-deploy-mode: on")
        let rules = try runDasaudit(["ports", "--policy", said, "--node", "das2", "--firewall", "nftables"]).stdout
        XCTAssertTrue(rules.contains("tcp dport 13002 accept"), rules)
        XCTAssertTrue(rules.contains("tcp dport 13003 accept comment \"sparkDriver.clusterDeployMode\""), rules)
        let unsaid = try policy(das1: "master, driver, worker", das2: "worker, driver")
        let before = try runDasaudit(["ports", "--policy", unsaid, "--node", "das2", "--firewall", "nftables"]).stdout
        XCTAssertFalse(before.contains("dport 13003"), "client mode never binds it")
    }

    // MARK: - Loopback-only servers

    func testPySparksLoopbackServersAreHostLocalWhenNodesAreDeclared() throws {
        let nodes = try policy(das1: "master, driver, worker", das2: "worker")
        let result = try audit("spark43-pyspark-any-s120.pcap", ["--policy", nodes])
        let loopback = result.services.filter { $0.address == "127.0.0.1" }
        XCTAssertEqual(loopback.count, 12, "tshark: 12 servers on 127.0.0.1, each a high unexpected-port before")
        XCTAssertEqual(Set(loopback.map(\.classification)), [.hostLocal])
        XCTAssertEqual(result.summary.classifications["host-local"], 12)
        XCTAssertFalse(result.findings.contains { $0.address == "127.0.0.1" }, "\(result.findings.filter { $0.address == "127.0.0.1" })")
        // A server on a node's real address is judged as always: das1's second driver.
        XCTAssertEqual(service(result, "10.30.0.1:13003")?.classification, .unexpected)
        XCTAssertTrue(result.findings.contains { $0.address == "10.30.0.1" && $0.port == 13003 && $0.severity == .high })
    }

    func testLoopbackServersStayUnexpectedWithoutNodesOrWithLoopbackNodes() throws {
        let bare = try audit("spark43-pyspark-any-s120.pcap", ["--offset", "2", "--mode", "cluster", "--cores", "2"])
        XCTAssertEqual(bare.services.filter { $0.address == "127.0.0.1" && $0.classification == .unexpected }.count, 12)
        // The bundled one-host cluster: its nodes are loopback addresses, so loopback is the
        // cluster's network. The rogue on 127.0.0.4 (a client is das1) stays a finding, and
        // the PySpark ports on das1's own address stay unexpected.
        let oneHost = try policyFile("""
            offset: 2
            mode: cluster
            cores: 2
            nodes:
              - {name: das1, addresses: [127.0.0.1], roles: [master, driver]}
              - {name: das2, addresses: [127.0.0.2], roles: [worker]}

            """)
        let result = try audit("spark-cluster-offset2-lo.pcap", ["--policy", oneHost])
        XCTAssertEqual(result.summary.classifications["host-local"], 0)
        XCTAssertEqual(service(result, "127.0.0.4:31337")?.classification, .undeclaredDependency)
        XCTAssertTrue(result.findings.contains { $0.address == "127.0.0.4" && $0.port == 31337 })
        XCTAssertEqual(service(result, "127.0.0.1:45335")?.classification, .unexpected)
        let rogue = try audit("spark-cluster-offset2-lo.pcap", ["--offset", "2", "--mode", "cluster", "--cores", "2"])
        XCTAssertEqual(rogue.findings.first { $0.address == "127.0.0.4" }?.severity, .high, "the demo's rogue")
    }

    // MARK: - The history server

    func testTheHistoryServerOnTheMastersHostIsNoRoleMismatch() throws {
        // Before: a medium role-mismatch, the history server tied to the driver role.
        let masterOnly = try policy(das1: "master, worker", das2: "worker")
        let result = try audit("spark43-cluster-deploy-veth-s200.pcap", ["--policy", masterOnly])
        XCTAssertEqual(service(result, "10.30.0.1:18082")?.classification, .expected)
        XCTAssertFalse(result.findings.contains { $0.port == 18082 }, "\(result.findings.filter { $0.port == 18082 })")
    }

    func testStockSparkRequiresAndOpensTheHistoryServerOnlyWhenSaid() throws {
        // Before: under --profile spark an unused 18080 was a low finding and the firewall
        // opened it, though stock Spark starts no history server.
        let stock = try audit("spark43-execs-s200.pcap", ["--profile", "spark", "--cores", "4"])
        let unused = try XCTUnwrap(stock.unusedOpenings.first { $0.port == 18080 })
        XCTAssertFalse(unused.normallyBound)
        XCTAssertEqual(stock.findings.first { $0.port == 18080 }?.severity, .info)
        let closed = try runDasaudit(["ports", "--profile", "spark", "--firewall", "nftables"]).stdout
        XCTAssertFalse(closed.contains("dport 18080"), closed)
        let said = try policyFile("profile: spark\nfeatures: {history-server: on}\n")
        XCTAssertTrue(try runDasaudit(["ports", "--policy", said, "--firewall", "nftables"]).stdout.contains("tcp dport 18080 accept"))
        let on = try audit("spark43-execs-s200.pcap", ["--policy", said])
        XCTAssertEqual(on.findings.first { $0.port == 18080 }?.severity, .low, "said on, it should be running")
    }

    // MARK: - The REST submission server

    func testRESTTurnedOffInSparkDefaultsIsNeitherExpectedNorOpened() throws {
        try assertTurnedOff(inDASHome: "das-home-rest-off", feature: "rest-submission", port: 6068, stillListed: "7079")
    }

    func testRESTSaidOffMakesItsTrafficNotInMode() throws {
        // The bundled capture asked 127.0.0.1:6068 once (GET /v1/submissions/status/none).
        let off = try policyFile("offset: 2\nmode: cluster\ncores: 2\nfeatures: {rest-submission: off}\n")
        let result = try audit("spark-cluster-offset2-lo.pcap", ["--policy", off])
        XCTAssertEqual(service(result, "127.0.0.1:6068")?.classification, .notInMode)
        let finding = try XCTUnwrap(result.findings.first { $0.port == 6068 })
        XCTAssertTrue(finding.message.contains("spark.master.rest.enabled"), finding.message)
    }

    // MARK: - The application UI

    func testUITurnedOffInSparkDefaultsIsNeitherExpectedNorOpened() throws {
        try assertTurnedOff(inDASHome: "das-home-ui-off", feature: "spark-ui", port: 4042, stillListed: "13002")
    }

    func testUISaidOffMakesItsTrafficNotInMode() throws {
        // The bundled capture's driver served its UI on 127.0.0.1:4042.
        let off = try policyFile("offset: 2\nmode: cluster\ncores: 2\nfeatures: {spark-ui: off}\n")
        let result = try audit("spark-cluster-offset2-lo.pcap", ["--policy", off])
        XCTAssertEqual(service(result, "127.0.0.1:4042")?.classification, .notInMode)
        let finding = try XCTUnwrap(result.findings.first { $0.port == 4042 })
        XCTAssertTrue(finding.message.contains("spark.ui.enabled"), finding.message)
    }

    /// A feature spark-defaults.conf turns off in the DAS home `fixture`: its `port` is not
    /// listed (`stillListed` is), not an unused opening on a real capture, and not opened by
    /// the firewall rules; without the home the port is on.
    private func assertTurnedOff(inDASHome fixture: String, feature: String, port: UInt16, stillListed: String,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        let home = fixtures.appendingPathComponent(fixture).path
        let listing = try runDasaudit(["ports", "--das-home", home]).stdout
        XCTAssertFalse(listing.contains("\(port)"), listing, file: file, line: line)
        XCTAssertTrue(listing.contains(stillListed), listing, file: file, line: line)
        let result = try audit("spark43-cluster-deploy-veth-s200.pcap", ["--das-home", home])
        XCTAssertEqual(result.policy.features?[feature], false, file: file, line: line)
        XCTAssertFalse(result.unusedOpenings.contains { $0.port == port }, "before: a low unused opening", file: file, line: line)
        let rules = try runDasaudit(["ports", "--das-home", home, "--firewall", "nftables"]).stdout
        XCTAssertFalse(rules.contains("dport \(port)"), rules, file: file, line: line)
        XCTAssertTrue(try runDasaudit(["ports", "--offset", "2", "--mode", "cluster"]).stdout.contains("\(port)"),
                      "on unless said off", file: file, line: line)
    }

    // MARK: - Two applications at once

    func testARetryHintDoesNotContradictItself() throws {
        let result = try audit("spark43-two-apps-veth-s200.pcap",
                               ["--policy", try policy(das1: "master, driver, worker", das2: "worker")])
        let finding = try XCTUnwrap(result.findings.first { $0.address == "10.30.0.1" && $0.port == 13003 })
        XCTAssertTrue(finding.message.contains("the service found 13002 busy"), finding.message)
        XCTAssertTrue(finding.message.hasSuffix("; it speaks Spark RPC)"), finding.message)
        XCTAssertFalse(finding.message.contains("no configuration pinned"), finding.message)
        XCTAssertFalse(finding.message.contains("spark.port.maxRetries"), finding.message)
    }

    func testAnExecutorPushedUpByASecondDriverNamesThatCause() throws {
        // das1's 2-core worker ran 2 executors (12003, 12005); 12002 and 12004 were the two
        // drivers' block managers (Spark's logs).
        let result = try audit("spark43-two-apps-veth-s200.pcap",
                               ["--policy", try policy(das1: "master, driver, worker", das2: "worker")])
        let finding = try XCTUnwrap(result.findings.first { $0.kind == .executorOutOfRange })
        XCTAssertEqual(finding.port, 12005)
        XCTAssertTrue(finding.message.contains("a second driver on this host (two applications at once)"), finding.message)
        XCTAssertTrue(finding.remediation.contains("second application's driver"), finding.remediation)
    }

    private func policyFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sparkdeploy-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
