import Audit
import CaptureEngine
import Policy
import XCTest

/// The recorded DAS node set at offset 3, local mode, 1 core (scripts/record-captures.sh):
/// real thrift, TLS, HTTP and echo servers, an executor beyond the allowed range, a rogue
/// server, a server on an ephemeral port, a refused and an unanswered connect, and IPv6.
final class DASOffset3CaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 3, mode: .local, coresPerNode: 1))

    /// Classification of each server endpoint, the same whatever the capture's format.
    private func classifications(_ result: AuditResult) -> [String: String] {
        result.servicesByEndpoint.mapValues { "\($0.classification.rawValue) \($0.catalogKey ?? "-") \($0.connections)" }
    }

    let expectedClassifications = [
        "::1:7614": "expected thrift.tcp.port 1",
        "127.0.0.1:7614": "expected thrift.tcp.port 3",
        "127.0.0.1:7714": "expected thrift.ssl.port 2",
        "127.0.0.1:4043": "expected spark.ui.port 2",
        "127.0.0.1:13003": "expected spark.driver.port 3",
        "127.0.0.1:12003": "executor spark.blockManager.port 2",
        "127.0.0.1:12004": "executor spark.blockManager.port 1",
        "127.0.0.2:12003": "executor spark.blockManager.port 2",
        "127.0.0.2:12006": "executor-out-of-range spark.blockManager.port 2",
        "127.0.0.1:40123": "unexpected - 1",
        "127.0.0.5:8888": "unexpected - 2",
    ]

    func testEveryServiceIsClassifiedInEachFormatAndLinkType() {
        for name in ["das-offset3-lo.pcap", "das-offset3-lo.pcapng", "das-offset3-any.pcap"] {
            let result = auditor.audit(paths: [capture(name)])
            XCTAssertEqual(classifications(result), expectedClassifications, name)
            XCTAssertEqual(result.coverage.packets, 293, name)
            XCTAssertEqual(result.coverage.tcpSegments, 293, name)
        }
    }

    func testTheLinuxCookedCaptureIsReadAsSLL2() {
        let result = auditor.audit(paths: [capture("das-offset3-any.pcap")])
        XCTAssertEqual(result.inputs.first?.linkTypeName, "LINUX_SLL2")
    }

    func testAServerOnAnEphemeralPortIsFoundByItsHandshake() {
        let result = auditor.audit(paths: [capture("das-offset3-lo.pcap")])
        let service = result.servicesByEndpoint["127.0.0.1:40123"]
        XCTAssertEqual(service?.directionBasis, ["handshake": 1])
    }

    func testStatesOfTheConnections() {
        let services = auditor.audit(paths: [capture("das-offset3-lo.pcap")]).servicesByEndpoint
        XCTAssertEqual(services["127.0.0.1:13003"]?.states, ["closed": 2, "established": 1])
        XCTAssertEqual(services["127.0.0.2:12006"]?.states, ["closed": 1, "reset": 1])
    }

    func testRefusedAndUnansweredConnectsAreAttempts() {
        let result = auditor.audit(paths: [capture("das-offset3-lo.pcap")])
        let attempts = result.attempts.map { "\($0.address):\($0.port) refused \($0.refused) unanswered \($0.unanswered)" }
        XCTAssertEqual(attempts, ["127.0.0.1:5432 refused 1 unanswered 0", "127.0.0.3:9999 refused 0 unanswered 1"])
    }

    func testTheExecutorBeyondTheRangeIsAHighFinding() {
        let result = auditor.audit(paths: [capture("das-offset3-lo.pcap")])
        let finding = result.findings.first { $0.kind == .executorOutOfRange }
        XCTAssertEqual(finding?.address, "127.0.0.2")
        XCTAssertEqual(finding?.port, 12006)
        XCTAssertEqual(finding?.severity, .high)
        XCTAssertEqual(result.findings.filter { $0.kind == .unexpectedPort }.compactMap(\.port), [40123, 8888])
    }
}
