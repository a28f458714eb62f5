import Audit
import CaptureEngine
import Policy
import Reports
import XCTest

/// What each port speaks, on the real captures recorded for it (captures/README.md,
/// scripts/recording/record-protocols.sh) and the bundled Spark cluster.
final class ProtocolCaptureTests: XCTestCase {
    static let protocolKinds: Set<Finding.Kind> = [.protocolMismatch, .plaintextOnTLSPort, .deprecatedTLS]

    func audit(_ name: String) throws -> AuditResult {
        let policy = try PolicyFile.load(path: capture("misconfigured-node-policy.yaml")).makePolicy()
        return Auditor(policy: policy).audit(paths: [capture(name)])
    }

    func protocolFindings(_ result: AuditResult) -> [String] {
        result.findings.filter { Self.protocolKinds.contains($0.kind) }
            .map { "\($0.kind.rawValue) \($0.address ?? "-"):\($0.port ?? 0)" }.sorted()
    }

    /// das2 has HTTP on the thrift port, thrift in the clear on the SSL port and TLS 1.0
    /// on the management console; das1 is right. Exactly three findings, all on das2,
    /// and the same with the packets cut to 96 bytes.
    func testTheMisconfiguredNodeHasExactlyItsThreeFindings() throws {
        for name in ["misconfigured-node-lo.pcap", "misconfigured-node-lo-s96.pcap"] {
            let result = try audit(name)
            XCTAssertEqual(protocolFindings(result), [
                "deprecated-tls 127.0.0.2:9443", "plaintext-on-tls-port 127.0.0.2:7711", "protocol-mismatch 127.0.0.2:7611",
            ], name)
            XCTAssertEqual(result.findings.filter { Self.protocolKinds.contains($0.kind) }.map(\.node), ["das2", "das2", "das2"])
            let services = result.servicesByEndpoint
            XCTAssertEqual(services["127.0.0.1:7611"]?.protocol, "thrift", name)
            XCTAssertEqual(services["127.0.0.1:7711"]?.protocol, "tls", name)
            XCTAssertEqual(services["127.0.0.1:9443"]?.protocol, "tls", name)
            XCTAssertEqual(services["127.0.0.2:7611"]?.protocol, "http", name)
            XCTAssertEqual(services["127.0.0.2:7711"]?.protocol, "thrift", name)
            XCTAssertEqual(services["127.0.0.2:9443"]?.tlsVersions, ["1.0"], name)
        }
    }

    /// Whole packets tell TLS 1.3 from 1.2; 30 bytes of payload (snaplen 96) do not, and
    /// the version is then left out rather than guessed.
    func testTLSVersionsWholeAndCutAtNinetySixBytes() throws {
        let whole = try audit("misconfigured-node-lo.pcap").servicesByEndpoint
        XCTAssertEqual(whole["127.0.0.1:7711"]?.tlsVersions, ["1.3"])
        XCTAssertEqual(whole["127.0.0.1:9443"]?.tlsVersions, ["1.3"])
        let cut = try audit("misconfigured-node-lo-s96.pcap").servicesByEndpoint
        XCTAssertEqual(cut["127.0.0.1:7711"]?.tlsVersions, [])
        XCTAssertEqual(cut["127.0.0.1:9443"]?.tlsVersions, [])
    }

    /// One connection of each protocol (protocols-lo.pcap), whole and at snaplen 96.
    func testEveryRecordedProtocolIsNamed() throws {
        let expected: [String: (String, [String], [String])] = [
            "17611": ("thrift", [], []), "17612": ("thrift", [], []), "17613": ("thrift", [], []),
            "18441": ("tls", ["1.0"], ["1.0"]), "18442": ("tls", ["1.1"], ["1.1"]),
            "18443": ("tls", ["1.2"], []), "18444": ("tls", ["1.3"], []),
            "18022": ("ssh", [], []), "19999": ("jrmi", [], []),
        ]
        let whole = try audit("protocols-lo.pcap").servicesByEndpoint
        let cut = try audit("protocols-lo-s96.pcap").servicesByEndpoint
        for (port, (name, versions, cutVersions)) in expected {
            XCTAssertEqual(whole["127.0.0.1:\(port)"]?.protocol, name, port)
            XCTAssertEqual(whole["127.0.0.1:\(port)"]?.tlsVersions, versions, port)
            XCTAssertEqual(cut["127.0.0.1:\(port)"]?.protocol, name, port)
            XCTAssertEqual(cut["127.0.0.1:\(port)"]?.tlsVersions, cutVersions, port)
        }
        // curl's HTTP/2 preface is answered by Python's http.server with its HTML error
        // page: the server's bytes name the port, HTTP/1 (docs/protocols.md).
        XCTAssertEqual(whole["127.0.0.1:18080"]?.protocols, ["http": 2])
    }

