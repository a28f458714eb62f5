import Audit
import Foundation
import XCTest

/// `dasaudit merge`: the results of two nodes that captured the same traffic, one at each
/// end (captures/both-ends-a.pcap and -b.pcap, recorded in two network namespaces by
/// scripts/recording/record-both-ends.sh), merge into the counts of one capture.
final class MergeTests: XCTestCase {
    let policy = ["--offset", "2", "--mode", "cluster", "--cores", "2"]

    func audit(_ capture: String, connections: Bool = true) throws -> String {
        let output = temporary(capture + ".json")
        let run = try runDasaudit(["audit", capturesDirectory.appendingPathComponent(capture).path] + policy
            + (connections ? ["--connections"] : []) + ["--format", "json", "--output", output])
        XCTAssertEqual(run.status, 1, run.stderr)  // the captures have findings
        return output
    }

    func result(_ text: String) throws -> AuditResult { try decodedResult(text) }

    /// What must not change: per service and per attempted endpoint, every count.
    func counts(_ result: AuditResult) -> [String] {
        serviceCounts(result) + result.attempts.map { "\($0.address):\($0.port) refused \($0.refused) unanswered \($0.unanswered)" }
            + ["unresolved \(result.unresolved.count)", "connections \(result.coverage.connections)",
               "findings \(result.findings.map { "\($0.kind.rawValue) \($0.address ?? "-"):\($0.port.map(String.init) ?? "-")" })"]
    }

    func testBothEndsOfTheSameTrafficMergeIntoTheCountsOfOneCapture() throws {
        let a = try audit("both-ends-a.pcap"), b = try audit("both-ends-b.pcap")
        let one = try result(try runDasaudit(["audit", capture("both-ends-a.pcap")] + policy + ["--format", "json"]).stdout)
        let merged = try runDasaudit(["merge", a, b] + policy + ["--format", "json"])
        XCTAssertEqual(merged.status, 1, merged.stderr)
        let cluster = try result(merged.stdout)
        XCTAssertEqual(counts(cluster), counts(one))
        XCTAssertEqual(cluster.coverage.connections, one.coverage.connections)
        XCTAssertEqual(cluster.connections?.count, 2 * one.coverage.connections, "each end's sighting, to merge again")
        XCTAssertEqual(one.coverage.connections, 18)
        // Each capture alone already has every connection: neither end adds one.
        XCTAssertEqual(counts(try result(try String(contentsOfFile: b))), counts(one))
        // The merged result can be merged again with other results: still one count each.
        let again = temporary("cluster.json")
        try merged.stdout.write(toFile: again, atomically: true, encoding: .utf8)
        let twice = try runDasaudit(["merge", again] + policy + ["--format", "json"])
        XCTAssertEqual(counts(try result(twice.stdout)), counts(one))
    }

    func testResultsOfDifferentTrafficAddUp() throws {
        let a = try audit("both-ends-a.pcap"), spark = try audit("spark-cluster-offset2-lo.pcap")
        let merged = try result(try runDasaudit(["merge", a, spark] + policy + ["--format", "json"]).stdout)
        let results = [try result(try String(contentsOfFile: a)), try result(try String(contentsOfFile: spark))]
        XCTAssertEqual(merged.coverage.connections, results.reduce(0) { $0 + $1.coverage.connections })
        XCTAssertEqual(merged.services.count, results.reduce(0) { $0 + $1.services.count })
        XCTAssertEqual(merged.inputs.map(\.path).count, 2)
        XCTAssertEqual(Set(merged.inputs.compactMap(\.capturePoint)), ["both-ends-a.pcap", "spark-cluster-offset2-lo.pcap"])
    }

    func testAResultWithoutConnectionsIsRefused() throws {
        let a = try audit("both-ends-a.pcap"), plain = try audit("both-ends-b.pcap", connections: false)
        let run = try runDasaudit(["merge", a, plain] + policy)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("has no connections section: make it with `dasaudit audit --connections`"), run.stderr)
    }
}
