import Audit
import Policy
import XCTest

/// captures/mpls-labelled-veth.pcap (scripts/recording/record-kernel-links-uml.sh): the link
/// of a host whose routes push MPLS labels (Linux 6.1's `mpls_iptunnel`, `ip route add ...
/// encap mpls 100`), recorded with tcpdump. Its router pops label 100 towards the server
/// 10.236.2.2 and swaps the server's label 200 to 201, which the host pops: both directions
/// of the link are labelled. The host fetches three pages from 9763 (carbon.http.port at
/// offset 0), one from a rogue server on 31337, connects once to 9764 where nothing
/// listens, and makes a TLS 1.3 handshake on 9443; two fetches from the router itself,
/// 10.236.1.254:9763, go unlabelled. tshark (`-z conv,tcp`): 8 TCP conversations, 105
/// packets.
final class MPLSCaptureTests: XCTestCase {
    func audit() -> AuditResult {
        Auditor(policy: Policy(offset: 0)).audit(paths: [capture("mpls-labelled-veth.pcap")])
    }

    /// Every labelled connection is audited, the rogue one among them, and the audit fails.
    /// Before, the 79 labelled packets were `not-ip`: 2 connections (the router's), no
    /// finding but the unused openings, COMPLIANT, exit 0.
    func testTheLabelledConnectionsAreAuditedAndTheRogueServiceFound() {
        let result = audit()
        XCTAssertEqual(result.coverage.tcpSegments, 105)
        XCTAssertEqual(result.coverage.connections, 8)
        XCTAssertEqual(result.coverage.skipped, ["not-ip": 2], "the two ARP packets only")
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections) \($0.protocol ?? "-")" }, [
            "10.236.1.254:9763 2 http", "10.236.2.2:9443 1 tls", "10.236.2.2:9763 3 http", "10.236.2.2:31337 1 http",
        ])
        XCTAssertEqual(result.attempts.map { "\($0.address):\($0.port) refused \($0.refused)" }, ["10.236.2.2:9764 refused 1"])
        XCTAssertEqual(result.findings.filter { $0.severity == .high }.map { "\($0.kind.rawValue) \($0.port ?? 0)" },
                       ["unexpected-port 31337"])
        XCTAssertFalse(result.summary.compliant)
        XCTAssertEqual(result.coverage.connectionsSeenOneWay, 0, "both directions are labelled, and both are read")
    }
}
