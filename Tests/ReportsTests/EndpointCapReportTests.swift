import Audit
import Flows
import Foundation
import Policy
@testable import Reports
import Wire
import XCTest

/// A scan past the (here small) caps on listed endpoints: the audit lists no more than
/// the caps, says in its coverage what it left out, and every report shows it.
final class EndpointCapReportTests: XCTestCase {
    /// 300 answered and 300 unanswered ports on one host under caps of 20 and 10.
    private func scannedAudit() -> AuditResult {
        let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))
        var table = FlowTable(rules: auditor.directionRules, limits: FlowLimits(maxConnections: 64, maxServices: 20, maxAttempts: 10))
        let scanner = IPAddress("10.9.0.9")!, target = IPAddress("10.0.0.3")!
        var time: Int64 = 1_790_000_000 * FlowLimits.second
        for port in UInt16(20000)..<20600 {
            time += 1_000_000
            table.add(TCPSegment(source: scanner, destination: target, sourcePort: 50000, destinationPort: port, flags: [.syn]),
                      timestamp: time, wireLength: 60)
            guard port % 2 == 0 else { continue }
            table.add(TCPSegment(source: target, destination: scanner, sourcePort: port, destinationPort: 50000, flags: [.syn, .ack]),
                      timestamp: time + 10, wireLength: 60)
            table.add(TCPSegment(source: scanner, destination: target, sourcePort: 50000, destinationPort: port, flags: [.ack]),
                      timestamp: time + 20, wireLength: 60)
        }
        return auditor.audit(table.statistics(), inputs: [])
    }

    func testTheAuditListsTheCapsAndCountsTheRest() throws {
        let result = scannedAudit()
        XCTAssertEqual(result.services.count, 20)
        XCTAssertEqual(result.attempts.count, 10)
        XCTAssertEqual(result.coverage.connections, 600)
        XCTAssertEqual(result.coverage.serviceConnectionsNotListed, 280)
        XCTAssertEqual(result.coverage.servicePacketsNotListed, 280 * 3)
        XCTAssertEqual(result.coverage.serviceBytesNotListed, 280 * 180)
        XCTAssertEqual(result.coverage.attemptsNotListed, 290)
        XCTAssertLessThanOrEqual(result.findings.count, 20 + 10 + result.unusedOpenings.count + 5, "findings are bounded by the lists")
    }

    func testEveryReportSaysWhatWasNotListed() throws {
        let result = scannedAudit()
        let expected = "280 connections (840 packets, 50400 bytes) to services past the listed ones; 290 attempts on endpoints past the listed ones"
        XCTAssertTrue(TextReport(color: false).render(result).contains("not listed: " + expected))
        XCTAssertTrue(MarkdownReport.render(result).contains(expected))
        XCTAssertTrue(HTMLReport.render(result).contains(expected))
        XCTAssertTrue(JUnitReport.render(result).contains("<property name=\"service_connections_not_listed\" value=\"280\"/>"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try JSONReport.render(result).utf8)) as? [String: Any])
        let coverage = try XCTUnwrap(json["coverage"] as? [String: Any])
        XCTAssertEqual(coverage["service_connections_not_listed"] as? Int, 280)
        XCTAssertEqual(coverage["attempts_not_listed"] as? Int, 290)
        let schema = try JSONSerialization.jsonObject(with: Data(contentsOf: repositoryRoot.appendingPathComponent("docs/result-schema.json")))
        XCTAssertEqual(JSONSchemaValidator(root: try XCTUnwrap(schema as? [String: Any])).errors(json), [])
        // Without a cap reached, nothing is said.
        XCTAssertFalse(TextReport(color: false).render(syntheticAudit(services: 3)).contains("not listed"))
    }

    /// Three scanners of 250 refused ports each under a bound of 300 (endpoint, client)
    /// pairs: the first is found; the second is found by the 50 ports tallied before the
    /// bound (from one source port, a scan under `min_ports`), the third, past the bound,
    /// is not; and every report says that scans past it are not found.
    func testEveryReportSaysWhenTheClientBoundHidScanners() throws {
        let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))
        var table = FlowTable(rules: auditor.directionRules, limits: FlowLimits(maxClientAddresses: 300))
        let target = IPAddress("10.0.0.3")!
        var time: Int64 = 1_790_000_000 * FlowLimits.second
        for scanner in ["10.9.0.1", "10.9.0.2", "10.9.0.3"].map({ IPAddress($0)! }) {
            for port in UInt16(20000)..<20250 {
                time += 1_000_000
                table.add(TCPSegment(source: scanner, destination: target, sourcePort: 50000, destinationPort: port, flags: [.syn]),
                          timestamp: time, wireLength: 60)
                table.add(TCPSegment(source: target, destination: scanner, sourcePort: port, destinationPort: 50000, flags: [.rst, .ack]),
                          timestamp: time + 10, wireLength: 60)
            }
        }
        let result = auditor.audit(table.statistics(), inputs: [])
        XCTAssertTrue(result.coverage.clientCountsCapped)
        XCTAssertEqual(result.scans?.map(\.scanner), ["10.9.0.1", "10.9.0.2"])
        XCTAssertEqual(result.scans?.last?.ports, 50)
        let expected = "port scans by clients past the bound are not found"
        XCTAssertTrue(TextReport(color: false).render(result).contains(expected))
        XCTAssertTrue(MarkdownReport.render(result).contains("**Clients bound reached**: "))
        XCTAssertTrue(MarkdownReport.render(result).contains(expected))
        XCTAssertTrue(HTMLReport.render(result).contains(expected))
        XCTAssertFalse(TextReport(color: false).render(syntheticAudit(services: 3)).contains("client addresses than the bound"))
        XCTAssertFalse(HTMLReport.render(syntheticAudit(services: 3)).contains("Clients bound"))
    }

    /// The connection table's cap (64 here) evicted unanswered connects while they were
    /// still open: the coverage counts them and every report says the bound was reached.
    func testEveryReportSaysWhenTheConnectionCapEvictedOpenConnections() throws {
        let result = scannedAudit()
        let evicted = try XCTUnwrap(result.coverage.openConnectionsEvictedAtCap)
        XCTAssertGreaterThan(evicted, 0)
        let expected = "\(evicted) connections evicted while open at the connection-table cap"
        XCTAssertTrue(TextReport(color: false).render(result).contains(expected))
        XCTAssertTrue(MarkdownReport.render(result).contains("**Memory bound reached**: " + expected))
        XCTAssertTrue(HTMLReport.render(result).contains(expected))
        XCTAssertTrue(JUnitReport.render(result).contains("<property name=\"open_connections_evicted_at_cap\" value=\"\(evicted)\"/>"))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try JSONReport.render(result).utf8)) as? [String: Any])
        XCTAssertEqual((json["coverage"] as? [String: Any])?["open_connections_evicted_at_cap"] as? Int, Int(evicted))
        // Under the cap: zero, and no report mentions it.
        let quiet = syntheticAudit(services: 3)
        XCTAssertEqual(quiet.coverage.openConnectionsEvictedAtCap ?? 0, 0)
        XCTAssertFalse(TextReport(color: false).render(quiet).contains("connection-table cap"))
        XCTAssertFalse(MarkdownReport.render(quiet).contains("Memory bound"))
    }
}
