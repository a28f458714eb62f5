import Audit
import Foundation
import XCTest

/// `dasaudit live --metrics-listen` captures its own scrapes whenever it captures where it
/// listens (`-i lo`, `-i any`, the interface of its address): those connections are the
/// audit's own, so the service is `allowed` with the reason as its hint and no finding, in
/// the report and in the events (`OwnEndpoints`). They used to be a HIGH `unexpected-port`
/// that failed the run because of dasaudit itself. Each test runs in a network namespace
/// of its own, so the ports are free.
final class LiveOwnEndpointTests: XCTestCase {
    private let lab = NamespaceLab()
    private var directory = ""
    private let tag = "\(getpid() % 100_000)"

    override func setUp() {
        directory = NSTemporaryDirectory() + "dasaudit-own-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        lab.tearDown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Scrapes `url` from inside `namespace` with curl `times` times.
    private func scrape(_ url: String, in namespace: String, times: Int = 3) throws {
        for _ in 0..<times {
            XCTAssertEqual(try lab.run(["ip", "netns", "exec", namespace, "curl", "-sf", "-o", "/dev/null", url]), 0, url)
        }
    }

    /// A veth pair `name`0 and `name`1, both ends in `namespace` and up, `address` on the
    /// first: an interface of the namespace's own beside its loopback.
    private func addVethPair(_ name: String, address: String, in namespace: String) throws {
        try lab.require(["ip", "-n", namespace, "link", "add", name + "0", "type", "veth", "peer", "name", name + "1"])
        try lab.require(["ip", "-n", namespace, "address", "add", address, "dev", name + "0"])
        for link in [name + "0", name + "1"] { try lab.require(["ip", "-n", namespace, "link", "set", link, "up"]) }
    }

    /// The events written to `path`, parsed.
    private func events(_ path: String) throws -> [[String: Any]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
    }

    /// Checks that `port` at each of `addresses` is dasaudit's own in `result` and `events`.
    private func assertOwn(_ port: UInt16, at addresses: [String], result: AuditResult, events: [[String: Any]],
                           file: StaticString = #filePath, line: UInt = #line) {
        for address in addresses {
            let service = result.services.first { $0.address == address && $0.port == port }
            XCTAssertEqual(service?.classification, .allowed, "\(address):\(port)", file: file, line: line)
            XCTAssertEqual(service?.hint, "dasaudit's own metrics endpoint (--metrics-listen)", file: file, line: line)
            let announced = events.first { $0["event"] as? String == "new-service" && $0["address"] as? String == address
                && $0["port"] as? Int == Int(port) }
            XCTAssertEqual(announced?["classification"] as? String, "allowed", "\(events)", file: file, line: line)
        }
        XCTAssertEqual(result.findings.filter { $0.port == port }.map(\.kind), [], file: file, line: line)
        XCTAssertEqual(events.filter { $0["event"] as? String == "finding" && $0["port"] as? Int == Int(port) }.count, 0,
                       "\(events)", file: file, line: line)
    }

    func testTheMetricsEndpointScrapedOnLoopbackIsTheAuditsOwn() throws {
        let namespace = "dasaudit-own-lo-\(tag)"
        try lab.addNamespace(namespace)
        let eventsPath = directory + "/events.ndjson"
        let run = try lab.live(in: namespace, ["-i", "lo", "--filter", "tcp port 9466", "--offset", "2", "--interval", "0.3s",
                                               "--metrics-listen", "127.0.0.1:9466", "--fail-on", "high", "--events", eventsPath,
                                               "--report", "text:\(directory)/audit.txt", "--write", "\(directory)/evidence"])
        try scrape("http://127.0.0.1:9466/metrics", in: namespace)
        let result = try lab.result(of: run)
        XCTAssertEqual(run.process.terminationStatus, 0, "nothing but dasaudit's own endpoint was seen: \(run.stderr)")
        XCTAssertEqual(result.services.first { $0.port == 9466 }?.connections, 3, "the scrapes are counted, as its own")
        assertOwn(9466, at: ["127.0.0.1"], result: result, events: try events(eventsPath))
        // The text report gives the reason where a catalog key would be, not as a guess.
        let text = try String(contentsOfFile: directory + "/audit.txt", encoding: .utf8)
        let row = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("9466") && $0.contains("allowed") }, text)
        XCTAssertTrue(row.contains("(dasaudit's own metrics endpoint (--metrics-listen))"), String(row))
        XCTAssertFalse(row.contains("?"), String(row))

