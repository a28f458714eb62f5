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
    /// naming the file and the field; the other results are merged without it, and the
    /// merged result names it. With no other result, nothing is written.
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
        XCTAssertTrue(run.stdout.contains("! \(edited) is not a readable dasaudit result: connections[0].capture_point: 'elsewhere'"),
                      run.stdout)
        XCTAssertTrue(run.stdout.contains("NOT COMPLIANT"), run.stdout)
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
        XCTAssertTrue(empty.stderr.contains("no result could be merged: nothing to write"), empty.stderr)
        XCTAssertEqual(empty.stdout, "")
    }

    /// One node's result that cannot be read (cut short in copying, missing, not JSON,
    /// hostile) loses that node only: the others are merged and written, in every format,
    /// with the unreadable one named as an input with the reason, a `no-traffic` finding
    /// for its capture point, never compliant (not even under `--fail-on never`), and exit
    /// 2. The merged result reads back and merges again, still naming it.
    func testAResultItCannotReadIsNamedAndTheOthersAreMergedWithoutIt() throws {
        let a = try audit("fleet-a.pcap", at: "a"), b = try audit("fleet-b.pcap", at: "b")
        let alone = try result(try merge([b]))
        let cut = temporary("cut.json"), hostile = temporary("hostile.json"), missing = temporary("missing.json")
        let whole = try Data(contentsOf: URL(fileURLWithPath: a))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: whole) as? [String: Any])
        var connections = try XCTUnwrap(json["connections"] as? [[String: Any]])
        connections[0]["client_isn"] = 1 << 40
        json["connections"] = connections
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: hostile))
        let cases = [(cut, "not JSON"), (missing, "no such file"), (capture("fleet-b-w1.pcap"), "not JSON"),
                     (hostile, "connections[0].client_isn")]
        for (bad, problem) in cases {
            let output = temporary("with-unreadable.json")
            let reports = ["text", "markdown", "html", "junit"].map { (format: $0, path: temporary("with-unreadable.\($0)")) }
            let run = try runDasaudit(["merge", b, bad] + policy + ["--fail-on", "never", "--format", "json", "--output", output]
                + reports.flatMap { ["--report", "\($0.format):\($0.path)"] })
            XCTAssertEqual(run.status, 2, run.stderr)
            let error = "\(bad) is not a readable dasaudit result: "
            XCTAssertTrue(run.stderr.contains(error), run.stderr)
            let merged = try result(output)
            // Nothing of b's lost, nothing of the bad one's taken.
            XCTAssertEqual(merged.services.map { "\($0.address):\($0.port) \($0.connections) \($0.packets)" },
                           alone.services.map { "\($0.address):\($0.port) \($0.connections) \($0.packets)" }, bad)
            XCTAssertFalse(merged.services.isEmpty)
            let named = try XCTUnwrap(merged.inputs.first { $0.path == bad }, bad)
            XCTAssertTrue(named.error?.hasPrefix(error) == true && named.error?.contains(problem) == true, "\(named.error ?? "")")
            XCTAssertEqual(named.packets, 0)
            XCTAssertEqual(merged.evidence?.inputs.first { $0.path == bad }?.sha256, nil)
            XCTAssertFalse(merged.coverage.complete)
            let point = URL(fileURLWithPath: bad).lastPathComponent
            XCTAssertTrue(merged.findings.contains { $0.kind == .noTraffic && $0.message.hasPrefix("capture point \(point) audited no TCP") },
                          "\(merged.findings.map(\.message))")
            XCTAssertTrue(merged.findings.contains { $0.kind == .incompleteInput && $0.message.hasPrefix(error) })
            XCTAssertFalse(merged.summary.compliant, bad)
            for report in reports {
                let text = try String(contentsOfFile: report.path, encoding: .utf8)
                XCTAssertTrue(text.contains("is not a readable dasaudit result"), "\(report.format): \(bad)")
            }
            // Read back and merged again: the node is still missing, and said to be.
            let again = try runDasaudit(["merge", output, a] + policy + ["--format", "json"])
            XCTAssertEqual(again.status, 1, again.stderr)
            let remerged = try ResultCoding.decoder().decode(AuditResult.self, from: Data(again.stdout.utf8))
            XCTAssertEqual(remerged.inputs.first { $0.path == bad }?.error, named.error)
            XCTAssertTrue(remerged.findings.contains { $0.kind == .noTraffic })
        }
    }

    /// Values an audit never writes and other readers read another way are refused where a
    /// result is read, naming the field: an octet with a leading zero (`010.078.000.001`,
    /// octal to some parsers) and protocol or TLS version names outside the vocabulary
    /// (read as `unknown` before, without a word).
    func testLeadingZeroOctetsAndUnknownProtocolNamesAreRefusedNamingTheField() throws {
        let a = try audit("fleet-a.pcap", at: "a"), b = try audit("fleet-b.pcap", at: "b")
        let edits: [(field: String, value: String, problem: String)] = [
            ("client", "010.078.000.001", "connections[0].client: '010.078.000.001' has an octet with a leading zero, which some "
                + "readers take for octal: dasaudit writes 10.78.0.1"),
            ("server", "::ffff:10.078.0.2", "connections[0].server: '::ffff:10.078.0.2' has an octet with a leading zero"),
            ("protocol", "gopher", "connections[0].protocol: 'gopher' is not a protocol dasaudit recognizes (unknown, none, other, tls"),
            ("tls_version", "tls 9", "connections[0].tls_version: 'tls 9' is not a TLS version (SSLv2, SSLv3, 1.0, 1.1, 1.2, 1.3)"),
        ]
        let original = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: a))) as? [String: Any])
        for edit in edits {
            var json = original
            var connections = try XCTUnwrap(json["connections"] as? [[String: Any]])
            connections[0][edit.field] = edit.value
            json["connections"] = connections
            let edited = temporary("edited-\(edit.field).json")
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: edited))
            let run = try runDasaudit(["merge", edited, b] + policy)
            XCTAssertEqual(run.status, 2, edit.field)
            XCTAssertTrue(run.stderr.contains("\(edited) is not a readable dasaudit result: \(edit.problem)"), run.stderr)
            let render = try runDasaudit(["render", edited])
            XCTAssertEqual(render.status, 2, edit.field)
            XCTAssertTrue(render.stderr.contains(edit.problem), render.stderr)
        }
        var json = original
        var services = try XCTUnwrap(json["services"] as? [[String: Any]])
        services[0]["protocols"] = ["gopher": 1]
        json["services"] = services
        let edited = temporary("edited-services.json")
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: edited))
        let run = try runDasaudit(["render", edited])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("services[0].protocols: 'gopher' is not a protocol dasaudit recognizes"), run.stderr)
    }
}
