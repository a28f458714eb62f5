import Audit
import Foundation
import Reports
import XCTest

/// Spark's external shuffle service (`spark.shuffle.service.port`, 7337; a catalog port
/// only with the `shuffle-service` feature on) on real Spark 4.3.0 standalone clusters:
/// captures/spark43-multi-s200.pcap (offset 2, the worker's service on 7339, dynamic
/// allocation) and captures/spark43-stock-s200.pcap (stock ports, 7337). Before the entry
/// existed, both were high unexpected ports whose hint told the user to pin the port with
/// keys that have nothing to do with it, though `--das-home` had read the very file that
/// pinned it.
final class ShuffleServiceCaptureTests: XCTestCase {
    let home = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/das-home-shuffle").path

    private func audit(_ name: String, _ options: [String]) throws -> AuditResult {
        let run = try runDasaudit(["audit", capture(name), "--format", "json"] + options)
        return try JSONReport.parse(Data(run.stdout.utf8))
    }

    private func service(_ result: AuditResult, _ port: UInt16) -> ServiceSummary? {
        result.services.first { $0.port == port }
    }

    func testDASHomeThatEnablesTheServiceExpectsItsPort() throws {
        let result = try audit("spark43-multi-s200.pcap", ["--das-home", home])
        let shuffle = try XCTUnwrap(service(result, 7339))
        XCTAssertEqual(shuffle.classification, .expected)
        XCTAssertEqual(shuffle.catalogKey, "spark.shuffle.service.port")
        XCTAssertEqual(shuffle.connections, 11, "tshark: 11 TCP conversations to 127.0.0.2:7339")
        XCTAssertEqual(result.policy.features?["shuffle-service"], true)
        XCTAssertFalse(result.findings.contains { $0.port == 7339 }, "\(result.findings.filter { $0.port == 7339 })")
    }

    func testDASHomeWithoutTheServiceDoesNotListItsOpening() throws {
        // Not said on (a policy, the profile alone): Spark's default is off, so the port is no
        // unused opening, and traffic there is a catalog port not expected, named with its switch.
        let result = try audit("spark43-multi-s200.pcap", ["--offset", "2", "--mode", "cluster"])
        XCTAssertEqual(service(result, 7339)?.classification, .notInMode)
        let finding = try XCTUnwrap(result.findings.first { $0.port == 7339 })
        XCTAssertEqual(finding.severity, .medium)
        XCTAssertTrue(finding.message.contains("spark.shuffle.service.port, which this policy does not expect: it is bound only "
            + "with spark.shuffle.service.enabled in spark-defaults.conf, which the policy does not say is on"), finding.message)
        let quiet = try audit("spark43-execs-s200.pcap", ["--offset", "2", "--mode", "cluster"])
        XCTAssertFalse(quiet.findings.contains { $0.port == 7339 }, "no unused opening when the service is not said on")
    }

    func testStockSparkShuffleServiceIsNamed() throws {
        let result = try audit("spark43-stock-s200.pcap", ["--profile", "spark", "--cores", "2"])
        XCTAssertEqual(service(result, 7337)?.catalogKey, "spark.shuffle.service.port")
        XCTAssertEqual(service(result, 7337)?.classification, .notInMode)
        let on = try audit("spark43-stock-s200.pcap", ["--policy", try policyFile("profile: spark\nfeatures: {shuffle-service: on}\n")])
        XCTAssertEqual(service(on, 7337)?.classification, .expected)
        XCTAssertFalse(on.findings.contains { $0.port == 7337 })
    }

    func testTheSparkRPCHintNamesOnlyKeysTheProfileHas() throws {
        // 127.0.0.1:37639 is the driver's RPC on a random port: the spark profile's keys pin
        // it, not spark.executor.port, which Spark 2 and later do not have.
        let result = try audit("spark43-stock-s200.pcap", ["--profile", "spark", "--cores", "2"])
        let hint = try XCTUnwrap(service(result, 37639)?.hint)
        XCTAssertEqual(hint, "it speaks Spark RPC: a Spark service on a port no configuration pinned (pin it with "
            + "spark.driver.port, spark.blockManager.port, or spark.driver.blockManager.port)")
    }

    private func policyFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shuffle-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
