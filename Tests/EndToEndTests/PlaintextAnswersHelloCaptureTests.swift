import Audit
import Policy
import XCTest

/// captures/plaintext-answers-hello-lo.pcap (scripts/recording/record-plaintext-answers-hello.sh):
/// TLS clients reaching plaintext servers on the TLS catalog ports at offset 2 (docs/protocols.md,
/// "Which side names the protocol").
final class PlaintextAnswersHelloCaptureTests: XCTestCase {
    func audit() -> AuditResult { Auditor(policy: Policy(offset: 2)).audit(paths: [capture("plaintext-answers-hello-lo.pcap")]) }

    /// vsftpd on the console's HTTPS port and an SMTP server on the thrift SSL port answered
    /// the clients' hellos with their plaintext banners (tshark: "220 (vsFTPd 3.0.3)", "220
    /// localhost Python SMTP proxy"): those ports speak `other`, where the hellos made them
    /// `tls`. Redis, silent to its hello, and a real TLS server stay `tls`.
    func testAPlaintextBannerAnsweringAHelloNamesThePort() {
        let services = audit().servicesByEndpoint
        XCTAssertEqual(services.mapValues { $0.protocols ?? [:] }, [
            "127.0.0.50:9445": ["other": 1], "127.0.0.51:7713": ["other": 1],
            "127.0.0.52:9445": ["tls": 1], "127.0.0.53:7713": ["tls": 1],
        ])
        XCTAssertEqual(services["127.0.0.53:7713"]?.tlsVersions, ["1.3"])
    }

    /// The two plaintext services are high `plaintext-on-tls-port` findings, the service
    /// answering in the clear (the audit said COMPLIANT); nothing else.
    func testAPlaintextServiceOnATLSPortIsAFindingThoughItsClientsSpokeTLS() {
        let findings = audit().findings.filter { ProtocolCaptureTests.protocolKinds.contains($0.kind) }
        XCTAssertEqual(findings.map { "\($0.kind.rawValue) \($0.address ?? "-"):\($0.port ?? 0)" }.sorted(), [
            "plaintext-on-tls-port 127.0.0.50:9445", "plaintext-on-tls-port 127.0.0.51:7713",
        ])
        for finding in findings {
            XCTAssertEqual(finding.severity, .high)
            XCTAssertTrue(finding.message.contains("carried 1 connection of other that began in the clear"), finding.message)
            XCTAssertTrue(finding.remediation.hasPrefix("Configure the service on this port for TLS"), finding.remediation)
        }
    }
}
