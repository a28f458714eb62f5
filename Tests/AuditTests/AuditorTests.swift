import Audit
import Flows
import Policy
import Wire
import XCTest

final class AuditorTests: XCTestCase {
    let policy = Policy(offset: 2, mode: .cluster, coresPerNode: 2)

    private func audit(_ traffic: ScriptedFlows, failOn: FailThreshold = .medium) -> AuditResult {
        let auditor = Auditor(policy: policy, failOn: failOn)
        return auditor.audit(traffic.sink.finish(rules: auditor.directionRules), inputs: [])
    }

    func testEachServiceIsClassifiedAndAggregatedByServerEndpoint() {
        var traffic = ScriptedFlows(into: FlowTable())
        traffic.connect(("127.0.0.1", 40000), ("127.0.0.1", 7079))
        traffic.connect(("127.0.0.2", 40001), ("127.0.0.1", 7079))
        traffic.connect(("127.0.0.1", 40002), ("127.0.0.2", 12003))
        let result = audit(traffic)
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port)" }, ["127.0.0.1:7079", "127.0.0.2:12003"])
        let master = result.services[0]
        XCTAssertEqual(master.classification, .expected)
        XCTAssertEqual(master.connections, 2)
        XCTAssertEqual(master.clients, 2)
        XCTAssertEqual(master.packets, 10)
        // Per connection, the generator's frames: SYN and SYN-ACK 58 bytes (MSS option), the
        // request 54 + 180, the client's FIN 54, the server's FIN with the response 54 + 1448.
        XCTAssertEqual(master.bytes, 2 * (58 + 58 + 234 + 54 + 1502))
        XCTAssertEqual(master.states, ["closed": 2])
        XCTAssertEqual(master.directionBasis, ["handshake": 2])
        XCTAssertEqual(result.services[1].classification, .executor)
    }

    func testUnexpectedAndOutOfRangeServicesAreHighFindings() {
        var traffic = ScriptedFlows(into: FlowTable())
        traffic.connect(("127.0.0.1", 40000), ("127.0.0.4", 31337))
        traffic.connect(("127.0.0.1", 40001), ("127.0.0.2", 12006))
        let result = audit(traffic)
        let high = result.findings.filter { $0.severity == .high }
        XCTAssertEqual(high.map(\.kind), [.executorOutOfRange, .unexpectedPort])
        XCTAssertEqual(high.map(\.port), [12006, 31337])
        XCTAssertEqual(high.map(\.address), ["127.0.0.2", "127.0.0.4"])
        XCTAssertFalse(result.summary.compliant)
    }

    func testRefusedAttemptsAreReportedApartFromServices() {
        var traffic = ScriptedFlows(into: FlowTable())
        traffic.refused(("127.0.0.1", 49712), ("127.0.0.1", 5432))
        let result = audit(traffic)
        XCTAssertTrue(result.services.isEmpty)
        XCTAssertEqual(result.attempts.count, 1)
        XCTAssertEqual(result.attempts[0].port, 5432)
        XCTAssertEqual(result.attempts[0].refused, 1)
        XCTAssertEqual(result.attempts[0].unanswered, 0)
        XCTAssertFalse(result.findings.contains { $0.kind == .unexpectedPort })
    }

    func testEveryExpectedPortWithoutTrafficIsAnUnusedOpening() {
        var traffic = ScriptedFlows(into: FlowTable())
        traffic.connect(("127.0.0.1", 40000), ("127.0.0.1", 7079))
        let result = audit(traffic)
        let unused = Set(result.unusedOpenings.map(\.catalogKey))
        XCTAssertFalse(unused.contains("spark.master.port"))
        XCTAssertTrue(unused.isSuperset(of: ["ha.management.port", "spark.broadcast.port", "spark.blockManager.port"]))
        // All but the web UIs' HTTPS ports, whose feature (spark-ui-https) the policy does not say is on.
        let https = policy.expectedEntries.filter { $0.feature == .sparkUIHTTPS }
        XCTAssertEqual(https.count, 4)
        XCTAssertEqual(result.unusedOpenings.count, policy.expectedEntries.count - 1 - https.count)
        let broadcast = result.findings.first { $0.kind == .unusedOpening && $0.port == 12502 }
        XCTAssertEqual(broadcast?.severity, .info, "broadcast is normally unbound")
        XCTAssertEqual(result.findings.first { $0.kind == .unusedOpening && $0.port == 10007 }?.severity, .info,
                       "HA is conditional: the policy does not say it is on")
    }

    func testTheFailOnThresholdDecidesTheVerdict() {
        var traffic = ScriptedFlows(into: FlowTable())
        traffic.connect(("127.0.0.1", 40000), ("127.0.0.1", 7079))  // leaves low unused-opening findings
        XCTAssertTrue(audit(traffic, failOn: .medium).summary.compliant)
        XCTAssertFalse(audit(traffic, failOn: .low).summary.compliant)
        XCTAssertTrue(audit(traffic, failOn: .never).summary.compliant)
        XCTAssertEqual(audit(traffic).summary.findings["low"], audit(traffic).unusedOpenings.filter(\.normallyBound).count)
    }

    func testConnectionsWithoutADirectionAreListedNotGuessed() {
        var traffic = ScriptedFlows(into: FlowTable())
        traffic.send(("127.0.0.1", 50001), ("127.0.0.2", 50002), [.ack])
        let result = audit(traffic)
        XCTAssertTrue(result.services.isEmpty)
        XCTAssertEqual(result.unresolved.count, 1)
        XCTAssertEqual(result.findings.first { $0.kind == .directionUnknown }?.severity, .info)
    }

    /// Whether or not its server could be told, a connection with no handshake in view was
    /// open when the capture began: `open_at_start` counts both kinds.
    func testEveryConnectionPickedUpMidStreamWasOpenAtTheStart() {
        var traffic = ScriptedFlows(into: FlowTable())
        traffic.send(("127.0.0.1", 50001), ("127.0.0.2", 7079), [.ack])
        traffic.send(("127.0.0.1", 50003), ("127.0.0.2", 50004), [.ack])
        let result = audit(traffic)
        XCTAssertEqual(result.services.count, 1)
        XCTAssertEqual(result.unresolved.count, 1)
        XCTAssertEqual(result.coverage.openAtStart, 2)
    }
}

