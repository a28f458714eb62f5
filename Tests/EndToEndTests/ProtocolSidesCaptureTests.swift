import Audit
import Policy
import XCTest

/// captures/protocol-sides-lo.pcap (scripts/recording/record-protocol-sides.sh): connections
/// whose two sides disagree, TLS sessions picked up mid-stream and multiplexed Thrift, from
/// real servers and clients, audited at offset 0 (docs/protocols.md, "Which side names the
/// protocol").
final class ProtocolSidesCaptureTests: XCTestCase {
    func audit() -> AuditResult { Auditor(policy: Policy(offset: 0)).audit(paths: [capture("protocol-sides-lo.pcap")]) }

    /// What each port speaks is what its server sent: nginx without `ssl` answering curl's
    /// hello in plaintext is HTTP on carbon.https.port (it was `tls`, no finding); a JSSE
    /// server's alert to a plaintext request is TLS; TLS picked up mid-stream is TLS (it
    /// was `other`, a false `plaintext-on-tls-port`); multiplexed Thrift is Thrift (it was
    /// `other`); Python's http.server answering a hello with its error page is HTTP (its
    /// hint said TLS).
    func testTheServersBytesNameThePort() {
        let services = audit().servicesByEndpoint
        XCTAssertEqual(services.mapValues { $0.protocols ?? [:] }, [
            "127.0.0.80:9443": ["http": 1], "127.0.0.81:9443": ["http": 1], "127.0.0.62:9443": ["http": 1],
            "127.0.0.72:9443": ["tls": 1], "127.0.0.63:31339": ["http": 1],
            "127.0.0.36:7611": ["thrift": 1], "127.0.0.37:7611": ["thrift": 1],
            "127.0.0.90:7711": ["tls": 1], "127.0.0.91:9443": ["tls": 1],
        ])
        XCTAssertEqual(services["127.0.0.63:31339"]?.hint, "it speaks HTTP: a web server or UI")
    }

    /// Three `plaintext-on-tls-port` findings, no other protocol finding: the plain nginx
    /// and nginx's plaintext 400 (the service answered in the clear: configure the service,
    /// or its clients if it is a TLS server rejecting them), and s_server's silence to a
    /// plaintext request (only the client spoke in the clear: configure the client).
    func testWhoSpokeInTheClearTellsTheRemediation() {
        let findings = audit().findings.filter { ProtocolCaptureTests.protocolKinds.contains($0.kind) }
        XCTAssertEqual(findings.map { "\($0.kind.rawValue) \($0.address ?? "-"):\($0.port ?? 0)" }.sorted(), [
            "plaintext-on-tls-port 127.0.0.62:9443", "plaintext-on-tls-port 127.0.0.80:9443",
            "plaintext-on-tls-port 127.0.0.81:9443",
        ])
        for finding in findings {
            XCTAssertEqual(finding.severity, .high)
            if finding.address == "127.0.0.62" {
                XCTAssertTrue(finding.message.contains("clients sent 1 connection of http in the clear"), finding.message)
                XCTAssertTrue(finding.remediation.hasPrefix("Configure these clients for TLS"), finding.remediation)
            } else {
                XCTAssertTrue(finding.message.contains("carried 1 connection of http in the clear"), finding.message)
                XCTAssertTrue(finding.remediation.hasPrefix("Configure the service on this port for TLS"), finding.remediation)
            }
        }
    }
}
