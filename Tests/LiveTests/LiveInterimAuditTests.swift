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
}
