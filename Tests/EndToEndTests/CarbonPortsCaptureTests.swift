import Audit
import Foundation
import Reports
import XCTest

/// captures/das-carbon-offset5-lo.pcap: a DAS node's own Carbon ports at offset 5 on
/// 127.0.0.6, recorded from real servers and clients (openssl s_server on 9443+5, Python's
/// http.server on 9763+5, a JVM's JMX agent on 9999+5 and 11111+5 queried by a JMX client).
/// Under the default profile none of them may be a finding.
final class CarbonPortsCaptureTests: XCTestCase {
    let capturePath = capture("das-carbon-offset5-lo.pcap")

    private func audit(_ extra: [String] = []) throws -> (CommandResult, AuditResult) {
        let run = try runDasaudit(["audit", capturePath, "--offset", "5", "--format", "json"] + extra)
        return (run, try JSONReport.parse(Data(run.stdout.utf8)))
    }

    private func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("carbon-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testTheDefaultProfileExplainsEveryCarbonPortOfTheNode() throws {
        let (run, result) = try audit()
        XCTAssertEqual(result.policy.profile, "das")
        let classified = Dictionary(uniqueKeysWithValues: result.services.map {
            ("\($0.address):\($0.port)", "\($0.classification.rawValue) \($0.catalogKey ?? "-") \($0.connections)")
        })
        XCTAssertEqual(classified, [
            "127.0.0.6:9448": "expected carbon.https.port 2",
            "127.0.0.6:9768": "expected carbon.http.port 2",
            "127.0.0.6:10004": "expected Ports.JMX.RMIRegistryPort 1",
            "127.0.0.6:11116": "expected Ports.JMX.RMIServerPort 1",
        ])
        XCTAssertEqual(result.findings.filter { $0.severity == .high || $0.severity == .medium }.map(\.message), [])
        XCTAssertEqual(run.status, 0, "compliant")
    }

    func testAPolicyWithoutTheCarbonGroupStillNamesThePorts() throws {
        // Left out of `expect`, the Carbon ports are catalog ports not expected (medium), never unknown ones.
        let policy = try write("expect: [receivers, ha, spark, spark-cluster]\n")
        let (run, result) = try audit(["--policy", policy])
        XCTAssertEqual(result.findings.filter { $0.kind == .notInMode }.compactMap(\.port).sorted(),
                       [9448, 9768, 10004, 11116])
        XCTAssertFalse(result.findings.contains { $0.kind == .unexpectedPort })
        XCTAssertEqual(run.status, 1)
    }

    func testConditionalAndNormallyUnboundOpeningsAreOnlyInfo() throws {
        let (_, result) = try audit()
        let severity = Dictionary(uniqueKeysWithValues: result.findings.filter { $0.kind == .unusedOpening }.map {
            ($0.port ?? 0, $0.severity)
        })
        for port: UInt16 in [10010, 11005, 11229] { XCTAssertEqual(severity[port], .info, "HA \(port): HA not said on") }
        XCTAssertEqual(severity[4000], .info, "Hazelcast: clustering not said on")
        XCTAssertEqual(severity[10394], .info, "embedded LDAP")
        XCTAssertEqual(severity[18085], .info, "spark.history.ui.port: DAS never starts a history server (history-server not said on)")
        XCTAssertEqual(severity[10505], .info, "ThriftEntitlementReceivePort")
        XCTAssertEqual(severity[7616], .low, "the thrift receiver is bound on every node")
        let ha = result.findings.first { $0.kind == .unusedOpening && $0.port == 11229 }
        XCTAssertTrue(ha?.message.hasSuffix("it is bound only with HA mode in event-processor.xml, which the policy "
            + "does not say is on") ?? false, ha?.message ?? "")
        let history = result.findings.first { $0.kind == .unusedOpening && $0.port == 18085 }
        XCTAssertTrue(history?.message.hasSuffix("it is bound only with sbin/start-history-server.sh, which the policy "
            + "does not say is on") ?? false, history?.message ?? "")
    }

    func testAFeatureSaidOnMakesItsUnusedPortsLow() throws {
        let policy = try write("features:\n  ha: on\n  clustering: on\n")
        let (_, result) = try audit(["--policy", policy])
        XCTAssertEqual(result.policy.features, ["ha": true, "clustering": true], "recorded in the result's policy")
        let unused = result.findings.filter { $0.kind == .unusedOpening }
        XCTAssertEqual(unused.first { $0.port == 11229 }?.severity, .low)
        XCTAssertEqual(unused.first { $0.port == 4000 }?.severity, .low)
        XCTAssertEqual(unused.first { $0.port == 10394 }?.severity, .info, "embedded LDAP still not said")
    }

    func testAFeatureSaidOffDropsItsPorts() throws {
        let policy = try write("features: {ha: off, embedded-ldap: off}\n")
        let (_, result) = try audit(["--policy", policy])
        let ports = Set(result.unusedOpenings.map(\.port))
        XCTAssertTrue(ports.isDisjoint(with: [10010, 11005, 11229, 10394, 8005]), "\(ports.sorted())")
    }
}
