import Audit
import Foundation
import Reports
import XCTest

/// Spark 4.3.0 clusters with TLS, recorded in a bug hunt (captures/README.md,
/// "spark-tls-rpc-lo-s200.pcap"): master 127.0.0.1, worker 127.0.0.2, offset 2.
final class SparkTLSCaptureTests: XCTestCase {
    private func audit(_ name: String, _ options: [String] = ["--offset", "2", "--mode", "cluster", "--cores", "2"]) throws -> AuditResult {
        let run = try runDasaudit(["audit", capture(name), "--format", "json"] + options)
        return try JSONReport.parse(Data(run.stdout.utf8))
    }

    /// spark.ssl.rpc.enabled: every RPC and block manager port speaks TLS 1.2 (tshark: 12
    /// ClientHellos and ServerHellos, all 0x0303). That is Spark's own encryption of its
    /// RPC, not another service on the port.
    func testSparkRPCOverTLSIsNoProtocolMismatch() throws {
        let result = try audit("spark-tls-rpc-lo-s200.pcap")
        XCTAssertEqual(result.findings.filter { $0.kind == .protocolMismatch }.map(\.message), [])
        XCTAssertEqual(result.findings.filter { $0.severity == .high }.count, 0)
        let tls = result.services.filter { $0.protocol == "tls" }
        XCTAssertEqual(tls.map { "\($0.address):\($0.port)" }.sorted(), [
            "127.0.0.1:12002", "127.0.0.1:13002", "127.0.0.1:7079", "127.0.0.2:11002", "127.0.0.2:12002", "127.0.0.2:12003",
        ])
        XCTAssertEqual(tls.map { $0.protocols?["tls"] ?? 0 }.reduce(0, +), 12)
        XCTAssertEqual(Set(tls.flatMap { $0.tlsVersions ?? [] }), ["1.2"], "the version is still shown (and judged)")
        // Spark 1.6 (das-3.1) has no TLS on its network-common RPC: there it is a mismatch still.
        let spark16 = try audit("spark-tls-rpc-lo-s200.pcap", ["--profile", "das-3.1", "--offset", "2", "--mode", "cluster",
                                                              "--cores", "2"])
        XCTAssertEqual(spark16.findings.filter { $0.kind == .protocolMismatch }.count, 6)
    }

    /// spark.ssl.enabled: the UIs keep their HTTP port and serve HTTPS at port + 400 (Spark's
    /// log: 'SparkUI (HTTPS)' on port 4442, 'MasterUI (HTTPS)' 8483, 'WorkerUI (HTTPS)' 11902).
    func testTheUIsHTTPSPortsAreExpectedTLSAndNameNoOtherOffset() throws {
        let result = try audit("spark-https-ui-lo.pcap")
        let https = result.services.filter { $0.port != 4042 }
        XCTAssertEqual(https.map { "\($0.port) \($0.classification.rawValue) \($0.catalogKey ?? "-") \($0.protocol ?? "-")" }, [
            "4442 expected spark.ui.https.port tls",
            "8483 expected spark.master.webui.https.port tls",
            "11902 expected spark.worker.webui.https.port tls",
        ])
        XCTAssertEqual(result.findings.filter { $0.severity == .high || $0.severity == .medium }.map(\.message), [],
                       "no unexpected-port, no offset-mismatch at 402")
        XCTAssertFalse(result.unusedOpenings.contains { $0.catalogKey.hasPrefix("spark.") && $0.catalogKey.hasSuffix(".https.port") },
                       "TLS not said on: the history server's HTTPS port is no unused opening")

        // Said on: the one not used is listed; the history server is normally unbound (info).
        let policy = temporary("https.yaml")
        try Data("offset: 2\nmode: cluster\ncores: 2\nfeatures:\n  spark-ui-https: on\n".utf8).write(to: URL(fileURLWithPath: policy))
        let on = try audit("spark-https-ui-lo.pcap", ["--policy", policy])
        XCTAssertEqual(on.unusedOpenings.filter { $0.catalogKey.hasPrefix("spark.") && $0.catalogKey.hasSuffix(".https.port") }.map(\.catalogKey),
                       ["spark.history.ui.https.port"])
    }

    /// Two applications: the second's UI found 4042 and 4043 busy and took 4044; Spark
    /// Connect's gRPC (curl --http2-prior-knowledge) on its default 15002.
    func testRetryAndSparkConnectHints() throws {
        let result = try audit("spark-connect-retry-lo.pcap")
        let hints = Dictionary(uniqueKeysWithValues: result.services.map { ($0.port, $0.hint ?? "") })
        XCTAssertEqual(hints[4044], "spark.ui.port+2: a Spark port retry (the service found 4042 and 4043 busy); "
                       + "it speaks HTTP: a web server or UI")
        XCTAssertEqual(hints[15002], "Spark Connect: HTTP/2 in the clear on its default port, the Spark Connect "
                       + "gRPC server (spark.connect.grpc.binding.port; Spark 3.4 and later)")
    }
}
