import Audit
import CaptureEngine
import Policy
import XCTest

/// The protocols recorded for protocol evidence beyond protocols-lo.pcap:
/// captures/protocol-evidence-lo.pcap (scripts/recording/record-evidence.sh: SSL 3.0 from
/// tlslite-ng on the management console, the JDK's SSLv2-format ClientHello on the thrift
/// SSL port, Hazelcast 5.x and 3.x clients on the clustering port of one DAS node) and
/// captures/databases-lo.pcap (record-databases.sh: Debian's Redis, MariaDB, OpenLDAP and
/// PostgreSQL, the generic servers an unexpected port may turn out to be).
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

    /// Each database on its usual port, unexpected on a DAS node, named with its hint; cut
    /// to 96 bytes, MariaDB's version text is cut before it ends, so that one is `unknown`.
    func testTheGenericServersAreNamedOnUnexpectedPorts() {
        let expected = ["127.0.0.22:6379": ("redis", "Redis"), "127.0.0.23:3306": ("mysql", "MySQL"),
                        "127.0.0.24:389": ("ldap", "LDAP"), "127.0.0.25:5432": ("postgresql", "PostgreSQL")]
        let whole = Auditor(policy: Policy(offset: 0)).audit(paths: [capture("databases-lo.pcap")])
        XCTAssertEqual(Set(whole.servicesByEndpoint.keys), Set(expected.keys))
        for (endpoint, (name, shown)) in expected {
            let service = whole.servicesByEndpoint[endpoint]
            XCTAssertEqual(service?.classification, .unexpected, endpoint)
            XCTAssertEqual(service?.protocol, name, endpoint)
            XCTAssertTrue(service?.hint?.contains("it speaks \(shown)") == true, "\(endpoint): \(service?.hint ?? "no hint")")
        }
        XCTAssertEqual(whole.servicesByEndpoint["127.0.0.22:6379"]?.protocols, ["redis": 3])
        XCTAssertEqual(whole.servicesByEndpoint["127.0.0.25:5432"]?.protocols, ["postgresql": 2])
        let cut = Auditor(policy: Policy(offset: 0)).audit(paths: [capture("databases-lo-s96.pcap")]).servicesByEndpoint
        XCTAssertEqual(cut.mapValues { $0.protocol ?? "-" }, [
            "127.0.0.22:6379": "redis", "127.0.0.23:3306": "unknown", "127.0.0.24:389": "ldap", "127.0.0.25:5432": "postgresql",
        ])
    }
}
