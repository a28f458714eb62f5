import Foundation
import Reports
import TestSupport
import XCTest

/// `dasaudit live` watched from outside while real loopback traffic flows: a real
/// Prometheus server (Debian's `prometheus`, installed by scripts/setup.sh) scrapes
/// `--metrics-listen` and gives `dasaudit_packets_total` back through its HTTP API,
/// `promtool check metrics` accepts the exposition, and `--events` writes the NDJSON
/// event stream (docs/events.md).
final class LiveWatchTests: XCTestCase {
    private var directory = ""
    /// The loopback network of this test run's services: another run at the same time (a
    /// second checkout's tests) binds the same ports on its own addresses.
    private let net = "127.\(3 + getpid() % 200).5."
    private var prometheus: Process?

    override func setUp() {
        directory = NSTemporaryDirectory() + "dasaudit-live-watch-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let prometheus, prometheus.isRunning {
            prometheus.terminate()
            prometheus.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Connects to `service` again and again on another thread until `stop` is set.
    private func traffic(to service: LoopbackService, until stop: StopFlag) {
        let (address, port) = (service.address, service.port)
        Thread.detachNewThread {
            while !stop.isSet {
                _ = try? exchange(with: address, port: port)
                usleep(50_000)
            }
        }
    }

    /// A TCP port nothing listens on now, on 127.0.0.1.
    private func freePort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = try LoopbackService.socketAddress("127.0.0.1", 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 ? getsockname(descriptor, $0, &length) : -1 }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// The body of `GET path` from an HTTP server on 127.0.0.1:`port` (HTTP/1.0, so the
    /// server closes after answering), or nil when it does not answer 200.
    private func httpGet(port: UInt16, _ path: String) -> String? {
        guard let answer = try? exchange(with: "127.0.0.1", port: port, request: "GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"),
              answer.hasPrefix("HTTP/1.1 200") || answer.hasPrefix("HTTP/1.0 200"),
              let end = answer.range(of: "\r\n\r\n") else { return nil }
        return String(answer[end.upperBound...])
    }

    /// A disk of 64 KiB of the test's own (a tmpfs at `directory`/disk, unmounted when the
    /// test ends), which a full `fill` makes refuse every write, root's too.
    private func smallDisk() throws -> String {
        let disk = directory + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        guard mount("tmpfs", disk, "tmpfs", 0, "size=64k") == 0 else {
            throw unavailable("a full disk is a tmpfs of the test's own, which needs mount(2): \(String(cString: strerror(errno)))")
        }
        addTeardownBlock { umount2(disk, Int32(MNT_DETACH)) }
        return disk
    }

    /// Writes `path` until its disk has no room left.
    private func fill(_ path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT, 0o600)
        let block = [UInt8](repeating: 0, count: 4096)
        while write(descriptor, block, block.count) > 0 {}
        close(descriptor)
    }

    /// The URL `live` says it serves metrics at.
    private func metricsURL(_ run: DasauditProcess) throws -> URL {
        XCTAssertTrue(run.waitForError(containing: "capturing on"), run.stderr)
        let line = try XCTUnwrap(run.stderr.split(separator: "\n").first { $0.contains("serving metrics at ") })
        return try XCTUnwrap(URL(string: String(line[line.range(of: "http://")!.lowerBound...])))
    }

