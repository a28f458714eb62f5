import Audit
import Foundation
import XCTest

/// The status audits of a running `dasaudit live` (every `--interval`) judge a capture
/// that is still going: a connect whose SYN-ACK has not come yet is not an unanswered one,
/// and a window too short to call openings unused is only so until the run ends. Each used
/// to reach the events (and Prometheus' `dasaudit_findings`) as a finding the final audit
/// did not have. Here the server's first SYN of each connection is dropped by iptables
/// in a namespace of the test's own, so Linux sends it again after 1 s while status audits
/// run every 0.2 s.
final class LiveInterimAuditTests: XCTestCase {
    private let lab = NamespaceLab()
    private var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "dasaudit-interim-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        lab.tearDown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testAConnectStillWaitingForItsAnswerIsNoInterimFinding() throws {
        let namespace = "dasaudit-slow-\(getpid() % 100_000)"
        try lab.addNamespace(namespace)
        try lab.startAnsweringServer(at: "127.0.0.1", port: 7079, in: namespace)
        // The server listens before the capture starts: a refused connect is an attempt too.
        XCTAssertEqual(try lab.run(["ip", "netns", "exec", namespace, "python3", "-c", """
            import socket, time
            for attempt in range(100):
                try:
                    socket.create_connection(("127.0.0.1", 7079), timeout=1).close(); break
                except OSError:
                    time.sleep(0.05)
            """]), 0)
        // Every other SYN to the server is lost: each connection's first, so each waits 1 s.
        try lab.require(["ip", "netns", "exec", namespace, "iptables", "-A", "INPUT", "-p", "tcp", "--dport", "7079", "--syn",
                         "-m", "statistic", "--mode", "nth", "--every", "2", "--packet", "0", "-j", "DROP"])
        let eventsPath = directory + "/events.ndjson"
        let run = try lab.live(in: namespace, ["-i", "lo", "--filter", "tcp port 7079", "--offset", "2", "--mode", "cluster",
                                               "--interval", "0.2s", "--events", eventsPath, "--event-snapshots"])
        let started = Date()
        XCTAssertEqual(try lab.run(["ip", "netns", "exec", namespace, "python3", "-c", """
            import socket
            for _ in range(3):
                c = socket.create_connection(("127.0.0.1", 7079), timeout=5)
                c.sendall(b"hello"); data = b""
                while chunk := c.recv(4096): data += chunk
                c.close()
            """]), 0)
        XCTAssertGreaterThan(Date().timeIntervalSince(started), 2.5, "each connect waited for its SYN to be sent again")
        let result = try lab.result(of: run)
        XCTAssertEqual(result.attempts.count, 0, "every connect was answered in the end")
        XCTAssertEqual(result.findings.filter { $0.kind == .expectedServiceNotAnswering }.count, 0)

        let events = try String(contentsOfFile: eventsPath, encoding: .utf8).split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
        let findings = events.filter { $0["event"] as? String == "finding" }
        XCTAssertEqual(findings.filter { $0["kind"] as? String == "expected-service-not-answering" }.count, 0, "\(findings)")
        for snapshot in events.filter({ $0["event"] as? String == "snapshot" }) {
            XCTAssertEqual((snapshot["findings"] as? [String: Int])?["medium"], 0, "no interim medium finding: \(snapshot)")
        }
        // insufficient-traffic holds for this 5 s window, but only the final audit says so:
        // after the last status audit's snapshot.
        let snapshots = events.indices.filter { events[$0]["event"] as? String == "snapshot" }
        XCTAssertGreaterThan(snapshots.count, 5, "status audits ran while the connects waited")
        let insufficient = events.indices.filter { events[$0]["kind"] as? String == "insufficient-traffic" }
        XCTAssertEqual(insufficient.count, 1, "\(findings)")
        XCTAssertGreaterThan(insufficient.first ?? 0, snapshots.dropLast().last ?? .max, "reported by the final audit only")
    }

    /// `direction-unknown` is medium when the connections it sets apart are at least half of
    /// the window's connections or bytes, which only the whole window tells. Here a
    /// connection between two ports of the ephemeral range, open before the capture, is
    /// half of the connections for a second and a half (beside one to 7079: the interim
    /// audits say medium), then six more connections to 7079 make it one in eight (the final
    /// audit: info). Before, the events said info (before the first judged connection, in an
    /// audit of nothing), then medium, a severity the final audit did not have.
    func testDirectionUnknownIsSaidOnceAtTheSeverityOfTheFinalAudit() throws {
        let namespace = "dasaudit-unk-\(getpid() % 100_000)"
        try lab.addNamespace(namespace)
        try lab.startAnsweringServer(at: "127.0.0.1", port: 7079, in: namespace)
        let ready = directory + "/ready"
        _ = try lab.start("""
            import socket, time
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", 45000)); s.listen(1)
            c = socket.create_connection(("127.0.0.1", 45000)); a, _ = s.accept()
            open("\(ready)", "w").close()
            while True:
                c.sendall(b"ping"); a.recv(16); a.sendall(b"pong"); c.recv(16); time.sleep(0.2)
            """, in: namespace)
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: ready) { usleep(50_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: ready), "the connection open before the capture")
        let eventsPath = directory + "/events.ndjson"
        let run = try lab.live(in: namespace, ["-i", "lo", "--offset", "2", "--mode", "cluster",
                                               "--interval", "0.2s", "--events", eventsPath, "--event-snapshots"])
        usleep(300_000)
        let first = try lab.start("""
            import socket
            c = socket.create_connection(("127.0.0.1", 7079), timeout=5)
            c.sendall(b"hello")
            while c.recv(4096): pass
            """, in: namespace)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 0)
        usleep(1_500_000)
        XCTAssertEqual(try lab.runClients(to: "127.0.0.1", port: 7079, in: namespace), 0)
        let result = try lab.result(of: run)
        let final = try XCTUnwrap(result.findings.first { $0.kind == .directionUnknown }, "\(result.findings)")
        XCTAssertEqual(final.severity, .info, final.message)

        let events = try String(contentsOfFile: eventsPath, encoding: .utf8).split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
        let snapshots = events.filter { $0["event"] as? String == "snapshot" }
        XCTAssertGreaterThan(snapshots.count, 5, "status audits ran while the connection was half of them")
        XCTAssertTrue(snapshots.contains { ($0["findings"] as? [String: Int])?["medium"] ?? 0 > 0 },
                      "an interim audit judged it medium")
        let unknown = events.filter { $0["kind"] as? String == "direction-unknown" }
        XCTAssertEqual(unknown.map { $0["severity"] as? String }, ["info"], "\(unknown)")
    }
}
