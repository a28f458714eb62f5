import Audit
import Foundation
import Reports
import XCTest

/// `dasaudit live --connections` makes results `merge` takes, as `audit --connections`
/// does: two nodes that captured the same connections count each once, and successive
/// windows of one node join a connection cut between them. Without the option, `merge`
/// says to run `live` with it. Real traffic on a loopback address of the test's own.
final class LiveMergeTests: XCTestCase {
    var address = ""
    var directory = ""
    let policy = ["--offset", "5"]
    let thrift: UInt16 = 7616  // thrift.tcp.port at offset 5: expected, so the policy orients any connection to it

    override func setUpWithError() throws {
        address = "127.\(Int.random(in: 100...250)).\(Int.random(in: 1...250)).1"
        directory = NSTemporaryDirectory() + "dasaudit-live-merge-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts `live` on lo, filtered to the test's address, and waits until it captures.
    private func startLive(_ arguments: [String]) throws -> DasauditProcess {
        let live = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(address)", "--format", "json"] + policy + arguments)
        XCTAssertTrue(live.waitForError(containing: "capturing on lo"), "live did not start: \(live.stderr)")
        return live
    }

    /// Stops `live` as Ctrl-C does and keeps its JSON result in `name` (in the test's
    /// directory): the file's path, and the result.
    private func stop(_ live: DasauditProcess, savingAs name: String) throws -> (path: String, result: AuditResult) {
        live.signal(SIGINT)
        let (status, stdout) = live.finish()
        XCTAssertNotEqual(status, 2, live.stderr)
        let path = "\(directory)/\(name)"
        try stdout.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, try JSONReport.parse(Data(stdout.utf8)))
    }

    private func merge(_ paths: [String]) throws -> AuditResult {
        let run = try runDasaudit(["merge"] + paths + policy + ["--fail-on", "never", "--format", "json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        return try JSONReport.parse(Data(run.stdout.utf8))
    }

    func testTwoNodesCapturingTheSameConnectionsLiveMergeIntoOneCountEach() throws {
        let service = try LoopbackService(address: address, port: thrift)
        defer { service.stop() }
        let nodeA = try startLive(["--capture-point", "node-a", "--connections"])
        let nodeB = try startLive(["--capture-point", "node-b", "--connections"])
        for _ in 0..<5 { try exchange(with: address, port: thrift) }
        let a = try stop(nodeA, savingAs: "node-a.json"), b = try stop(nodeB, savingAs: "node-b.json")
        for (node, result) in [("node-a", a.result), ("node-b", b.result)] {
            XCTAssertEqual(result.capturePoints?.map(\.name), [node])
            XCTAssertEqual(result.connections?.count, 5, "\(node) lists every connection")
            XCTAssertEqual(Set(result.connections?.compactMap(\.capturePoint) ?? []), [node])
        }

        let merged = try merge([a.path, b.path])
        XCTAssertEqual(merged.capturePoints?.map(\.name), ["node-a", "node-b"])
        XCTAssertEqual(merged.coverage.connections, 5, "each connection once, though both nodes captured it")
        XCTAssertEqual(merged.connections?.count, 10, "each node's sighting, to merge again")
        XCTAssertEqual(merged.services.map(\.port), [thrift])
        XCTAssertEqual(merged.services.first?.connections, 5)
        XCTAssertEqual(merged.services.first?.packets, a.result.services.first?.packets)
    }

    func testSuccessiveWindowsOfOneNodeJoinTheConnectionCutBetweenThem() throws {
        let first = try startLive(["--connections"])
        let connection = try HeldConnection(address: address, port: thrift)
        connection.exchange()
        let before = try stop(first, savingAs: "window-1.json")
        let second = try startLive(["--connections"])
        connection.exchange()
        connection.end()
        let after = try stop(second, savingAs: "window-2.json")
        // Without --capture-point both windows are this host's lo: one capture point.
        let point = CapturePoint.live(interface: "lo").name
        XCTAssertEqual(before.result.capturePoints?.map(\.name), [point])
        XCTAssertEqual(after.result.capturePoints?.map(\.name), [point])
        XCTAssertEqual(before.result.connections?.map(\.ending), [.established], "open when the first window ended")
        XCTAssertEqual(after.result.connections?.map(\.state), [.midstream], "picked up without its handshake")

        let merged = try merge([before.path, after.path])
        XCTAssertEqual(merged.coverage.connections, 1, "the two pieces are one connection")
        XCTAssertEqual(merged.coverage.openAtStart, 0)
        XCTAssertEqual(merged.coverage.openAtEnd, 0)
        let service = try XCTUnwrap(merged.services.first)
        XCTAssertEqual(service.connections, 1)
        XCTAssertEqual(service.states, ["closed": 1], "opened in the first window, closed in the second")
        XCTAssertEqual(service.packets, before.result.services[0].packets + after.result.services[0].packets,
                       "the pieces' packets add up")
    }

    /// Successive live windows of one node are a fraction of a second apart (one run's end
    /// to the next one's start: 0.1-0.8 s measured, scripts/measure-live-gaps.sh), and the
    /// merge joined them without a word, as if the node had watched without a break. The
    /// gaps up to 2 s are now joined and summed in the coverage, never a gap of their own.
    func testSuccessiveLiveWindowsAreJoinedAndTheirGapsSummed() throws {
        let connection = try HeldConnection(address: address, port: thrift)
        var windows: [(path: String, result: AuditResult)] = []
        for index in 1...3 {
            let live = try startLive(["--capture-point", "node-a", "--connections"])
            connection.exchange()
            windows.append(try stop(live, savingAs: "window-\(index).json"))
        }
        connection.end()
        let merged = try merge(windows.map(\.path))
        let apart = zip(windows, windows.dropFirst()).map { earlier, later in
            later.result.coverage.captureStart!.seconds(since: earlier.result.coverage.captureEnd!)
        }
        XCTAssertTrue(apart.allSatisfy { $0 > 0 }, "\(apart)")
        // A machine loaded enough to take more than 2 s from one run's end to the next one's
        // start leaves a gap of its own there, said as one.
        let short = apart.filter { $0 <= 2 }, long = apart.filter { $0 > 2 }
        let joined = try XCTUnwrap(merged.coverage.captureGapsJoined)
        XCTAssertEqual(joined.count, UInt64(short.count))
        XCTAssertEqual(joined.seconds, short.reduce(0, +), accuracy: 1e-6)
        XCTAssertEqual(merged.coverage.captureGaps?.map(\.seconds).count, long.count)
        XCTAssertEqual(merged.findings.filter { $0.kind == .incompleteInput }.count, long.count)
    }

    func testALiveResultWithoutConnectionsIsRefusedSayingToRunLiveWithThem() throws {
        let service = try LoopbackService(address: address, port: thrift)
        defer { service.stop() }
        let nodeA = try startLive(["--capture-point", "node-a"])
        let nodeB = try startLive(["--capture-point", "node-b"])
        try exchange(with: address, port: thrift)
        let a = try stop(nodeA, savingAs: "node-a.json"), b = try stop(nodeB, savingAs: "node-b.json")
        XCTAssertNil(a.result.connections)
        let run = try runDasaudit(["merge", a.path, b.path] + policy)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("node-a.json has no connections section: make it with `dasaudit live --connections`"),
                      run.stderr)
    }
}