    func testPrometheusScrapesPacketsWhileTrafficFlows() throws {
        for tool in ["/usr/bin/prometheus", "/usr/bin/promtool"] {
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: tool), "\(tool) missing: scripts/setup.sh installs prometheus")
        }
        let service = try LoopbackService(address: "\(net)1", port: 7079)
        defer { service.stop() }
        let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(net)1", "--interval", "0.5s", "--offset", "2",
                                       "--mode", "cluster", "--metrics-listen", "127.0.0.1:0"])
        let metrics = try metricsURL(run)
        let stop = StopFlag()
        traffic(to: service, until: stop)
        defer { stop.set() }

        let webPort = try freePort()
        let config = directory + "/prometheus.yml"
        try """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: dasaudit
            static_configs:
              - targets: ["\(metrics.host!):\(metrics.port!)"]
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        server.arguments = ["--config.file=\(config)", "--storage.tsdb.path=\(directory)/data",
                            "--web.listen-address=127.0.0.1:\(webPort)", "--log.level=warn"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        prometheus = server

        // Prometheus's own answer: the series it scraped, with a value above zero.
        var packets = 0.0
        let deadline = Date(timeIntervalSinceNow: 60)
        while packets <= 0 && Date() < deadline {
            usleep(500_000)
            guard let answer = httpGet(port: webPort, "/api/v1/query?query=dasaudit_packets_total"),
                  let body = try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any],
                  let results = (body["data"] as? [String: Any])?["result"] as? [[String: Any]],
                  let value = results.first?["value"] as? [Any], let text = value.last as? String else { continue }
            packets = Double(text) ?? 0
        }
        XCTAssertGreaterThan(packets, 0, "Prometheus read dasaudit_packets_total back")

        // What dasaudit serves passes Prometheus's own linter.
        let exposition = Data(try XCTUnwrap(httpGet(port: UInt16(metrics.port!), "/metrics")).utf8)
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
        check.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        check.standardInput = input
        check.standardOutput = output
        check.standardError = output
        try check.run()
        input.fileHandleForWriting.write(exposition)
        try input.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        check.waitUntilExit()
        XCTAssertEqual(check.terminationStatus, 0, said)
        XCTAssertTrue(String(decoding: exposition, as: UTF8.self).contains("dasaudit_services{classification=\"expected\"} 1"))
        XCTAssertNil(httpGet(port: UInt16(metrics.port!), "/"), "only /metrics is served")

        stop.set()
        run.signal(SIGINT)
        XCTAssertTrue([0, 1].contains(run.finish().status), "a normal end (the verdict is not what this test checks: HTTP on the master port is a protocol finding): \(run.stderr)")
    }

    /// A client that connects and says nothing does not hold the server: the next scrape is
    /// answered at once, and the silent client is dropped after 5 s. The capture is not held
    /// meanwhile. Until December 2026 the scrape waited its turn, 5 s, or for good when the
    /// silent client's read timeout was refused (half the time; MetricsServerTests).
    func testASilentClientIsDroppedAfterFiveSecondsWithoutHoldingTheScrape() throws {
        let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(net)5", "--interval", "0.5s",
                                       "--metrics-listen", "127.0.0.1:0"])
        let port = UInt16(try metricsURL(run).port!)
        let silent = try LoopbackService.connectedSocket("127.0.0.1", port)
        defer { close(silent) }
        var wait = timeval(tv_sec: 8, tv_usec: 0)
        setsockopt(silent, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        let start = Date()
        XCTAssertNotNil(httpGet(port: port, "/metrics"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, "served beside the silent client")
        var byte: UInt8 = 0
        XCTAssertEqual(read(silent, &byte, 1), 0, "the silent client's connection was closed")
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 4, "after 5 s")
        XCTAssertTrue(run.waitForError(containing: "live lo"), "status lines went on meanwhile")
        run.signal(SIGINT)
        XCTAssertEqual(run.finish().status, 1, "an audit of nothing is never compliant: \(run.stderr)")
    }

    /// Under a low open-file limit (`prlimit --nofile=24:24`), clients that connect to the
    /// metrics endpoint and keep connecting (forty at once, each replaced as the server
    /// closes one) take no descriptor the rest of the run needs: the final reports are
    /// written. Until December 2026 the server held 16 clients whatever the limit, and the
    /// reports of the whole capture failed with "Too many open files".
    func testClientsHoldingTheMetricsEndpointLeaveTheReportsTheirDescriptors() throws {
        let report = directory + "/final.json", text = directory + "/final.txt"
        let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(net)4", "--interval", "0.2s",
                                       "--metrics-listen", "127.0.0.1:0", "--write", directory + "/evidence", "--rotate-seconds", "1",
                                       "--events", directory + "/events.ndjson", "--metrics-file", directory + "/dasaudit.prom",
                                       "--report", "json:\(report)", "-o", text], launcher: ["/usr/bin/prlimit", "--nofile=24:24"])
        let port = UInt16(try metricsURL(run).port!)
        let stop = StopFlag()
        let holder = Thread {
            var held: [Int32] = []
            while !stop.isSet {
                while held.count < 40, let socket = try? LoopbackService.connectedSocket("127.0.0.1", port) { held.append(socket) }
                // Those the server closed are replaced.
                held = held.filter { socket in
                    var byte: UInt8 = 0
                    let got = recv(socket, &byte, 1, Int32(MSG_DONTWAIT))
                    if got == 0 { close(socket) }
                    return got != 0
                }
                usleep(20_000)
            }
            held.forEach { close($0) }
        }
        holder.start()
        usleep(2_500_000)
        run.signal(SIGINT)
        let status = run.finish().status
        stop.set()
        XCTAssertEqual(status, 1, "an audit of nothing is never compliant, and every output is written: \(run.stderr)")
        XCTAssertFalse(run.stderr.contains("Too many open files"), run.stderr)
        XCTAssertEqual(try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: report))).inputs.first?.path, "live:lo")
        XCTAssertTrue(try String(contentsOfFile: text, encoding: .utf8).contains("NOT COMPLIANT"))
    }

    /// A disk full for a moment: the metrics file is tried again every interval and written
    /// again once there is room, said once each way. Until December 2026 the first failure
    /// stopped every later update, the final one included, with one line on stderr.
    func testTheMetricsFileIsWrittenAgainOnceTheDiskHasRoom() throws {
        let disk = try smallDisk()
        let file = disk + "/dasaudit.prom", filler = disk + "/filler"
        let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(net)7", "--interval", "0.2s", "--metrics-file", file])
        XCTAssertTrue(run.waitForError(containing: "capturing on"), run.stderr)
        // The disk fills up (the outputs were checked with room to spare, before capturing).
        fill(filler)
        XCTAssertTrue(run.waitForError(containing: "No space left on device; tried again every --interval"), run.stderr)
        usleep(600_000)
        unlink(filler)
        XCTAssertTrue(run.waitForError(containing: "note: --metrics-file: \(file) is written again"), run.stderr)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# HELP dasaudit_packets_total"), text)
        run.signal(SIGINT)
        XCTAssertEqual(run.finish().status, 1, "the final metrics are written: no exit 2: \(run.stderr)")
        XCTAssertEqual(run.stderr.components(separatedBy: "No space left on device").count, 2, "said once: \(run.stderr)")
    }

    /// The disk of `--metrics-file` is full at the end (a tmpfs of 64 KiB filled while the
    /// capture runs, which refuses root too): the final update fails, the run exits 2 and
    /// says the file lacks the final metrics, and nothing else is lost: the report is
    /// written whole, the metrics file keeps its last good update, no temporary file is left.
    func testAFinalMetricsFileThatCannotBeWrittenExits2WithTheReportWritten() throws {
        let disk = try smallDisk()
        let file = disk + "/dasaudit.prom", filler = disk + "/filler", report = directory + "/final.json"
        let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(net)9", "--interval", "0.2s", "--metrics-file", file,
                                       "--report", "json:\(report)"])
        XCTAssertTrue(run.waitForError(containing: "capturing on"), run.stderr)
        let deadline = Date(timeIntervalSinceNow: 10)
        while !FileManager.default.fileExists(atPath: file) && Date() < deadline { usleep(50_000) }
        let lastGood = try String(contentsOfFile: file, encoding: .utf8)
        fill(filler)
        run.signal(SIGINT)
        XCTAssertEqual(run.finish().status, 2, "the final metrics are missing: \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("error: --metrics-file: cannot write \(file): No space left on device; "
                                          + "it does not hold the final metrics"), run.stderr)
        let result = try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: report)))
        XCTAssertEqual(result.inputs.first?.path, "live:lo", "the report is written whole")
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), lastGood, "the last good update is kept whole")
        XCTAssertTrue(lastGood.hasPrefix("# HELP dasaudit_packets_total"), lastGood)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: disk).sorted(), ["dasaudit.prom", "filler"],
                       "no temporary file left")
    }

    /// The disk of `--events` fills in the middle of a write (a 64 KiB tmpfs with one page
    /// left when the final audit's findings come, several pages of them): the write is
    /// taken back, so the log ends on its last whole line, and the next run's events,
    /// appended to it, are lines of their own that every NDJSON reader can parse. Until
    /// December 2026 the log kept the first 4,096 bytes of the write, the next run's first
    /// line was glued to them, and `jq` stopped there (10 of 29 new-service events read).
    func testAnEventsWriteCutByAFullDiskLeavesOnlyWholeLines() throws {
        let disk = try smallDisk()
        let events = disk + "/events.ndjson", filler = disk + "/filler"
        // Twelve rogue servers: their new-service and unexpected-port events, a few hundred
        // bytes each, come in one write, at the end (the interval is longer than the run).
        let rogues = try (31340..<31352).map { try LoopbackService(address: "\(net)6", port: UInt16($0)) }
        defer { rogues.forEach { $0.stop() } }
        let arguments = ["live", "-i", "lo", "--filter", "host \(net)6", "--interval", "60s", "--events", events]
        let run = try DasauditProcess(arguments)
        XCTAssertTrue(run.waitForError(containing: "capturing on"), run.stderr)
        for rogue in rogues { try exchange(with: "\(net)6", port: rogue.port) }
        fill(filler)
        // One page free: less than the events, more than nothing.
        var status = stat()
        XCTAssertEqual(stat(filler, &status), 0)
        XCTAssertEqual(truncate(filler, status.st_size - 4096), 0)
        run.signal(SIGINT)
        XCTAssertEqual(run.finish().status, 2, "events lost are exit 2: \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("--events: cannot write \(events): No space left on device"), run.stderr)
        let cut = try String(contentsOfFile: events, encoding: .utf8)
        XCTAssertTrue(cut.isEmpty || cut.hasSuffix("\n"), "no half line left: …\(cut.suffix(80))")

        unlink(filler)
        let next = try DasauditProcess(arguments + ["--duration", "1s"])
        XCTAssertEqual(next.finish().status, 1, "an audit of nothing is never compliant: \(next.stderr)")
        let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
        XCTAssertGreaterThan(lines.count, cut.split(separator: "\n").count, "the next run's events are appended")
        for line in lines {
            XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(line.utf8)), "every line is an event: \(line.prefix(120))")
        }
    }

    /// `--events` on a FIFO no process reads is refused at once, in words; with a reader it
    /// is written. Until December 2026 the run blocked in open(2), silent, before capturing.
    func testAnEventsFIFOWithoutAReaderIsRefusedAtOnce() throws {
        let fifo = directory + "/events.fifo"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let refused = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(net)8", "--events", fifo])
        XCTAssertEqual(refused.finish(timeout: 5).status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--events: cannot write \(fifo): it is a FIFO no process reads yet: start its reader first"),
                      refused.stderr)
        XCTAssertFalse(refused.stderr.contains("capturing on"), refused.stderr)

        let reader = open(fifo, O_RDONLY | O_NONBLOCK)
        defer { close(reader) }
        let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(net)8", "--duration", "1s", "--events", fifo])
        XCTAssertEqual(run.finish().status, 1, "an audit of nothing is never compliant: \(run.stderr)")
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = read(reader, &buffer, buffer.count)
        XCTAssertTrue(String(decoding: buffer[0..<max(0, count)], as: UTF8.self).contains("\"event\":\"finding\""), run.stderr)
    }

    func testTheMetricsFileIsReplacedWhole() throws {
        let file = directory + "/dasaudit.prom"
        let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(net)2", "--interval", "0.2s",
                                       "--duration", "1s", "--metrics-file", file])
        XCTAssertEqual(run.finish().status, 1, "an audit of nothing is never compliant: \(run.stderr)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("# HELP dasaudit_packets_total"))
        XCTAssertTrue(text.contains("dasaudit_build_info{version="))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["dasaudit.prom"], "no temporary file left")
    }

    func testEventsAsTheyHappen() throws {
        let expected = try LoopbackService(address: "\(net)3", port: 7079)
        let rogue = try LoopbackService(address: "\(net)3", port: 31337)
        defer { expected.stop(); rogue.stop() }
        let events = directory + "/events.ndjson"
        let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(net)3", "--interval", "0.3s", "--offset", "2",
                                       "--mode", "cluster", "--events", events, "--event-snapshots"])
        XCTAssertTrue(run.waitForError(containing: "capturing on"), run.stderr)
        try exchange(with: "\(net)3", port: 7079)
        // The first event is written while the capture runs, not at the end.
        let deadline = Date(timeIntervalSinceNow: 10)
        var lines: [String] = []
        while Date() < deadline && !lines.contains(where: { $0.contains("\"event\":\"new-service\"") }) {
            usleep(100_000)
            lines = ((try? String(contentsOfFile: events, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        XCTAssertTrue(lines.contains { $0.contains("\"event\":\"new-service\"") && $0.contains("\"port\":7079") }, "\(lines)")
        for _ in 0..<3 { try exchange(with: "\(net)3", port: 31337) }
        usleep(1_000_000)
        run.signal(SIGINT)
        XCTAssertEqual(run.finish().status, 1, "the rogue port fails the audit: \(run.stderr)")

        let objects = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
        let newServices = objects.filter { $0["event"] as? String == "new-service" }
        XCTAssertEqual(newServices.compactMap { $0["port"] as? Int }.sorted(), [7079, 31337], "each service once")
        XCTAssertEqual(newServices.first { $0["port"] as? Int == 31337 }?["classification"] as? String, "unexpected")
        XCTAssertEqual(newServices.first { $0["port"] as? Int == 7079 }?["catalog_key"] as? String, "spark.master.port")
        XCTAssertEqual(newServices.first { $0["port"] as? Int == 7079 }?["protocol"] as? String, "http",
                       "the test's server answers HTTP, recognized on the first connection")
        let findings = objects.filter { $0["event"] as? String == "finding" }
        XCTAssertEqual(findings.filter { $0["kind"] as? String == "unexpected-port" }.count, 1)
        XCTAssertEqual(findings.first { $0["kind"] as? String == "unexpected-port" }?["severity"] as? String, "high")
        XCTAssertGreaterThan(objects.filter { $0["event"] as? String == "snapshot" }.count, 1)
        XCTAssertTrue(objects.allSatisfy { ($0["time"] as? String)?.hasSuffix("Z") == true })
    }

    /// Real drops (a tiny buffer, the capture process held still while traffic flows, as
    /// `LiveCaptureTests` makes them) give a capture-loss event with libpcap's counts, and
    /// the packets-dropped finding.
    func testCaptureLossWhenTheKernelDrops() throws {
        let service = try LoopbackService(address: "\(net)6", port: 31337)
        defer { service.stop() }
        let events = directory + "/events.ndjson"
        let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(net)6", "--snaplen", "128", "--buffer-size", "64k",
                                       "--interval", "0.2s", "--events", events])
        XCTAssertTrue(run.waitForError(containing: "capturing on"), run.stderr)
        run.signal(SIGSTOP)
        for _ in 0..<400 { try exchange(with: "\(net)6", port: 31337) }
        run.signal(SIGCONT)
        XCTAssertTrue(run.waitForError(containing: "DROPS "), run.stderr)
        run.signal(SIGINT)
        XCTAssertEqual(run.finish().status, 1, run.stderr)
        let objects = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
        let losses = objects.filter { $0["event"] as? String == "capture-loss" }
        XCTAssertGreaterThanOrEqual(losses.count, 1)
        let kernel = (losses.last?["drops"] as? [String: Any])?["kernel"] as? Int ?? 0
        XCTAssertGreaterThan(kernel, 0)
        XCTAssertEqual(losses.compactMap { $0["new_drops"] as? Int }.reduce(0, +),
                       kernel + ((losses.last?["drops"] as? [String: Any])?["interface"] as? Int ?? 0), "the increments add up to the total")
        XCTAssertTrue(objects.contains { $0["event"] as? String == "finding" && $0["kind"] as? String == "packets-dropped" })
    }

    func testWatchOutputsAreCheckedBeforeCapturing() throws {
        // A link at the events path, the user's own or one nobody planted in a sticky
        // directory: refused in words ("Too many levels of symbolic links" and "permission
        // denied" before).
        let directory = NSTemporaryDirectory() + "dasaudit-events-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        XCTAssertEqual(chmod(directory, 0o1777), 0)
        let target = directory + "/log.ndjson", own = directory + "/own.ndjson", planted = directory + "/planted.ndjson"
        try Data().write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: own, withDestinationPath: target)
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: target)
        let nobody = try XCTUnwrap(getpwnam("nobody")).pointee
        XCTAssertEqual(lchown(planted, nobody.pw_uid, nobody.pw_gid), 0)
        let notThroughALink = "it is a symbolic link, and events are appended to a file itself, never through a link"
        let cases: [([String], String)] = [
            (["--events", own], "--events: cannot write \(own): \(notThroughALink)"),
            (["--events", planted], "--events: cannot write \(planted): \(notThroughALink)"),
            (["--format", "json", "--events", "-"], "--events -: standard output is already written by the --format json output"),
            (["--events", "/nonexistent-dasaudit/e.ndjson"], "--events /nonexistent-dasaudit/e.ndjson: directory /nonexistent-dasaudit does not exist"),
            (["--metrics-listen", "localhost:9"], "--metrics-listen 'localhost:9' is not ADDR:PORT"),
            (["--event-snapshots"], "--event-snapshots adds to the --events stream; give --events too"),
        ]
        for (arguments, message) in cases {
            let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(net)4"] + arguments)
            XCTAssertEqual(run.finish(timeout: 5).status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(message), run.stderr)
            XCTAssertFalse(run.stderr.contains("capturing on"), run.stderr)
        }
    }
}

/// A flag one thread sets and another reads, under a lock (hence unchecked Sendable).
final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
