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
        // unused opening, and traffic on Spark's 7337 is a catalog port not expected, named
        // with its switch (captures/das-shuffle-default-lo.pcap, offset 2).
        let result = try audit("das-shuffle-default-lo.pcap", ["--offset", "2", "--mode", "cluster"])
        XCTAssertEqual(service(result, 7337)?.classification, .notInMode)
        let finding = try XCTUnwrap(result.findings.first { $0.port == 7337 })
        XCTAssertEqual(finding.severity, .medium)
        XCTAssertTrue(finding.message.contains("spark.shuffle.service.port, which this policy does not expect: it is bound only "
            + "with spark.shuffle.service.enabled in spark-defaults.conf, which the policy does not say is on"), finding.message)
        let quiet = try audit("spark43-execs-s200.pcap", ["--offset", "2", "--mode", "cluster"])
        XCTAssertFalse(quiet.findings.contains { $0.port == 7337 || $0.port == 7339 }, "no unused opening when the service is not said on")
        // 7339 is the service where a configuration set its key to 7337 (DAS moves it by the
        // offset), or where it retried past 7337 and 7338: the same undeclared service as on
        // 7337, and the same medium, naming the switch and the readings. Before, a HIGH
        // `unexpected-port` whose hint named the readings.
        let moved = try audit("spark43-multi-s200.pcap", ["--offset", "2", "--mode", "cluster"])
        XCTAssertEqual(service(moved, 7339)?.classification, .notInMode)
        XCTAssertEqual(service(moved, 7339)?.catalogKey, "spark.shuffle.service.port")
        let shuffle = try XCTUnwrap(moved.findings.first { $0.port == 7339 })
        XCTAssertEqual("\(shuffle.kind.rawValue) \(shuffle.severity)", "not-in-mode medium")
        XCTAssertEqual(shuffle.message, "127.0.0.2:7339 is spark.shuffle.service.port (set to 7337 in spark-defaults.conf, "
            + "which DAS moves by the offset, or a Spark port retry (the service found 7337 and 7338 busy)), which this "
            + "policy does not expect: it is "
            + "bound only with spark.shuffle.service.enabled in spark-defaults.conf, which the policy does not say is on; "
            + "it served 11 connections from 1 client")
        XCTAssertTrue(shuffle.remediation.contains("features: {shuffle-service: on} and ports: {spark.shuffle.service.port: 7337}"),
                      shuffle.remediation)
    }

    /// A policy file's `shuffle-service: on` expects the service where DAS binds it: Spark's
    /// 7337 without the offset while no `spark.shuffle.service.port` is set, as `--das-home`
    /// does. Before, it expected 7337 plus the offset, so the real service on 7337 at offset 2
    /// (captures/das-shuffle-default-lo.pcap, 4 connections) was a high unexpected port and
    /// 7339 a low unused opening.
    func testAPolicyFileThatTurnsTheServiceOnExpectsSparksDefault() throws {
        let on = try policyFile("offset: 2\nmode: cluster\nfeatures: {shuffle-service: on}\n")
        let result = try audit("das-shuffle-default-lo.pcap", ["--policy", on])
        let shuffle = try XCTUnwrap(service(result, 7337))
        XCTAssertEqual(shuffle.classification, .expected)
        XCTAssertEqual(shuffle.catalogKey, "spark.shuffle.service.port")
        XCTAssertEqual(shuffle.connections, 4, "tshark: 4 TCP conversations to 127.0.0.2:7337")
        XCTAssertFalse(result.findings.contains { $0.port == 7337 || $0.port == 7339 }, "\(result.findings.map(\.message))")

        // The key set in the policy is a base port, moved by the offset, as DAS moves it.
        let pinned = try policyFile("offset: 2\nmode: cluster\nfeatures: {shuffle-service: on}\nports: {spark.shuffle.service.port: 7337}\n")
        let moved = try audit("spark43-multi-s200.pcap", ["--policy", pinned])
        XCTAssertEqual(service(moved, 7339)?.classification, .expected)
        XCTAssertEqual(service(moved, 7339)?.connections, 11, "tshark: 11 TCP conversations to 127.0.0.2:7339")

        // Past offset 7337 the unset key is still Spark's 7337 (no base port could say it).
        let far = try runDasaudit(["ports", "--policy", try policyFile("offset: 8000\nmode: cluster\nfeatures: {shuffle-service: on}\n")])
        XCTAssertEqual(far.status, 0, far.stderr)
        XCTAssertTrue(far.stdout.split(separator: "\n").contains { $0.contains(" 7337 ") && $0.contains("spark.shuffle.service.port") },
                      far.stdout)
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
