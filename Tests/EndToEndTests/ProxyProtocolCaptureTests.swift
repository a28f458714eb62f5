import Audit
import Policy
import XCTest

/// captures/proxy-protocol-lo.pcap (scripts/recording/record-proxy-protocol.sh): the
/// management console at offset 2 behind HAProxy with the PROXY protocol (`send-proxy`,
/// `send-proxy-v2`, nginx `proxy_protocol` listeners), HAProxy's health checks running
/// (docs/protocols.md, "A load balancer's PROXY protocol header").
final class ProxyProtocolCaptureTests: XCTestCase {
    func audit() -> AuditResult { Auditor(policy: Policy(offset: 2)).audit(paths: [capture("proxy-protocol-lo.pcap")]) }

    /// Each health check sent a PROXY header alone and closed (tshark: 5 such connections
    /// to each backend, no byte back): `unknown`, since the client's own bytes were never
    /// seen, where they were `other`. The sessions are named by the servers' answers.
    func testHealthChecksAreUnknownAndSessionsSpeakWhatTheServersAnswered() {
        let services = audit().servicesByEndpoint
        XCTAssertEqual(services.filter { $0.key.hasPrefix("127.0.0.") && $0.key != "127.0.0.9:8080" && !$0.key.hasSuffix(":8443")
                                         && !$0.key.hasSuffix(":8444") }.mapValues { $0.protocols ?? [:] }, [
            "127.0.0.1:9445": ["tls": 2, "http": 1, "unknown": 5],
            "127.0.0.2:9445": ["tls": 2, "unknown": 5],
            "127.0.0.3:9765": ["http": 2, "unknown": 5],
            "127.0.0.4:9445": ["tls": 1],
            "127.0.0.5:9445": ["http": 1],
        ])
        for endpoint in ["127.0.0.1:9445", "127.0.0.2:9445", "127.0.0.4:9445"] {
            XCTAssertEqual(services[endpoint]?.protocol, "tls", endpoint)
            XCTAssertEqual(services[endpoint]?.tlsVersions, ["1.2"], endpoint)
        }
    }

    /// The health checks make no `plaintext-on-tls-port` (they made one on each TLS
    /// backend, "clients sent 5 connections of other in the clear"); plaintext behind a
    /// header still does: curl http:// through the balancer to the TLS console, answered
    /// by nginx's plaintext 400, and a GET after a header in one segment to a TLS server
    /// that stayed silent.
    func testOnlyPlaintextBehindTheHeaderIsAFinding() {
        let findings = audit().findings.filter { ProtocolCaptureTests.protocolKinds.contains($0.kind) }
        XCTAssertEqual(findings.map { "\($0.kind.rawValue) \($0.address ?? "-"):\($0.port ?? 0)" }.sorted(), [
            "plaintext-on-tls-port 127.0.0.1:9445", "plaintext-on-tls-port 127.0.0.5:9445",
        ])
        let byAddress = Dictionary(uniqueKeysWithValues: findings.map { ($0.address ?? "-", $0.message) })
        XCTAssertTrue(byAddress["127.0.0.1"]?.contains("carried 1 connection of http that began in the clear") == true,
                      byAddress["127.0.0.1"] ?? "")
        XCTAssertTrue(byAddress["127.0.0.5"]?.contains("clients sent 1 connection of http in the clear") == true,
                      byAddress["127.0.0.5"] ?? "")
    }
}
