import Audit
import Foundation
import Reports
import XCTest

/// A real Spark 4.3.0 standalone cluster whose driver pinned its block manager with
/// spark.driver.blockManager.port (captures/das-home-ignored-ports-lo.pcap, recorded by
/// scripts/recording/record-das-home-ignored.sh: tshark counts 2 connections to
/// 127.0.0.1:12602), audited with the DAS tree that pins it (Tests/Fixtures/
/// das-home-ignored-ports: 12600 at offset 2), a key dasaudit does not read. Before, every
/// such key was dropped in silence: no note, nothing in the result, and the finding on
/// 12602 called it "a Spark service on a port no configuration pinned".
final class DASHomeIgnoredKeysTests: XCTestCase {
    let home = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/das-home-ignored-ports").path
    var sparkDefaults: String { "\(home)/repository/conf/analytics/spark/spark-defaults.conf" }
    let ignored = [(8, "spark.driver.blockManager.port"), (9, "spark.ssl.port"), (10, "spark.driver.port.maxRetries"),
                   (11, "spark.UI.Port"), (12, "spark.ui.https.port")]

    private func notes(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.contains("is not used by dasaudit") }
    }

    private func assertNotes(_ stderr: String, _ command: String, file: StaticString = #filePath, line: UInt = #line) {
        let notes = notes(stderr)
        XCTAssertEqual(notes.count, ignored.count, "\(command): \(stderr)", file: file, line: line)
        for (note, (number, key)) in zip(notes, ignored) {
            XCTAssertTrue(note.hasPrefix("dasaudit: note: \(sparkDefaults):\(number): \(key) "), "\(command): \(note)", file: file, line: line)
        }
        for read in ["spark.ui.port ", "spark.driver.port ", "spark.shuffle.service.port", "spark.blockManager.port",
                     "spark.port.maxRetries", "spark.worker.cores"] {
            XCTAssertFalse(notes.contains { $0.contains(": \(read)") }, "\(command) noted \(read), which it reads", file: file, line: line)
        }
    }

    private func audit(_ extra: [String] = []) throws -> (CommandResult, AuditResult) {
        let run = try runDasaudit(["audit", capture("das-home-ignored-ports-lo.pcap"), "--das-home", home, "--format", "json"] + extra)
        return (run, try JSONReport.parse(Data(run.stdout.utf8)))
    }

    func testEveryCommandReadingTheHomeNotesEachIgnoredKey() throws {
        let (audited, _) = try audit(["--connections"])  // a result merge takes
        assertNotes(audited.stderr, "audit")
        let result = FileManager.default.temporaryDirectory.appendingPathComponent("ignored-\(UUID()).json")
        try Data(audited.stdout.utf8).write(to: result)
        addTeardownBlock { try? FileManager.default.removeItem(at: result) }
        for command in [["ports"], ["flows", capture("das-home-ignored-ports-lo.pcap")], ["merge", result.path],
                        ["live", "-i", "lo", "--duration", "1s", "--format", "json"]] {
            let run = try runDasaudit(command + ["--das-home", home])
            assertNotes(run.stderr, command[0])
        }
        // --offset auto reads the home twice: the notes come once.
        assertNotes(try runDasaudit(["audit", capture("das-home-ignored-ports-lo.pcap"), "--das-home", home, "--offset", "auto",
                                     "--format", "json"]).stderr, "audit --offset auto")
    }

    func testTheResultRecordsTheIgnoredKeys() throws {
        let (_, result) = try audit()
        let keys = try XCTUnwrap(result.policy.ignoredKeys)
        XCTAssertEqual(keys.map(\.key), ignored.map(\.1))
        XCTAssertEqual(keys.map(\.line), ignored.map(\.0))
        XCTAssertEqual(keys.map(\.value), ["12600", "4443", "8", "4041", "4840"])
        XCTAssertTrue(keys.allSatisfy { $0.file == sparkDefaults })
        let plain = try JSONReport.parse(Data(try runDasaudit(["audit", capture("das-home-ignored-ports-lo.pcap"), "--offset", "2",
                                                              "--format", "json"]).stdout.utf8))
        XCTAssertEqual(plain.policy.ignoredKeys?.count, 0, "no --das-home: an empty list")
    }

    func testTheFindingOnThePinnedPortNamesTheKeyAndAllowClearsIt() throws {
        let (_, result) = try audit()
        let service = try XCTUnwrap(result.services.first { $0.port == 12602 })
        XCTAssertEqual(service.connections, 2, "tshark: 2 TCP conversations to 127.0.0.1:12602")
        XCTAssertEqual(service.classification, .unexpected)
        let finding = try XCTUnwrap(result.findings.first { $0.port == 12602 })
        XCTAssertTrue(finding.message.contains("(hint: spark.driver.blockManager.port, a key dasaudit does not read: "
            + "\(sparkDefaults):8 pins it (12600 plus offset 2); allow the port in a policy file with `allow:` if it is meant; "
            + "it speaks Spark RPC)"), finding.message)
        XCTAssertFalse(finding.message.contains("no configuration pinned"), finding.message)

        let policy = FileManager.default.temporaryDirectory.appendingPathComponent("allow-\(UUID()).yaml")
        try Data("allow:\n  - {port: 12602, reason: driver block manager (spark.driver.blockManager.port)}\n".utf8).write(to: policy)
        addTeardownBlock { try? FileManager.default.removeItem(at: policy) }
        let (_, allowed) = try audit(["--policy", policy.path])
        XCTAssertEqual(allowed.services.first { $0.port == 12602 }?.classification, .allowed)
        XCTAssertFalse(allowed.findings.contains { $0.port == 12602 })
    }

    func testNodesWhoseFilesIgnoreDifferentKeysStillMerge() throws {
        // A second node's copy of the tree with one more unread key: the same policy.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("das-home-\(UUID())")
        try FileManager.default.copyItem(atPath: home, toPath: copy.path)
        addTeardownBlock { try? FileManager.default.removeItem(at: copy) }
        let conf = copy.appendingPathComponent("repository/conf/analytics/spark/spark-defaults.conf")
        try (try String(contentsOf: conf, encoding: .utf8) + "spark.yarn.am.port 9000\n").write(to: conf, atomically: true, encoding: .utf8)
        var paths: [String] = []
        // The second node's capture: another recording of a Spark cluster at offset 2.
        for (name, tree, recording) in [("a", home, "das-home-ignored-ports-lo.pcap"), ("b", copy.path, "spark43-multi-s200.pcap")] {
            let run = try runDasaudit(["audit", capture(recording), "--das-home", tree, "--connections", "--format", "json"])
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID()).json").path
            try Data(run.stdout.utf8).write(to: URL(fileURLWithPath: path))
            addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
            paths.append(path)
        }
        let merged = try runDasaudit(["merge"] + paths + ["--format", "json"])
        XCTAssertFalse(merged.stderr.contains("another policy"), merged.stderr)
        let result = try JSONReport.parse(Data(merged.stdout.utf8))
        XCTAssertEqual(result.policy.ignoredKeys?.count, 11, "5 of a's file, 6 of b's")
        XCTAssertEqual(result.policy.ignoredKeys?.last?.key, "spark.yarn.am.port")
    }

    /// The same capture audited with the fixture tree and with a copy whose file sets none
    /// of the unread keys: one policy, so one `policy_sha256`. It hashed `ignored_keys`
    /// with the rest of the section, so the two nodes' digests differed (merge and diff,
    /// which compare sections without it, agreed before and after). Results written with
    /// the old digest still render, diff and merge.
    func testNodesWhoseFilesIgnoreDifferentKeysCarryOnePolicyDigest() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("das-home-\(UUID())")
        try FileManager.default.copyItem(atPath: home, toPath: copy.path)
        addTeardownBlock { try? FileManager.default.removeItem(at: copy) }
        let conf = copy.appendingPathComponent("repository/conf/analytics/spark/spark-defaults.conf")
        let unread = Set(ignored.map(\.1))
        let kept = try String(contentsOf: conf, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { line in !unread.contains { line.hasPrefix($0) } }
        try kept.joined(separator: "\n").write(to: conf, atomically: true, encoding: .utf8)
        func write(_ text: String, _ name: String) throws -> String {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID()).json").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
            return path
        }
        // a and b: one capture under each tree; c: another node's capture (merge takes one
        // result per capture) under the copy.
        var paths: [String] = [], results: [AuditResult] = []
        for (name, tree, recording) in [("a", home, "das-home-ignored-ports-lo.pcap"), ("b", copy.path, "das-home-ignored-ports-lo.pcap"),
                                        ("c", copy.path, "spark43-multi-s200.pcap")] {
            let run = try runDasaudit(["audit", capture(recording), "--das-home", tree, "--connections", "--format", "json"])
            paths.append(try write(run.stdout, name))
            results.append(try JSONReport.parse(Data(run.stdout.utf8)))
        }
        XCTAssertEqual(results.map { $0.policy.ignoredKeys?.count }, [5, 0, 0])
        let digest = try XCTUnwrap(results[0].evidence?.policySha256)
        XCTAssertEqual(results.map { $0.evidence?.policySha256 }, [digest, digest, digest], "one policy, one digest")
        // The recipe in docs/result-schema.md gives it again.
        func recipe(_ filter: String, _ path: String) throws -> String {
            let run = try runProgram(URL(fileURLWithPath: "/bin/sh"),
                                     ["-c", "jq -cS '\(filter)' \"$0\" | tr -d '\\n' | sha256sum", path], environment: [:])
            return String(run.stdout.prefix(64))
        }
        XCTAssertEqual(try recipe(".policy | .ignored_keys = null", paths[0]), digest)
        XCTAssertEqual(try recipe(".policy | .ignored_keys = null", paths[1]), digest)

        let diff = try runDasaudit(["diff", paths[0], paths[1], "--format", "json"])
        XCTAssertEqual(diff.status, 0, diff.stdout + diff.stderr)
        let merged = try runDasaudit(["merge", paths[0], paths[2], "--format", "json"])
        XCTAssertNotEqual(merged.status, 2, merged.stderr)
        XCTAssertFalse(merged.stderr.contains("another policy"), merged.stderr)
        let mergedResult = try JSONReport.parse(Data(merged.stdout.utf8))
        XCTAssertEqual(mergedResult.policy.ignoredKeys?.count, 5)
        XCTAssertEqual(mergedResult.evidence?.policySha256, digest, "the merged policy is the nodes' policy")

        // A result written before: its digest is of the whole section (`jq -cS .policy`).
        let oldDigest = try recipe(".policy", paths[0])
        XCTAssertNotEqual(oldDigest, digest)
        let old = try write(try String(contentsOfFile: paths[0], encoding: .utf8).replacingOccurrences(of: digest, with: oldDigest), "old")
        let rendered = try runDasaudit(["render", old, "--format", "markdown"])
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        XCTAssertTrue(rendered.stdout.contains("- Policy SHA-256: `\(oldDigest)`"), rendered.stdout)
        XCTAssertEqual(try runDasaudit(["diff", old, paths[1], "--format", "json"]).status, 0)
        let mergedOld = try runDasaudit(["merge", old, paths[2], "--format", "json"])
        XCTAssertNotEqual(mergedOld.status, 2, mergedOld.stderr)
        XCTAssertEqual(try JSONReport.parse(Data(mergedOld.stdout.utf8)).evidence?.policySha256, digest)
    }
}