        // The written captures hold the scrapes, and an audit of them alone does not know
        // whose endpoint it was: the evidence and the run say what that audit needs.
        let advice = "the written captures hold the scrapes of dasaudit's own metrics endpoint (127.0.0.1:9466), which an "
            + "audit of them judges as any port: give it --allow '9466:dasaudit metrics'"
        XCTAssertEqual(result.evidence?.inputs.first?.note,
                       "a live capture: its packets are in the written captures, hashed in written_captures; \(advice)")
        XCTAssertTrue(run.stderr.contains("note: --write \(directory)/evidence: \(advice)\n"), run.stderr)
        let alone = try runDasaudit(["audit", "\(directory)/evidence", "--offset", "2", "--fail-on", "high"])
        XCTAssertEqual(alone.status, 1, "9466 is an unexpected port to an audit of the files alone: \(alone.stdout)")
        let advised = try runDasaudit(["audit", "\(directory)/evidence", "--offset", "2", "--fail-on", "high",
                                       "--allow", "9466:dasaudit metrics"])
        XCTAssertEqual(advised.status, 0, advised.stdout)
    }

    func testAListenerOnEveryAddressIsTheAuditsOwnAtEachAddressOfTheHost() throws {
        let namespace = "dasaudit-own-any-\(tag)"
        try lab.addNamespace(namespace)
        // A second interface with an address (a veth pair, both ends here): a listener on
        // 0.0.0.0 answers there too.
        try addVethPair("dsaown", address: "10.29.7.1/24", in: namespace)
        // A service of the cluster's own on another port stays judged.
        _ = try lab.start("""
            import socket
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("10.29.7.1", 31337)); s.listen(16)
            while True:
                c, _ = s.accept(); c.recv(100); c.sendall(b"x"); c.close()
            """, in: namespace)
        let eventsPath = directory + "/events.ndjson"
        let run = try lab.live(in: namespace, ["-i", "any", "--filter", "tcp", "--offset", "2", "--interval", "0.3s",
                                               "--metrics-listen", "0.0.0.0:9464", "--events", eventsPath])
        try scrape("http://10.29.7.1:9464/metrics", in: namespace)
        try scrape("http://127.0.0.1:9464/metrics", in: namespace)
        XCTAssertEqual(try lab.run(["ip", "netns", "exec", namespace, "python3", "-c", """
            import socket, time
            for attempt in range(50):
                try:
                    c = socket.create_connection(("10.29.7.1", 31337), timeout=5); c.sendall(b"hi"); c.recv(10); c.close(); break
                except OSError:
                    time.sleep(0.05)
            """]), 0)
        let result = try lab.result(of: run)
        XCTAssertEqual(run.process.terminationStatus, 1, "the rogue port fails the run: \(run.stderr)")
        assertOwn(9464, at: ["10.29.7.1", "127.0.0.1"], result: result, events: try events(eventsPath))
        XCTAssertEqual(result.services.first { $0.port == 31337 }?.classification, .unexpected)
        XCTAssertEqual(result.findings.filter { $0.port == 31337 }.map(\.kind), [.unexpectedPort])
    }

    /// An address the host gains while `live` runs (`ip addr add`) is one more of its own
    /// endpoints for a listener on every address: a scrape there, before and after the
    /// next status, is the audit's own, in the events and in the result. Until December
    /// 2026 only the addresses at the start counted, and such a scrape was a HIGH
    /// `unexpected-port` that failed the run.
    func testAnAddressAddedWhileItRunsIsTheAuditsOwnToo() throws {
        let namespace = "dasaudit-own-new-\(tag)"
        try lab.addNamespace(namespace)
        try addVethPair("dasaudit-new", address: "10.29.8.1/24", in: namespace)
        let eventsPath = directory + "/events.ndjson"
        let run = try lab.live(in: namespace, ["-i", "any", "--filter", "tcp port 9465", "--offset", "2", "--interval", "0.3s",
                                               "--metrics-listen", "0.0.0.0:9465", "--fail-on", "high", "--events", eventsPath])
        // Added after the start, scraped at once (before any status has seen it), then again.
        try lab.require(["ip", "-n", namespace, "address", "add", "10.29.9.1/24", "dev", "dasaudit-new0"])
        try scrape("http://10.29.9.1:9465/metrics", in: namespace, times: 1)
        usleep(700_000)
        try scrape("http://10.29.9.1:9465/metrics", in: namespace, times: 2)
        try scrape("http://10.29.8.1:9465/metrics", in: namespace)
        let result = try lab.result(of: run)
        XCTAssertEqual(run.process.terminationStatus, 0, "nothing but dasaudit's own endpoint was seen: \(run.stderr)")
        XCTAssertEqual(result.services.first { $0.address == "10.29.9.1" && $0.port == 9465 }?.connections, 3)
        assertOwn(9465, at: ["10.29.9.1", "10.29.8.1"], result: result, events: try events(eventsPath))
    }
}
