import Audit
import Policy
import XCTest

/// captures/qinq-bridge-any-sll2.pcap and its twin captures/qinq-bridge-trunk.pcap
/// (scripts/recording/record-kernel-links-uml.sh, Linux 6.1's bridge in User-Mode Linux):
/// `tcpdump -i any` on a provider bridge, an 802.1ad bridge with vlan_filtering whose access
/// port takes a customer's 802.1Q trunk (VLAN 100) into S-VLAN 200 and whose trunk port sends
/// it on double tagged; and, at the same moment, the customer's trunk (Ethernet, 802.1Q 100),
/// where each packet went once. The client fetches three pages from 10.233.0.2:9763, one
/// from a rogue server on 31337, connects once to 9764 where nothing listens, and makes a
/// TLS 1.3 handshake on 9443.
final class QinQBridgeCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 0))

    /// The kernel handed 42 of the bridge's packets to the cooked capture with the inner
    /// tag's last 4 bytes before the IP header (docs/inputs.md): decoded behind them, the
    /// bridge's capture audits as the trunk. Before, they were `malformed`, and where both of
    /// a packet's copies were so it was lost: 75 TCP segments for the trunk's 76, and the
    /// refused connect to 9764, its RST lost, read as unanswered.
    func testTheProviderBridgeAuditsAsTheCustomerTrunk() {
        let bridge = auditor.audit(paths: [capture("qinq-bridge-any-sll2.pcap")])
        let trunk = auditor.audit(paths: [capture("qinq-bridge-trunk.pcap")])
        XCTAssertEqual(bridge.coverage.skipped["malformed"], nil)
        XCTAssertEqual(bridge.coverage.tcpSegments, 76)
        XCTAssertEqual(trunk.coverage.tcpSegments, 76)
        func services(_ result: AuditResult) -> [String] {
            result.services.map {
                "\($0.address):\($0.port) \($0.classification.rawValue) \($0.protocol ?? "-") \($0.states) "
                    + "\($0.connections) connections, \($0.packets) packets, \($0.payloadBytes) payload bytes"
            }
        }
        XCTAssertEqual(services(bridge), services(trunk))
        XCTAssertEqual(services(bridge).count, 3, "9443, 9763 and 31337")
        func attempts(_ result: AuditResult) -> [String] {
            result.attempts.map { "\($0.address):\($0.port) refused \($0.refused) unanswered \($0.unanswered)" }
        }
        XCTAssertEqual(attempts(bridge), ["10.233.0.2:9764 refused 1 unanswered 0"])
        XCTAssertEqual(attempts(bridge), attempts(trunk))
    }
}