    /// The bundled Spark 4 cluster: Spark RPC on its Spark ports, HTTP on its UIs, thrift
    /// and TLS on the receivers, and no protocol finding; the rogue web server's hint says HTTP.
    func testTheSparkClusterSpeaksWhatItsCatalogSays() {
        let result = SparkClusterCaptureTests.result
        let services = result.servicesByEndpoint
        for endpoint in ["127.0.0.1:7079", "127.0.0.1:13002", "127.0.0.1:12002", "127.0.0.2:11002", "127.0.0.2:12002",
                         "127.0.0.2:12003"] {
            XCTAssertEqual(services[endpoint]?.protocol, "spark-rpc", endpoint)
        }
        for endpoint in ["127.0.0.1:4042", "127.0.0.1:6068", "127.0.0.1:8083", "127.0.0.2:11502", "127.0.0.4:31337"] {
            XCTAssertEqual(services[endpoint]?.protocol, "http", endpoint)
        }
        XCTAssertEqual(services["127.0.0.1:7613"]?.protocols, ["thrift": 12])
        XCTAssertEqual(services["127.0.0.1:7713"]?.protocol, "tls")
        XCTAssertEqual(services["127.0.0.1:7713"]?.tlsVersions, ["1.3"])
        XCTAssertEqual(protocolFindings(result), [])
        XCTAssertTrue(services["127.0.0.4:31337"]?.hint?.contains("it speaks HTTP") == true)
    }

    /// An allowed port that states its protocol is checked like a catalog port.
    func testAnAllowedPortsProtocolIsChecked() throws {
        let text = """
            offset: 0
            allow:
              - {port: 18443, protocol: tls, reason: the TLS test server}
              - {port: 17611, protocol: tls, reason: said to be TLS but is thrift}
              - {port: 18022, protocol: http, reason: said to be HTTP but is SSH}
              - {port: 19999, reason: JMX with no protocol stated}
            """
        let policy = try PolicyFile.parse(text, path: "allow.yaml").makePolicy()
        let result = Auditor(policy: policy).audit(paths: [capture("protocols-lo.pcap")])
        XCTAssertEqual(protocolFindings(result).filter { !$0.hasPrefix("deprecated-tls") }, [
            "plaintext-on-tls-port 127.0.0.1:17611", "protocol-mismatch 127.0.0.1:18022",
        ])
        // 18080 is spark.history.ui.port here (http): curl's HTTP/2 preface is HTTP too.
        XCTAssertEqual(result.servicesByEndpoint["127.0.0.1:18080"]?.classification, .expected)
    }

    /// Every report format names what das2's ports speak, with the TLS version.
    func testEveryReportFormatShowsTheProtocol() throws {
        let result = try audit("misconfigured-node-lo.pcap")
        for format in ReportFormat.allCases {
            let text = try format.render(result)
            XCTAssertTrue(text.contains("tls"), "\(format)")
            XCTAssertTrue(text.contains("1.0"), "\(format)")
            XCTAssertTrue(text.contains("http"), "\(format)")
        }
        let html = try ReportFormat.html.render(result)
        XCTAssertTrue(html.contains(">Protocol<"))
        XCTAssertTrue(html.contains(">expected http<"), "the host x port matrix shows the protocol")
        XCTAssertTrue(try ReportFormat.text.render(result).contains("PROTOCOL"))
    }

    /// Cut to 96 bytes, an IPv6 segment keeps 10 payload bytes: too few to tell framed
    /// thrift (12 are needed), so that connection is `unknown`, never guessed; over IPv4 the
    /// 30 bytes left are enough. No protocol finding comes of the cut.
    func testBytesCutByTheSnapshotLengthAreUnknown() {
        let policy = Policy(offset: 3)
        let whole = Auditor(policy: policy).audit(paths: [capture("das-offset3-lo.pcap")]).servicesByEndpoint
        let cut = Auditor(policy: policy).audit(paths: [capture("das-offset3-lo-s96.pcap")])
        XCTAssertEqual(whole["::1:7614"]?.protocol, "thrift")
        XCTAssertEqual(cut.servicesByEndpoint["::1:7614"]?.protocol, "unknown")
        XCTAssertEqual(cut.servicesByEndpoint["127.0.0.1:7614"]?.protocol, "thrift")
        XCTAssertEqual(protocolFindings(cut), [])
    }
}
