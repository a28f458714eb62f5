import Audit
import Foundation
import XCTest

/// `dasaudit merge` over a fleet, on real captures (scripts/recording/record-fleet.sh):
/// hosts a and b in two network namespaces, each capturing its own veth end, with a
/// connection that crosses every window boundary and one still open at the end, each
/// capture also cut into three windows with `editcap -i 3`.
final class FleetMergeTests: XCTestCase {
    let policy = ["--offset", "2", "--mode", "cluster", "--cores", "2"]

    /// The JSON result of auditing `captureName` at capture point `point`, with its connections.
    func audit(_ captureName: String, at point: String) throws -> String {
        let output = temporary(captureName + ".json")
        let run = try runDasaudit(["audit", capture(captureName)] + policy
            + ["--capture-point", point, "--connections", "--format", "json", "--output", output])
        XCTAssertTrue([0, 1].contains(run.status), run.stderr)
        return output
    }

    func merge(_ results: [String]) throws -> String {
        let output = temporary("merged.json")
        // One audit time for every merge (`AuditClock`): the trees are compared byte for byte.
        let run = try runDasaudit(["merge"] + results + policy + ["--format", "json", "--output", output],
                                  environment: ["DASAUDIT_AUDIT_TIME": "2026-12-05T12:00:00Z"])
        XCTAssertTrue([0, 1].contains(run.status), run.stderr)  // 1 when a part holds the rogue port 31337
        return output
    }