final class TimestampTests: XCTestCase {
    func testTimestampsKeepNanosecondsAndRoundTrip() {
        let time = Timestamp(nanoseconds: 1_795_738_315_661_507_123)
        XCTAssertEqual("\(time)", "2026-11-27T00:11:55.661507123Z")
        XCTAssertEqual(Timestamp(parsing: "\(time)"), time)
        XCTAssertEqual("\(Timestamp(nanoseconds: 0))", "1970-01-01T00:00:00.000000000Z")
        XCTAssertEqual(Timestamp(parsing: "2000-02-29T12:00:00Z")?.nanoseconds, 951_825_600_000_000_000)
    }

    /// `coverage.duration_seconds` is `capture_end - capture_start` to the nanosecond, not
    /// the difference of two times each rounded to a double (256 ns apart in 2026).
    func testSecondsBetweenTimesKeepTheirNanoseconds() {
        let start = Timestamp(nanoseconds: 1_796_452_562_779_734_285), end = Timestamp(nanoseconds: 1_796_452_563_521_549_749)
        XCTAssertEqual(end.seconds(since: start), 0.741815464)
        XCTAssertEqual(Timestamp(nanoseconds: .max).seconds(since: Timestamp(nanoseconds: .min)), 18_446_744_073.709553)
    }
}

/// A flood reaches the statistics' bounds; the coverage says so instead of hiding it.
final class CoverageBoundsTests: XCTestCase {
    func testCountsPastTheBoundsAreReportedInCoverage() {
        var traffic = ScriptedFlows(into: FlowTable())
        for client in 1...5 { traffic.connect(("10.0.1.\(client)", 40000), ("10.0.0.1", 7079)) }
        for port: UInt16 in 50001...50004 { traffic.send(("10.0.2.1", port), ("10.0.2.2", 50100), [.ack]) }
        let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster))
        let limits = FlowLimits(maxClientAddresses: 3, maxUnresolved: 2)
        let statistics = ServiceStatistics(traffic.sink.finish(rules: auditor.directionRules), limits: limits)
        let result = auditor.audit(statistics, inputs: [])
        XCTAssertEqual(result.unresolved.count, 2)
        XCTAssertEqual(result.coverage.unresolvedNotListed, 2)
        XCTAssertTrue(result.coverage.clientCountsCapped)
        XCTAssertTrue(result.findings.first { $0.kind == .directionUnknown }?.message.hasPrefix("4 connections") == true)

        let unbounded = auditor.audit(ServiceStatistics(traffic.sink.finish(rules: auditor.directionRules)), inputs: [])
        XCTAssertEqual(unbounded.coverage.unresolvedNotListed, 0)
        XCTAssertFalse(unbounded.coverage.clientCountsCapped)
        XCTAssertEqual(unbounded.services.first?.clients, 5)
    }
}
