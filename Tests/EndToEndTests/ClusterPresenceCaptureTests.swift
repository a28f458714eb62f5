import Audit
import Foundation
import Reports
import XCTest

/// A capture that saw nothing of the declared cluster, through the binary on a real
/// capture (the Spark cluster on loopback: 127.0.0.1, 127.0.0.2 and a rogue 127.0.0.4).
/// A policy for another cluster's nodes passed it COMPLIANT (exit 0), every node port
/// merely a low unused opening; a node missing from a capture that saw the others went
/// unsaid.
final class ClusterPresenceCaptureTests: XCTestCase {
    var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try scratchDirectory() }
    override func tearDown() { scratch = nil }

    /// `nodes` (name: address) as a policy file at offset 2 in cluster mode, allowing the
    /// capture's rogue port so that only the presence of the nodes decides the verdict.
    func policy(_ nodes: [(String, String)]) throws -> String {
        let path = scratch.path("policy.yaml")
        let text = "offset: 2\nmode: cluster\ncores: 2\nallow:\n  - port: 31337\n    reason: the capture's demo rogue\nnodes:\n"
            + nodes.map { "  - name: \($0.0)\n    addresses: [\($0.1)]\n" }.joined()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func audit(_ policy: String, failOn: String = "medium") throws -> (CommandResult, AuditResult) {
        let json = scratch.path("result.json")
        let run = try runDasaudit(["audit", capture("spark-cluster-offset2-lo.pcap"), "--policy", policy,
                                   "--fail-on", failOn, "--report", "json:\(json)"])
        return (run, try JSONReport.parse(try contents(json)))
    }

    func testACaptureWithNoneOfTheDeclaredNodesIsNotCompliantAtAnyThreshold() throws {
        let nodes = try policy([("das1", "10.9.9.1"), ("das2", "10.9.9.2")])
        for failOn in ["medium", "never"] {
            let (run, result) = try audit(nodes, failOn: failOn)
            XCTAssertEqual(run.status, 1, run.stderr)
            let expected = "none of the policy's 2 declared nodes, das1 (10.9.9.1), das2 (10.9.9.2), took part in any "
                + "connection of the capture, as server or client; its servers were 127.0.0.1, 127.0.0.2 and 127.0.0.4 "
                + "instead: the capture says nothing of the declared cluster"
            XCTAssertEqual(result.findings.filter { $0.kind == .noTraffic }.map(\.message), [expected])
            XCTAssertEqual(result.findings.first { $0.kind == .noTraffic }?.severity, .high)
            XCTAssertTrue(run.stdout.contains("\nNOT COMPLIANT: \(expected)"), run.stdout)
            // Its ports are not "unused": nothing of them was seen at all.
            XCTAssertFalse(result.findings.contains { $0.kind == .unusedOpening })
            XCTAssertFalse(result.summary.compliant)
        }
    }

    /// One declared node seen, one never: the missing one is a low `node-not-seen`
    /// finding, not an audit of nothing; it fails only at --fail-on low, and a waiver by
    /// the node's name covers it.
    func testADeclaredNodeNeverSeenIsALowFindingOfItsOwn() throws {
        let nodes = try policy([("master", "127.0.0.1"), ("worker", "127.0.0.2"), ("das3", "10.9.9.3")])
        let result = try audit(nodes).1
        XCTAssertFalse(result.findings.contains { $0.kind == .noTraffic })
        let missing = result.findings.filter { $0.kind == .nodeNotSeen }
        XCTAssertEqual(missing.map(\.node), ["das3"])
        XCTAssertEqual(missing.first?.severity, .low)
        XCTAssertEqual(missing.first?.address, "10.9.9.3")
        XCTAssertTrue(missing.first?.message.hasPrefix("declared node das3 (10.9.9.3) took part in no connection") == true)
        XCTAssertEqual(missing.map { $0.fails(under: .medium) }, [false])
        XCTAssertEqual(missing.map { $0.fails(under: .low) }, [true])

        let waived = nodes + ".waived.yaml"
        try (String(contentsOfFile: nodes, encoding: .utf8) + "waivers:\n  - kind: node-not-seen\n    host: das3\n"
            + "    reason: das3 is down for maintenance, CHG-77\n    expires: 2999-01-01\n")
            .write(toFile: waived, atomically: true, encoding: .utf8)
        let waivedResult = try audit(waived, failOn: "low").1
        let finding = try XCTUnwrap(waivedResult.findings.first { $0.kind == .nodeNotSeen })
        XCTAssertTrue(finding.isWaived)
        XCTAssertFalse(finding.fails(under: .low))
    }

    /// A node seen only as a client (a driver that serves nothing in the window) took part.
    func testANodeSeenOnlyAsAClientTookPart() throws {
        // 127.0.0.4 serves the rogue port; the worker 127.0.0.2 connects to the master.
        let nodes = try policy([("clientonly", "127.0.0.2"), ("das3", "10.9.9.3")])
        let (_, result) = try audit(nodes)
        XCTAssertFalse(result.findings.contains { $0.kind == .noTraffic })
        XCTAssertEqual(result.findings.filter { $0.kind == .nodeNotSeen }.map(\.node), ["das3"])
    }

    /// The recorded DAS cluster under its own policy (three nodes, all in the capture) gets
    /// neither finding.
    func testEveryDeclaredNodeSeenMakesNoPresenceFinding() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        let json = scratch.path("cluster.json")
        _ = try runDasaudit(["audit", capture("das-cluster-offset4-lo.pcap"),
                             "--policy", fixtures.appendingPathComponent("cluster-nodes.yaml").path,
                             "--das-home", fixtures.appendingPathComponent("das-cluster-home").path, "--report", "json:\(json)"])
        let result = try JSONReport.parse(try contents(json))
        XCTAssertFalse(result.findings.contains { $0.kind == .noTraffic || $0.kind == .nodeNotSeen },
                       result.findings.map(\.message).joined(separator: "\n"))
    }
}
