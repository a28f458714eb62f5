import Audit
import Foundation
import Policy
import Wire
import XCTest

/// The audit and the firewall rules of one policy agree port for port: every connection the
/// audit of a real capture calls expected (or an executor's) is one the node's rules let in,
/// from the address it came from. On captures/client-mode-driver-veth-s200.pcap
/// (scripts/recording/record-client-mode-driver.sh): a DAS node, 10.40.0.2, runs a pyspark
/// driver in client mode (spark.driver.port 13002, its block manager 12002, offset 2)
/// against a real Spark 4.3.0 cluster on 10.40.0.1, which is no node of the policy: its two
/// executors connect to 13002 (4 connections) and 12002 (2).
final class FirewallAuditAgreementTests: XCTestCase {
    static let policyText = """
        offset: 2
        mode: client
        cores: 2
        nodes:
          - name: das1
            addresses: [10.40.0.2]
            roles: [driver, receiver]
        dependencies:
          - name: spark-master
            address: 10.40.0.1
            port: 7079
            reason: the external Spark cluster's master
        """

    /// The audit called the executors' connections to the driver expected and the capture
    /// compliant, while das1's rules accepted 13002 and 12002 from das1's own address only:
    /// through them a real job hung, every executor's connect dropped.
    func testEveryConnectionTheAuditExpectsTheRulesLetIn() throws {
        let policy = try PolicyFile.parse(Self.policyText, path: "client.yaml").makePolicy()
        let result = Auditor(policy: policy).audit(paths: [capture("client-mode-driver-veth-s200.pcap")])
        let rules = try FirewallRuleSet(policy: policy, nodeName: "das1")
        let expected = result.services.filter { $0.node == "das1" && [.expected, .executor].contains($0.classification) }
        XCTAssertEqual(expected.map { "\($0.port) \($0.classification.rawValue) \($0.connections)" }.sorted(),
                       ["12002 executor 2", "13002 expected 4"])

        for service in expected {
            for client in service.sampleClients {
                let address = try XCTUnwrap(IPAddress(client))
                let fromAnyone = rules.clientOpenings.contains { $0.ports.contains(service.port) }
                let fromCluster = rules.clusterOpenings.contains { $0.ports.contains(service.port) }
                    && (rules.clusterAddresses?.contains { $0.contains(address) } ?? true)
                XCTAssertTrue(fromAnyone || fromCluster,
                              "\(client) -> \(service.address):\(service.port) is \(service.classification.rawValue) "
                              + "in the audit but dropped by das1's rules")
            }
        }
    }

    /// The two-host Spark capture (scripts/recording/record-spark43-two-hosts.sh: das1 =
    /// 10.30.0.1 runs the master, a worker, the history server and the drivers, das2 =
    /// 10.30.0.2 a worker) under a policy that declares das1 alone.
    static func sparkPolicy(declaringDas2: Bool) -> String {
        """
        offset: 2
        mode: cluster
        cores: 2
        features: {shuffle-service: on, cluster-deploy-mode: on}
        ports: {spark.shuffle.service.port: 7337}
        nodes:
          - name: das1
            addresses: [10.30.0.1]
            roles: [master, driver, worker]
        """ + (declaringDas2 ? "\n  - name: das2\n    addresses: [10.30.0.2]\n    roles: [worker, driver]\n" : "\n")
    }

    /// The other way round: every connection das1's rules would drop, from a client that is no
    /// node to a port they open to the cluster only, is a finding. Before, das2's worker
    /// using das1's master, shuffle service, UIs, driver and block managers was expected
    /// and nothing said that das1's rules would drop all of it.
    func testEveryConnectionTheRulesWouldDropIsAFinding() throws {
        let policy = try PolicyFile.parse(Self.sparkPolicy(declaringDas2: false), path: "das1.yaml").makePolicy()
        let result = Auditor(policy: policy).audit(paths: [capture("spark43-cluster-deploy-veth-s200.pcap")])
        let rules = try FirewallRuleSet(policy: policy, nodeName: "das1", includeUnbound: true)
        let outside = result.findings.filter { $0.kind == .clientOutsideCluster }

        var dropped: [UInt16] = []
        for service in result.services where service.node == "das1" && [.expected, .executor].contains(service.classification) {
            let clusterOnly = !rules.clientOpenings.contains { $0.ports.contains(service.port) }
            let strangers = try service.sampleClients.filter { client in
                let address = try XCTUnwrap(IPAddress(client))
                return !(rules.clusterAddresses ?? []).contains { $0.contains(address) }
            }
            if clusterOnly && !strangers.isEmpty { dropped.append(service.port) }
        }
        XCTAssertEqual(dropped, [7079, 7339, 8083, 12002, 12003, 13002, 13003, 18082], "tshark: das2's connections to das1")
        XCTAssertEqual(outside.map { $0.port ?? 0 }.sorted(), dropped)
        for finding in outside {
            XCTAssertEqual(finding.severity, .medium)
            XCTAssertEqual(finding.node, "das1")
            XCTAssertEqual(finding.address, "10.30.0.1")
            XCTAssertTrue(finding.message.contains("its one client is no declared node: 10.30.0.2; node das1's firewall rules"),
                          finding.message)
        }
        XCTAssertEqual(outside.first?.message.hasPrefix("10.30.0.1:7079 (spark.master.port) is open to the cluster's nodes only"), true)
        XCTAssertFalse(result.summary.compliant)
    }

