import Audit
import CaptureEngine
import Foundation
@testable import Metrics
import Policy
import XCTest

/// The exposition of a real audit: every family named as Prometheus wants it, every
/// label value from a closed set, and the numbers those of the result.
final class PrometheusExpositionTests: XCTestCase {
    private func audited() -> AuditResult {
        let capture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("captures/spark-cluster-offset2-lo.pcap").path
        return Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2)).audit(paths: [capture])
    }

    func testFamiliesCarryTheResultsNumbers() {
        let result = audited()
        let text = PrometheusExposition.render(result, version: "1.2.3")
        XCTAssertTrue(text.contains("dasaudit_packets_total 2050\n"))
        XCTAssertTrue(text.contains("dasaudit_connections_total \(result.coverage.connections)\n"))
        XCTAssertTrue(text.contains("dasaudit_services{classification=\"unexpected\"} 7\n"))
        XCTAssertTrue(text.contains("dasaudit_services{classification=\"executor\"} 3\n"))
        XCTAssertTrue(text.contains("dasaudit_findings{severity=\"high\"} \(result.summary.findings["high"]!)\n"))
        XCTAssertTrue(text.contains("dasaudit_dropped_packets_total{source=\"kernel\"} 0\n"))
        XCTAssertTrue(text.contains("dasaudit_build_info{version=\"1.2.3\"} 1\n"))
        XCTAssertTrue(text.contains("# TYPE dasaudit_packets_total counter\n"))
        XCTAssertTrue(text.contains("# TYPE dasaudit_services gauge\n"))
    }

    /// Bounded cardinality: the same series whatever the traffic (no address, no port).
    func testSeriesDoNotDependOnTheTraffic() {
        func series(_ text: String) -> [String] {
            text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { String($0.prefix { $0 != " " }) }
        }
        let busy = PrometheusExposition.render(audited())
        let empty = PrometheusExposition.render(Auditor(policy: Policy()).audit(paths: []))
        XCTAssertEqual(series(busy), series(empty))
        XCTAssertEqual(series(busy).count, 1 + 2 + 1 + Classification.allCases.count + Severity.allCases.count + 1 + 1)
        XCTAssertFalse(busy.contains("127.0.0"))
    }

    func testLabelValuesAreEscaped() {
        XCTAssertEqual(PrometheusExposition.labelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd")
    }

    func testListenAddresses() {
        XCTAssertEqual(ListenAddress("9464"), ListenAddress(host: "127.0.0.1", port: 9464))
        XCTAssertEqual(ListenAddress("0.0.0.0:9464"), ListenAddress(host: "0.0.0.0", port: 9464))
        XCTAssertEqual(ListenAddress("[::1]:0"), ListenAddress(host: "::1", port: 0))
        for bad in ["", "::1:9464", "localhost:9464", "127.0.0.1:70000", "127.0.0.1:", "[::1]9464", "1.2.3.4.5:1"] {
            XCTAssertNil(ListenAddress(bad), bad)
        }
    }

    func testAnswersOnlyGETMetrics() {
        func status(_ request: String) -> String {
            MetricsServer.response(to: Array(request.utf8), document: "x 1\n").components(separatedBy: "\r\n")[0]
        }
        XCTAssertEqual(status("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n"), "HTTP/1.1 200 OK")
        XCTAssertEqual(status("GET /metrics?x=1 HTTP/1.0\r\n\r\n"), "HTTP/1.1 200 OK")
        XCTAssertEqual(status("GET / HTTP/1.1\r\n\r\n"), "HTTP/1.1 404 Not Found")
        XCTAssertEqual(status("POST /metrics HTTP/1.1\r\n\r\n"), "HTTP/1.1 405 Method Not Allowed")
        XCTAssertEqual(status("\u{0}\u{1}garbage"), "HTTP/1.1 400 Bad Request")
        XCTAssertTrue(MetricsServer.response(to: Array("HEAD /metrics HTTP/1.1\r\n\r\n".utf8), document: "x 1\n").hasSuffix("\r\n\r\n"))
        // RFC 9110: a 405 names the methods allowed.
        XCTAssertTrue(MetricsServer.response(to: Array("POST /metrics HTTP/1.1\r\n\r\n".utf8), document: "").contains("\r\nAllow: GET, HEAD\r\n"))
    }
}
