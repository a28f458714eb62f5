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
}
