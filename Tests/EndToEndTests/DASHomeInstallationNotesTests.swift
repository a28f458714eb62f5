import Audit
import Foundation
import Reports
import XCTest

/// What a DAS installation's files make the node do beyond the catalog's plain reading, on
/// edited copies of the real DAS 3.2.0 tree (Tests/Fixtures/das-3.2.0-cluster-local,
/// offset 4) and real recordings: each is read as DAS reads it and said in a note on
/// standard error ("dasaudit: note: FILE:LINE: ..."), not left to surprise the user.
final class DASHomeInstallationNotesTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// A copy of the fixture tree `name` with `file` (relative to it) edited.
    private func home(_ name: String = "das-3.2.0-cluster-local", editing file: String, _ edit: (String) -> String) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("das-notes-\(UUID())")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(name), to: root)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let path = root.appendingPathComponent(file)
        let text = try String(contentsOf: path, encoding: .utf8)
        let edited = edit(text)
        XCTAssertNotEqual(edited, text, "the edit of \(file) changed nothing")
        try Data(edited.utf8).write(to: path)
        return root.path
    }

    private func audit(_ name: String, _ options: [String]) throws -> (run: CommandResult, result: AuditResult) {
        let run = try runDasaudit(["audit", capture(name), "--format", "json"] + options)
        return (run, try JSONReport.parse(Data(run.stdout.utf8)))
    }

    private func notes(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("dasaudit: note: ") }
    }

    /// `spark.ssl.enabled true` in the real tree: DAS's Spark 1.6 serves no HTTPS UI, so
    /// the recorded cluster's audit is the stock tree's. Before, the four UIs' HTTPS ports
    /// were expected and required: unused openings at 4444, 8485, 11904 (low) and 18484.
    func testSSLInADASInstallationExpectsNoHTTPSUIPort() throws {
        let stock = try audit("das-cluster-offset4-lo.pcap", ["--das-home", fixtures.appendingPathComponent("das-3.2.0-cluster-local").path,
                                                              "--cores", "2"]).result
        let ssl = try home(editing: "repository/conf/analytics/spark/spark-defaults.conf") { $0 + "spark.ssl.enabled true\n" }
        let (run, result) = try audit("das-cluster-offset4-lo.pcap", ["--das-home", ssl, "--cores", "2"])
        XCTAssertEqual(result.unusedOpenings.filter { $0.catalogKey.hasSuffix(".https.port") }.map(\.catalogKey), [])
        XCTAssertEqual(result.findings.map(\.message), stock.findings.map(\.message))
        XCTAssertNil(result.policy.features?["spark-ui-https"])
        XCTAssertTrue(notes(run.stderr).contains {
            $0.contains("/spark-defaults.conf:123: spark.ssl.enabled true: DAS's Spark 1.x applies SSL to its Akka remoting")
        }, run.stderr)
    }

    /// The shuffle service turned on without its port, as in DAS's stock file: DAS adds no
    /// offset to a key it never set, so the worker binds Spark's 7337 at offset 2. A real
    /// Spark 4.3.0 shuffle service there (captures/das-shuffle-default-lo.pcap; tshark: 4
    /// TCP conversations to 127.0.0.2:7337). Before, 7337 was a high unexpected port and
    /// 7339 a low unused opening.
    func testAnEnabledShuffleServiceWithoutItsPortIsExpectedAtSparksDefault() throws {
        let stock = fixtures.appendingPathComponent("das-home-shuffle-default").path
        let (run, result) = try audit("das-shuffle-default-lo.pcap", ["--das-home", stock])
        let shuffle = try XCTUnwrap(result.services.first { $0.port == 7337 })
        XCTAssertEqual(shuffle.classification, .expected)
        XCTAssertEqual(shuffle.catalogKey, "spark.shuffle.service.port")
        XCTAssertEqual(shuffle.connections, 4)
        XCTAssertFalse(result.findings.contains { $0.port == 7337 || $0.port == 7339 }, "\(result.findings.map(\.message))")
        XCTAssertEqual(notes(run.stderr), ["dasaudit: note: \(stock)/repository/conf/analytics/spark/spark-defaults.conf:124: "
            + "spark.shuffle.service.enabled true, without spark.shuffle.service.port: DAS adds its port offset only to the "
            + "spark.*.port keys its configuration holds, which it fills in with its own defaults for every other Spark port, "
            + "not for this one, so the shuffle service binds Spark's default 7337 without the offset; dasaudit expects it "
            + "there (set spark.shuffle.service.port in the file to have DAS add the offset)"])
        // The file that sets the port has it moved by the offset, as DAS moves it.
        let pinned = try home("das-home-shuffle-default", editing: "repository/conf/analytics/spark/spark-defaults.conf") {
            $0 + "spark.shuffle.service.port 7337\n"
        }
        let moved = try audit("das-shuffle-default-lo.pcap", ["--das-home", pinned]).result
        XCTAssertEqual(moved.services.first { $0.port == 7337 }?.classification, .unexpected)
        XCTAssertTrue(moved.unusedOpenings.contains { $0.port == 7339 && $0.catalogKey == "spark.shuffle.service.port" })
    }

    /// event-processor.xml in the Distributed (Storm) mode: HA off, and the Storm ports named.
    func testTheDistributedModeIsSaidWithItsPorts() throws {
        let distributed = try home(editing: "repository/conf/event-processor.xml") {
            $0.replacingOccurrences(of: "<mode name=\"Single\" enable=\"true\">", with: "<mode name=\"Single\" enable=\"false\">")
                .replacingOccurrences(of: "<mode name=\"Distributed\" enable=\"false\">", with: "<mode name=\"Distributed\" enable=\"true\">")
        }
        let run = try runDasaudit(["ports", "--das-home", distributed])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(notes(run.stderr), ["dasaudit: note: \(distributed)/repository/conf/event-processor.xml:86: the Distributed "
            + "mode (event processing on Storm) is the first mode enabled, so HA is off and this node opens the Storm manager "
            + "service on 8904, event listeners in the transport port range 15000-15100, as the file gives them (no port offset "
            + "is added); no catalog port is one of them, so dasaudit does not expect them: allow the ones the node uses with "
            + "`allow:` in a policy file"])
        XCTAssertTrue(notes(try runDasaudit(["ports", "--das-home", fixtures.appendingPathComponent("das-3.2.0-cluster-local").path])
            .stderr).isEmpty, "the stock single-node mode: nothing to say")
    }

    /// `<Offset></Offset>`: Carbon keeps no value for it and starts only with -DportOffset.
    /// Before, refused (exit 2) even with --offset.
    func testAnEmptyOffsetIsNoOffsetAndTheCommandLineOneStands() throws {
        let empty = try home(editing: "repository/conf/carbon.xml") {
            $0.replacingOccurrences(of: "<Offset>4</Offset>", with: "<Offset></Offset>")
        }
        let (given, result) = try audit("das-cluster-offset4-lo.pcap", ["--das-home", empty, "--offset", "4", "--cores", "2"])
        XCTAssertEqual(result.policy.offset, 4, given.stderr)
        XCTAssertFalse(given.stderr.contains("<Offset>"), "-DportOffset given: the node runs with it\n\(given.stderr)")

        try assertOffsetZeroWithNote(home: empty, line: 128, "is empty")
    }

    /// `ports --das-home home` runs at offset 0 and says, once, that carbon.xml's
    /// `<Ports><Offset>` (at `line`) `what` ("is empty") and what to do.
    private func assertOffsetZeroWithNote(home: String, line: Int, _ what: String,
                                          file: StaticString = #filePath, lineOfCall: UInt = #line) throws {
        let run = try runDasaudit(["ports", "--das-home", home])
        XCTAssertEqual(run.status, 0, run.stderr, file: file, line: lineOfCall)
        XCTAssertTrue(run.stdout.contains("offset 0"), run.stdout, file: file, line: lineOfCall)
        XCTAssertEqual(notes(run.stderr), ["dasaudit: note: \(home)/repository/conf/carbon.xml:\(line): <Ports><Offset> \(what), "
            + "which Carbon reads as no offset at all: the node starts only when -DportOffset=N gives one (without it, Carbon "
            + "stops at start-up with a NullPointerException setting portOffset); dasaudit takes offset 0: give the node's "
            + "-DportOffset with --offset N"], file: file, line: lineOfCall)
    }

    /// A carbon.xml with no `<Offset>` at all: Carbon finds no value, as for an empty one,
    /// and starts only with -DportOffset. Before, read as offset 0 without a word, and over
    /// a policy file's `offset: 4` ("offset 0 from .../carbon.xml overrides 4"), so the
    /// recorded offset-4 cluster's DAS ports were all unexpected.
    func testAMissingOffsetIsNoOffsetWithTheEmptyOnesNote() throws {
        let missing = try home(editing: "repository/conf/carbon.xml") {
            $0.replacingOccurrences(of: "<Offset>4</Offset>", with: "")
        }
        try assertOffsetZeroWithNote(home: missing, line: 122, "is missing")

        // A policy file's offset fills it in, as it does an empty or `${…}` one.
        let policy = FileManager.default.temporaryDirectory.appendingPathComponent("das-notes-\(UUID()).yaml")
        try Data("offset: 4\n".utf8).write(to: policy)
        addTeardownBlock { try? FileManager.default.removeItem(at: policy) }
        let stock = try audit("das-cluster-offset4-lo.pcap", ["--das-home", fixtures.appendingPathComponent("das-3.2.0-cluster-local").path,
                                                              "--cores", "2"]).result
        let (given, result) = try audit("das-cluster-offset4-lo.pcap", ["--das-home", missing, "--policy", policy.path, "--cores", "2"])
        XCTAssertEqual(result.policy.offset, 4, given.stderr)
        XCTAssertFalse(given.stderr.contains("Offset") || given.stderr.contains("offset 0"), "offset: 4 given: the node runs with it\n\(given.stderr)")
        XCTAssertEqual(result.findings.map(\.message), stock.findings.map(\.message))
    }
}
