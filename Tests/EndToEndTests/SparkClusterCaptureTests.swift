import Audit
import CaptureEngine
import Policy
import Reports
import XCTest

/// The shared real capture: a Spark standalone cluster at offset 2, cluster mode, 2 cores
/// (master 127.0.0.1, worker 127.0.0.2, rogue 127.0.0.4:31337). See captures/README.md.
final class SparkClusterCaptureTests: XCTestCase {
    static let path = capture("spark-cluster-offset2-lo.pcap")
    static let result = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))
        .audit(paths: [path])

    var result: AuditResult { Self.result }

    func testTheWholeCaptureIsRead() {
        XCTAssertEqual(result.inputs.count, 1)
        XCTAssertEqual(result.inputs[0].linkTypeName, "EN10MB")
        XCTAssertEqual(result.coverage.packets, 2050)
        XCTAssertEqual(result.coverage.tcpSegments, 2050)
        XCTAssertEqual(result.coverage.connections, 41)
        XCTAssertTrue(result.coverage.complete)
        XCTAssertEqual(result.coverage.durationSeconds, 26.702624, accuracy: 1e-6)
    }

    func testTheCatalogServicesAreExpectedWithTheirKeys() {
        let expected: [String: String] = [
            "127.0.0.1:7613": "thrift.tcp.port", "127.0.0.1:7713": "thrift.ssl.port",
            "127.0.0.1:7079": "spark.master.port", "127.0.0.1:6068": "spark.master.rest.port",
            "127.0.0.1:8083": "spark.master.webui.port", "127.0.0.2:11002": "spark.worker.port",
            "127.0.0.2:11502": "spark.worker.webui.port", "127.0.0.1:13002": "spark.driver.port",
            "127.0.0.1:4042": "spark.ui.port",
        ]
        let services = result.servicesByEndpoint
        for (endpoint, key) in expected {
            XCTAssertEqual(services[endpoint]?.classification, .expected, endpoint)
            XCTAssertEqual(services[endpoint]?.catalogKey, key, endpoint)
        }
        XCTAssertEqual(result.services.filter { $0.classification == .expected }.count, expected.count)
        XCTAssertEqual(services["127.0.0.2:11002"]?.alsoCatalogKeys, ["ha.presenter.port"])
    }

    func testTheCountsOfAServiceMatchTheCapture() {
        // tshark -z conv,tcp: twelve thrift connections of 10 frames each, one client.
        let thrift = result.servicesByEndpoint["127.0.0.1:7613"]
        XCTAssertEqual(thrift?.connections, 12)
        XCTAssertEqual(thrift?.packets, 120)
        XCTAssertEqual(thrift?.bytes, 18136)
        XCTAssertEqual(thrift?.clients, 1)
        XCTAssertEqual(thrift?.states, ["closed": 12])
    }

    func testBlockManagerTrafficIsExecutorTrafficInTheAllowedRange() {
        let executors = result.services.filter { $0.classification == .executor }.map { "\($0.address):\($0.port)" }
        XCTAssertEqual(executors, ["127.0.0.1:12002", "127.0.0.2:12002", "127.0.0.2:12003"])
        XCTAssertFalse(result.services.contains { $0.classification == .executorOutOfRange })
    }

    func testTheRogueServerAndSparksRandomPortsAreUnexpected() {
        let unexpected = result.services.filter { $0.classification == .unexpected }.map { "\($0.address):\($0.port)" }
        XCTAssertEqual(unexpected, ["127.0.0.1:33289", "127.0.0.1:39897", "127.0.0.1:42985", "127.0.0.1:45335",
                                    "127.0.0.1:54719", "127.0.0.1:56877", "127.0.0.4:31337"])
        let findings = result.findings.filter { $0.kind == .unexpectedPort }
        XCTAssertEqual(findings.count, 7)
        XCTAssertTrue(findings.allSatisfy { $0.severity == .high })
    }

    func testTheRefusedConnectIsAnAttemptNotAService() {
        XCTAssertNil(result.servicesByEndpoint["127.0.0.1:5432"])
        XCTAssertEqual(result.attempts.map { "\($0.address):\($0.port)" }, ["127.0.0.1:5432"])
        XCTAssertEqual(result.attempts.first?.refused, 1)
    }

    func testCatalogPortsWithoutTrafficAreUnusedOpenings() {
        XCTAssertEqual(result.unusedOpenings.map(\.catalogKey), [
            "hazelcast.localMemberPort", "Ports.EmbeddedLDAP.KDCServerPort", "carbon.https.port", "binary.tcp.port",
            "binary.ssl.port", "carbon.http.port", "Ports.JMX.RMIRegistryPort", "ha.management.port",
            "Ports.EmbeddedLDAP.LDAPServerPort", "Ports.ThriftEntitlementReceivePort", "Ports.JMX.RMIServerPort",
            "ha.eventSync.port", "spark.broadcast.port", "spark.executor.port", "spark.fileserver.port",
            "spark.replClassServer.port", "spark.history.ui.port",
        ])
        XCTAssertEqual(result.unusedOpenings.map(\.port), [4000, 8002, 9445, 9613, 9713, 9765, 10001, 10007, 10391, 10502,
                                                            11113, 11226, 12502, 13502, 14002, 14502, 18082])
        // Low only where a port is bound on every DAS node; the rest are info (normally unbound, or a feature not said on).
        XCTAssertEqual(result.unusedOpenings.filter(\.normallyBound).map(\.port), [9445, 9613, 9713, 9765, 10001, 11113,
                                                                                  13502, 14002])
    }

    func testEveryConnectionWasOrientedByItsHandshake() {
        XCTAssertTrue(result.unresolved.isEmpty)
        XCTAssertTrue(result.services.allSatisfy { $0.directionBasis.keys.sorted() == ["handshake"] })
    }

    func testTheVerdictFailsOnTheUnexpectedPorts() {
        XCTAssertFalse(result.summary.compliant)
        XCTAssertEqual(result.summary.findings["high"], 7)
        XCTAssertEqual(result.summary.classifications["expected"], 9)
    }
}