    func testDeclaringTheOtherHostAsANodeLeavesNoClientOutside() throws {
        let policy = try PolicyFile.parse(Self.sparkPolicy(declaringDas2: true), path: "both.yaml").makePolicy()
        let result = Auditor(policy: policy).audit(paths: [capture("spark43-cluster-deploy-veth-s200.pcap")])
        XCTAssertFalse(result.findings.contains { $0.kind == .clientOutsideCluster },
                       "\(result.findings.filter { $0.kind == .clientOutsideCluster }.map(\.message))")
    }

    /// In client mode the external cluster's executors call the driver back on ports the
    /// rules open to every source: they are no node, and no finding.
    func testTheExternalExecutorsOfClientModeAreNoClientOutside() throws {
        let policy = try PolicyFile.parse(Self.policyText, path: "client.yaml").makePolicy()
        let result = Auditor(policy: policy).audit(paths: [capture("client-mode-driver-veth-s200.pcap")])
        XCTAssertEqual(result.services.first { $0.port == 13002 }?.sampleClients, ["10.40.0.1"])
        XCTAssertFalse(result.findings.contains { $0.kind == .clientOutsideCluster })
    }

    /// With the external cluster named, its executors calling the driver back are no finding;
    /// with another block named, each callback port they used is one, as das1's rules then
    /// drop them.
    func testTheNamedExternalClusterIsTheOnlyOutsideCaller() throws {
        for (external, expected) in [("[10.40.0.1]", [UInt16]()), ("[10.40.9.0/24]", [12002, 13002])] {
            let text = Self.policyText.replacingOccurrences(of: "dependencies:", with: "external_cluster: \(external)\ndependencies:")
            let policy = try PolicyFile.parse(text, path: "client.yaml").makePolicy()
            let result = Auditor(policy: policy).audit(paths: [capture("client-mode-driver-veth-s200.pcap")])
            let outside = result.findings.filter { $0.kind == .clientOutsideCluster }
            XCTAssertEqual(outside.compactMap(\.port).sorted(), expected, external)
            XCTAssertTrue(outside.allSatisfy { $0.message.contains("the external Spark cluster (external_cluster) only, but its one "
                + "client is neither: 10.40.0.1") }, "\(outside.map(\.message))")
            XCTAssertEqual(result.policy.externalCluster, [String(external.dropFirst().dropLast())])
        }
    }

    func testAnAllowedPortFacesEveryoneAndAWaiverCoversOnePort() throws {
        let text = Self.sparkPolicy(declaringDas2: false) + """
            allow:
              - port: 8083
                reason: operators read the master UI from their desks
            waivers:
              - kind: client-outside-cluster
                port: 7079
                host: das1
                reason: the second worker joins the cluster next month
                expires: 2099-12-31
            """
        let policy = try PolicyFile.parse(text, path: "allowed.yaml").makePolicy()
        let result = Auditor(policy: policy).audit(paths: [capture("spark43-cluster-deploy-veth-s200.pcap")])
        let outside = result.findings.filter { $0.kind == .clientOutsideCluster }
        XCTAssertFalse(outside.contains { $0.port == 8083 }, "allowed: open to every source")
        XCTAssertEqual(outside.first { $0.port == 7079 }?.waiver?.reason, "the second worker joins the cluster next month")
        XCTAssertEqual(outside.filter { !$0.isWaived }.count, 6)
    }
}