    func result(_ path: String) throws -> AuditResult {
        try ResultCoding.decoder().decode(AuditResult.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Everything a merge must get right, per service and attempt: every count and state.
    func counts(_ result: AuditResult) -> [String] {
        result.services.map {
            "\($0.address):\($0.port) \($0.classification) conns \($0.connections) packets \($0.packets) bytes \($0.bytes) "
                + "payload \($0.payloadBytes) clients \($0.clients) \($0.states.sorted { $0.key < $1.key }) "
                + "\($0.directionBasis.sorted { $0.key < $1.key }) \($0.firstSeen)-\($0.lastSeen)"
        } + result.attempts.map { "\($0.address):\($0.port) refused \($0.refused) unanswered \($0.unanswered)" }
            + ["connections \(result.coverage.connections)", "packets \(result.coverage.packets)",
               "open at start \(result.coverage.openAtStart ?? 0), at end \(result.coverage.openAtEnd ?? 0)",
               "findings \(result.findings.map { "\($0.kind.rawValue) \($0.address ?? "-"):\($0.port.map(String.init) ?? "-")" })"]
    }

    /// The three windows of one end, audited apart at one capture point and merged, are
    /// the audit of the whole capture: the long connection is one connection, closed, and
    /// the one still open at the end is one, established.
    func testTheWindowsOfOneCapturePointMergeIntoTheAuditOfTheWhole() throws {
        for side in ["a", "b"] {
            let whole = try result(try audit("fleet-\(side).pcap", at: side))
            let windows = try (1...3).map { try audit("fleet-\(side)-w\($0).pcap", at: side) }
            let merged = try result(try merge(windows))
            XCTAssertEqual(counts(merged), counts(whole), side)
            XCTAssertEqual(whole.coverage.connections, 12)
            XCTAssertEqual(whole.services.first { $0.port == 7613 }?.states, ["closed": 1])
            XCTAssertEqual(whole.services.first { $0.port == 13002 }?.states, ["established": 1])
            // Each window alone sees pieces: midstream ones after the first.
            let second = try result(windows[1])
            XCTAssertEqual(second.services.first { $0.port == 7613 }?.states, ["midstream": 1])
            XCTAssertEqual(merged.capturePoints?.map(\.name), [side])
        }
    }

    /// Both ends of the same traffic, each at its capture point: every connection once,
    /// matched by its client ISN; the windows of both ends together give the same.
    func testBothEndsCountEachConnectionOnce() throws {
        let a = try audit("fleet-a.pcap", at: "a"), b = try audit("fleet-b.pcap", at: "b")
        let one = try result(a)
        let merged = try result(try merge([a, b]))
        let perService = { (r: AuditResult) in r.services.map { "\($0.port) \($0.connections) \($0.packets) \($0.bytes)" } }
        XCTAssertEqual(perService(merged), perService(one))
        XCTAssertEqual(merged.coverage.connections, one.coverage.connections)
        XCTAssertEqual(merged.connections?.count, 2 * one.coverage.connections, "one sighting per end, listed to merge again")
        XCTAssertEqual(merged.capturePoints?.map(\.name), ["a", "b"])
        XCTAssertTrue(merged.connections?.filter { $0.directionBasis == .handshake }.allSatisfy { $0.clientIsn != nil } == true)
        let windows = try ["a", "b"].flatMap { side in try (1...3).map { try audit("fleet-\(side)-w\($0).pcap", at: side) } }
        XCTAssertEqual(perService(try result(try merge(windows))), perService(one))
    }

    /// Any tree of merges of the six window results gives the bytes of one merge of all,
    /// but for the command line in the evidence (it says how each merge was asked for).
    func testAnyTreeOfMergesGivesTheBytesOfOneMergeOfAll() throws {
        let leaves = try ["a", "b"].flatMap { side in try (1...3).map { try audit("fleet-\(side)-w\($0).pcap", at: side) } }
        func bytes(_ path: String) throws -> String {
            var result = try result(path)
            result.evidence?.commandLine = []
            return String(decoding: try ResultCoding.encoder(canonical: true).encode(result), as: UTF8.self)
        }
        let all = try bytes(try merge(leaves))
        XCTAssertEqual(try bytes(try merge(leaves.reversed())), all, "reversed")
        XCTAssertEqual(try bytes(try merge([leaves[4], leaves[0], leaves[5], leaves[2], leaves[1], leaves[3]])), all, "shuffled")
        // ((a1+a2)+a3) + ((b1+b2)+b3)
        let a = try merge([try merge([leaves[0], leaves[1]]), leaves[2]])
        let b = try merge([leaves[3], try merge([leaves[4], leaves[5]])])
        XCTAssertEqual(try bytes(try merge([a, b])), all, "per point, then the points")
        // (a1+b1) + (a2+b2) + (a3+b3): windows across points first.
        let perWindow = try (0..<3).map { try merge([leaves[$0], leaves[$0 + 3]]) }
        XCTAssertEqual(try bytes(try merge(perWindow)), all, "per window, then the windows")
        // a left fold over an interleaving
        var folded = try merge([leaves[5], leaves[0]])
        for leaf in [leaves[3], leaves[1], leaves[4], leaves[2]] { folded = try merge([folded, leaf]) }
        XCTAssertEqual(try bytes(folded), all, "a left fold")
    }

    /// A merged result merged again with one of its sources would count that source's
    /// packets twice: refused, naming both.
    func testAMergedResultAndOneOfItsSourcesAreRefused() throws {
        let a = try audit("fleet-a.pcap", at: "a"), b = try audit("fleet-b.pcap", at: "b")
        let merged = try merge([a, b])
        let run = try runDasaudit(["merge", merged, a] + policy)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("both audited the same capture"), run.stderr)
    }

    /// `--capture-point` follows the node-name rule; a derived name is escaped when printed.
    func testCapturePointNamesAreValidatedAndShown() throws {
        let bad = try runDasaudit(["audit", capture("fleet-a.pcap"), "--capture-point", "a b;rm"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--capture-point 'a b;rm' contains ' '"), bad.stderr)
        let text = try runDasaudit(["audit", capture("fleet-a.pcap")] + policy)
        XCTAssertTrue(text.stdout.contains("captured at: fleet-a.pcap (file name: the host that recorded it is unknown)"), text.stdout)
        let named = try runDasaudit(["audit", capture("fleet-a.pcap"), "--capture-point", "das1"] + policy + ["--format", "markdown"])
        XCTAssertTrue(named.stdout.contains("- Captured at: das1 (named with --capture-point)"), named.stdout)
        let named2 = ["audit", capture("fleet-a.pcap"), "--capture-point", "das1"] + policy
        let html = try runDasaudit(named2 + ["--format", "html"]).stdout
        XCTAssertTrue(html.contains("<dt>Captured at</dt><dd>das1 (named with --capture-point)</dd>"), html)
        let junit = try runDasaudit(named2 + ["--format", "junit"]).stdout
        XCTAssertTrue(junit.contains("<property name=\"capture_points\" value=\"das1\"/>"), junit)
        let csv = try runDasaudit(named2 + ["--format", "csv"]).stdout.split(separator: "\r\n")
        // Every service row ends its service columns with the capture point (the coverage rows follow).
        let services = csv.dropFirst().filter { $0.hasSuffix(",service,,,") }
        XCTAssertTrue(csv[0].hasSuffix(",capture_points,what,coverage,coverage_value,coverage_note") && !services.isEmpty
                      && services.allSatisfy { $0.hasSuffix(",das1,service,,,") }, "\(csv)")
        // A file name with a control character reaches the terminal escaped.
        let directory = temporary("dir")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let hostile = directory + "/evil\u{1B}[31m.pcap"
        try FileManager.default.copyItem(atPath: capture("fleet-a.pcap"), toPath: hostile)
        let escaped = try runDasaudit(["audit", hostile] + policy)
        XCTAssertFalse(escaped.stdout.contains("\u{1B}[31m"), escaped.stdout)
        XCTAssertTrue(escaped.stdout.contains("captured at: evil"), escaped.stdout)
        // Windows audited without --capture-point: merge says they stay different points.
        let unnamed = try (1...2).map { window -> String in
            let output = temporary("unnamed-\(window).json")
            _ = try runDasaudit(["audit", capture("fleet-a-w\(window).pcap"), "--connections", "--format", "json", "-o", output] + policy)
            return output
        }
        let note = try runDasaudit(["merge"] + unnamed + policy)
        XCTAssertTrue(note.stderr.contains("2 capture points are named after their files (fleet-a-w1.pcap, fleet-a-w2.pcap)"),
                      note.stderr)
    }

    /// A result read back whose capture points do not hold together is refused, exit 2,
    /// naming the file and the field; the other results are not merged without it.
    func testAResultWithBadCapturePointsIsRefusedNamingTheField() throws {
        let a = try audit("fleet-a-w1.pcap", at: "a")
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: a))) as? [String: Any])
        var connections = try XCTUnwrap(json["connections"] as? [[String: Any]])
        connections[0]["capture_point"] = "elsewhere"
        json["connections"] = connections
        let edited = temporary("edited.json")
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: edited))
        let run = try runDasaudit(["merge", edited, try audit("fleet-b-w1.pcap", at: "b")] + policy)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("connections[0].capture_point: 'elsewhere' is not one of the result's capture_points"),
                      run.stderr)
        // An input naming the other result's point: it was refused as b's capture of the
        // same time ("both name their capture point 'b'"), which the file does not say.
        connections[0]["capture_point"] = "a"
        json["connections"] = connections
        var inputs = try XCTUnwrap(json["inputs"] as? [[String: Any]])
        inputs[0]["capture_point"] = "b"
        json["inputs"] = inputs
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: edited))
        let input = try runDasaudit(["merge", edited, try audit("fleet-b-w1.pcap", at: "b")] + policy)
        XCTAssertEqual(input.status, 2)
        XCTAssertTrue(input.stderr.contains("\(edited) is not a readable dasaudit result: inputs[0].capture_point: 'b' is not one "
            + "of the result's capture_points"), input.stderr)
        json["capture_points"] = [["name": "", "basis": "option", "host": NSNull(), "interface": NSNull()]]
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: edited))
        let empty = try runDasaudit(["merge", edited] + policy)
        XCTAssertEqual(empty.status, 2)
        XCTAssertTrue(empty.stderr.contains("capture_points[0].name: is empty"), empty.stderr)
    }
}
