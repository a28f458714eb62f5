import Audit
import Policy
import XCTest

/// The protocols recorded from real peers outside Debian's components
/// (captures/protocol-evidence-lo.pcap, scripts/recording/record-evidence.sh): SSL 3.0 from
/// tlslite-ng on the management console, the JDK's SSLv2-format ClientHello on the thrift
/// SSL port, and Hazelcast 5.x and 3.x clients on the clustering port of one DAS node.
final class ProtocolEvidenceCaptureTests: XCTestCase {
    func audit(_ name: String) throws -> AuditResult {
        let policy = try PolicyFile.load(path: capture("protocol-evidence-policy.yaml")).makePolicy()
        return Auditor(policy: policy).audit(paths: [capture(name)])
    }

    /// Each port speaks what its catalog entry says; SSL 3.0 is the one protocol finding
    /// (medium), whole and cut to 96 bytes (the ServerHello's version is in its first 11).
    func testSSLv3IsTheOnlyProtocolFinding() throws {
        for name in ["protocol-evidence-lo.pcap", "protocol-evidence-lo-s96.pcap"] {
            let result = try audit(name)
            let findings = result.findings.filter { ProtocolCaptureTests.protocolKinds.contains($0.kind) }
            XCTAssertEqual(findings.map { "\($0.kind.rawValue) \($0.address ?? "-"):\($0.port ?? 0)" },
                           ["deprecated-tls 127.0.0.21:9443"], name)
            XCTAssertEqual(findings.first?.severity, .medium, name)
            let services = result.servicesByEndpoint
            XCTAssertEqual(services["127.0.0.21:9443"]?.protocol, "tls", name)
            XCTAssertEqual(services["127.0.0.21:9443"]?.tlsVersions, ["SSLv3"], name)
            XCTAssertEqual(services["127.0.0.21:7711"]?.protocol, "tls", name)
            XCTAssertEqual(services["127.0.0.21:4000"]?.protocols, ["hazelcast": 3], name)
            XCTAssertEqual(services["127.0.0.21:4000"]?.classification, .expected, name)
        }
    }

    /// The SSLv2-format hello leads to TLS 1.2, which the whole packets show; cut to 96
    /// bytes the ServerHello's cipher suite is gone, so the version is left out, not guessed.
    func testTheSSLv2FormatHelloNegotiatesTLS12() throws {
        XCTAssertEqual(try audit("protocol-evidence-lo.pcap").servicesByEndpoint["127.0.0.21:7711"]?.tlsVersions, ["1.2"])
        XCTAssertEqual(try audit("protocol-evidence-lo-s96.pcap").servicesByEndpoint["127.0.0.21:7711"]?.tlsVersions, [])
    }
}
