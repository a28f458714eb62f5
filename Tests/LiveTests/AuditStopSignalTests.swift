import Audit
import Foundation
import PcapKit
import Reports
import TestSupport
import XCTest

/// Ctrl-C, SIGTERM and SIGHUP while `dasaudit audit` reads, sent for real to real
/// processes: the README's `tcpdump -w - | dasaudit audit -` stopped by one Ctrl-C (which
/// reaches both), a pipe whose writer goes on, a large file, and a report being written
/// (`InputStop`, `StopSignals`, docs/inputs.md "Stopping the reading"). Until December 2026
/// `audit` took none of them: it died at the first (130, 143, 129) and wrote nothing, and a
/// report being written left its `.NAME.XXXX.tmp` behind.
final class AuditStopSignalTests: XCTestCase {
    var directory = ""
    var address = ""
    var children: [Process] = []

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "dasaudit-stop-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        address = "127.\(Int.random(in: 100...250)).\(Int.random(in: 1...250)).1"
    }

    override func tearDown() {
        for child in children where child.isRunning { kill(child.processIdentifier, SIGKILL) }
        children = []
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A bundled capture (captures/), read by path.
    private func bundled(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("captures/\(name)").path
    }

    /// Starts `program` with its standard output into a new pipe: the process and the pipe's
    /// read end (the parent's copy of the write end is closed, so the reader sees the end
    /// when the program ends). Standard error is kept in `stderr` (a file).
    private func startWriter(_ program: String, _ arguments: [String], stderr: String) throws -> (Process, FileHandle) {
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: program)
        writer.arguments = arguments
        writer.standardOutput = FileHandle(fileDescriptor: ends[1], closeOnDealloc: false)
        FileManager.default.createFile(atPath: stderr, contents: nil)
        writer.standardError = FileHandle(forWritingAtPath: stderr)
        writer.standardInput = FileHandle.nullDevice
        try writer.run()
        close(ends[1])
        children.append(writer)
        return (writer, FileHandle(fileDescriptor: ends[0], closeOnDealloc: true))
    }

    private func report(_ path: String) throws -> AuditResult {
        try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// A capture of `packets` packets from `dasaudit-gen` (64 bytes kept of each).
    private func generated(_ name: String, _ options: [String]) throws -> String {
        let path = "\(directory)/\(name)"
        let generator = URL(fileURLWithPath: dasauditPath).deletingLastPathComponent().appendingPathComponent("dasaudit-gen")
        let run = try DasauditProcess(options + ["--snaplen", "64", path], program: generator.path)
        XCTAssertEqual(run.finish(timeout: 120).status, 0, run.stderr)
        return path
    }

    // MARK: - A pipe

    /// The README's recipe: one Ctrl-C reaches tcpdump and dasaudit (here as the terminal
    /// sends it: SIGINT to both). tcpdump writes its last packets and closes the pipe, and
    /// the audit covers every packet tcpdump says it captured, complete, in its report.
    func testCtrlCOnTheTcpdumpPipeAuditsEveryPacketTcpdumpWrote() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tcpdump") else { throw unavailable("tcpdump is not installed") }
        let service = try LoopbackService(address: address, port: 7616)
        defer { service.stop() }
        let tcpdumpErrors = "\(directory)/tcpdump.err"
        let (tcpdump, pipe) = try startWriter("/usr/bin/tcpdump", ["-i", "lo", "-U", "--immediate-mode", "-w", "-",
                                                                    "tcp and host \(address)"], stderr: tcpdumpErrors)
        let output = "\(directory)/pipe.json"
        let audit = try DasauditProcess(["audit", "-", "--offset", "5", "--format", "json", "-o", output], input: pipe)
        try pipe.close()
        XCTAssertTrue(waitFor(10) { (try? String(contentsOfFile: tcpdumpErrors, encoding: .utf8))?.contains("listening on") == true })
        usleep(300_000)  // tcpdump says "listening" a moment before its first packets come
        for _ in 1...5 { try exchange(with: address, port: 7616) }
        usleep(500_000)
        kill(tcpdump.processIdentifier, SIGINT)
        audit.signal(SIGINT)
        let (status, _) = audit.finish(timeout: 10)
        tcpdump.waitUntilExit()
        XCTAssertEqual(audit.process.terminationReason, .exit, audit.stderr)
        XCTAssertNotEqual(status, 2, audit.stderr)
        XCTAssertTrue(audit.stderr.contains("SIGINT: stopping the reading; the audit of what was read follows"), audit.stderr)
        let tcpdumpSays = try String(contentsOfFile: tcpdumpErrors, encoding: .utf8)
        let captured = tcpdumpSays.split(separator: "\n").first { $0.hasSuffix("packets captured") }
            .flatMap { UInt64($0.split(separator: " ")[0]) }
        let result = try report(output)
        XCTAssertEqual(result.coverage.packets, captured, tcpdumpSays)
        XCTAssertGreaterThan(result.coverage.packets, 0)
        XCTAssertTrue(result.coverage.complete)
        XCTAssertNil(result.inputs[0].error)
        XCTAssertEqual(result.services.map(\.port), [7616])
    }

    /// SIGINT to dasaudit alone, whose writer keeps the pipe open: the pipe is read on for a
    /// second, then cut there, and the audit of every packet written so far follows, the
    /// input incomplete (an incomplete-input finding: the verdict fails at medium).
    func testASignalToTheAuditAloneCutsAPipeWhoseWriterGoesOn() throws {
        let capture = bundled("das-offset3-lo.pcap")
        var packets: UInt64 = 0
        _ = try CaptureFile(path: capture).forEachPacket { _, _ in packets += 1 }
        let (_, pipe) = try startWriter("/bin/sh", ["-c", "cat \"$0\"; exec sleep 60", capture], stderr: "\(directory)/sh.err")
        let output = "\(directory)/cut.json"
        let audit = try DasauditProcess(["audit", "-", "--offset", "3", "--format", "json", "-o", output], input: pipe)
        try pipe.close()
        usleep(1_000_000)  // every packet in the pipe read, and the writer still there
        let signalled = Date()
        audit.signal(SIGINT)
        let (status, _) = audit.finish(timeout: 10)
        let seconds = Date().timeIntervalSince(signalled)
        XCTAssertEqual(audit.process.terminationReason, .exit, audit.stderr)
        XCTAssertEqual(status, 1, audit.stderr)
        XCTAssertGreaterThanOrEqual(seconds, InputStop.pipeGraceSeconds * 0.9)
        XCTAssertLessThan(seconds, InputStop.pipeGraceSeconds + 5)
        let result = try report(output)
        XCTAssertEqual(result.coverage.packets, packets)
        XCTAssertFalse(result.coverage.complete)
        XCTAssertEqual(result.inputs[0].error, "-: cut by SIGINT after \(packets) packets: the rest of the input was not read")
        XCTAssertTrue(audit.stderr.contains("warning: -: cut by SIGINT after \(packets) packets"), audit.stderr)
        XCTAssertEqual(result.findings.filter { $0.kind == .incompleteInput }.map(\.severity), [.medium])
        // The same packets audited from the file give the same services.
        let whole = try runDasaudit(["audit", capture, "--offset", "3", "--format", "json"])
        let reference = try JSONReport.parse(Data(whole.stdout.utf8))
        XCTAssertEqual(result.services.map(\.port), reference.services.map(\.port))
        XCTAssertEqual(result.coverage.connections, reference.coverage.connections)
    }

    /// A writer that has sent nothing yet (not even a capture header, as tcpdump without
    /// -U keeps it in its buffer) and stays: the first signal ends the wait for it too, and
    /// the report says the input was not read.
    func testASignalEndsTheWaitForAWriterThatSentNothing() throws {
        let (_, pipe) = try startWriter("/bin/sh", ["-c", "exec sleep 60"], stderr: "\(directory)/sh.err")
        let output = "\(directory)/nothing.json"
        let audit = try DasauditProcess(["audit", "-", "--offset", "3", "--format", "json", "-o", output], input: pipe)
        try pipe.close()
        usleep(300_000)
        audit.signal(SIGHUP)
        let (status, _) = audit.finish(timeout: 10)
        XCTAssertEqual(audit.process.terminationReason, .exit, audit.stderr)
        XCTAssertEqual(status, 2, audit.stderr)
        let result = try report(output)
        XCTAssertEqual(result.inputs[0].error, "-: not read: SIGHUP stopped the reading before its first bytes came")
        XCTAssertFalse(result.coverage.complete)
    }

    // MARK: - Files

    /// SIGTERM while a large file is read: the file is cut where the reading stands, the
    /// file after it is not read, and the reports of what was read are written; the cut
    /// audit equals the audit of the file's first N packets (editcap), and the hash not done
    /// is given up rather than finished.
    func testSIGTERMCutsAFileAndLeavesTheNextUnread() throws {
        let big = try generated("big.pcap", ["--packets", "1000000"])
        let next = bundled("das-offset3-lo.pcap")
        let output = "\(directory)/big.json"
        let audit = try DasauditProcess(["audit", big, next, "--offset", "3", "--threads", "1", "--format", "json", "-o", output])
        // Signalled once the audit has read a few megabytes of the file (its offset, /proc).
        XCTAssertTrue(waitFor(60) { Self.readOffset(of: audit.process.processIdentifier, in: big) ?? 0 > 4 << 20 }, audit.stderr)
        audit.signal(SIGTERM)
        let (status, _) = audit.finish(timeout: 30)
        XCTAssertEqual(audit.process.terminationReason, .exit, audit.stderr)
        XCTAssertEqual(status, 2, "an input not read: \(audit.stderr)")
        XCTAssertTrue(audit.stderr.contains("SIGTERM: stopping the reading"), audit.stderr)
        let result = try report(output)
        let cut = result.inputs[0].packets
        XCTAssertGreaterThan(cut, 0)
        XCTAssertLessThan(cut, 1_000_000)
        XCTAssertEqual(result.inputs[0].error, "\(big): cut by SIGTERM after \(cut) packets: the rest of the input was not read")
        XCTAssertEqual(result.inputs[1].error, "\(next): not read: SIGTERM stopped the reading before it")
        XCTAssertEqual(result.inputs[1].packets, 0)
        XCTAssertFalse(result.coverage.complete)
        XCTAssertEqual(result.findings.filter { $0.kind == .incompleteInput }.count, 2)
        XCTAssertNil(result.evidence?.inputs[0].sha256)
        XCTAssertEqual(result.evidence?.inputs[0].note, "\(big) was not hashed: SIGTERM stopped the reading before its hash was done")
        // Cut at a packet: the audit of the first `cut` packets, made by editcap, is the same.
        assertSameAudit(result, try auditOfFirstPackets(cut, of: big, in: directory, ["--offset", "3"]))
    }

    /// Where process `pid` reads `path`: the offset of its descriptor, nil when it has none open.
    static func readOffset(of pid: Int32, in path: String) -> Int64? {
        guard let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return nil }
        for descriptor in descriptors {
            guard (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(descriptor)")) == path,
                  let info = try? String(contentsOfFile: "/proc/\(pid)/fdinfo/\(descriptor)", encoding: .utf8),
                  let line = info.split(separator: "\n").first(where: { $0.hasPrefix("pos:") }) else { continue }
            return Int64(line.dropFirst(4).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    // MARK: - A report being written

    /// A signal while a large report is written: the first lets it finish (the reading is
    /// over); a second ends the run at once, killed by the signal, and removes the report's
    /// temporary file (`TemporaryOutputs`), which a run killed there used to leave behind.
    func testSignalsWhileAReportIsWrittenLeaveNoTemporaryFile() throws {
        let capture = try generated("connections.pcap", ["--packets", "300000", "--packets-per-connection", "4", "--no-payloads"])
        for signals in 1...2 {
            let reports = "\(directory)/reports-\(signals)"
            try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
            let audit = try DasauditProcess(["audit", capture, "--offset", "3", "--connections", "--format", "json",
                                             "-o", "\(reports)/cx.json"])
            let temporary = { (try? FileManager.default.contentsOfDirectory(atPath: reports))?.filter { $0.hasSuffix(".tmp") } ?? [] }
            // The report's own temporary file, grown past the one byte of the write trial
            // (`proveWritable`), whose `.tmp` exists for a moment before anything is read.
            let writing = { temporary().contains { name in
                ((try? FileManager.default.attributesOfItem(atPath: "\(reports)/\(name)"))?[.size] as? UInt64 ?? 0) > 1
            } }
            XCTAssertTrue(waitFor(120, writing), audit.stderr)
            for _ in 1...signals {
                audit.signal(SIGTERM)
                usleep(20_000)
            }
            let (status, _) = audit.finish(timeout: 60)
            XCTAssertEqual(temporary(), [], "\(signals) signal(s): \(audit.stderr)")
            if signals == 1 {
                XCTAssertEqual(audit.process.terminationReason, .exit, audit.stderr)
                XCTAssertNotEqual(status, 2, audit.stderr)
                let result = try report("\(reports)/cx.json")
                XCTAssertTrue(result.coverage.complete, "read to its end before the signal")
                XCTAssertFalse(result.connections?.isEmpty ?? true)
            } else {
                XCTAssertEqual(audit.process.terminationReason, .uncaughtSignal, audit.stderr)
                XCTAssertEqual(status, SIGTERM, audit.stderr)
                XCTAssertTrue(audit.stderr.contains("SIGTERM again: quitting without the reports"), audit.stderr)
                XCTAssertFalse(FileManager.default.fileExists(atPath: "\(reports)/cx.json"))
            }
        }
    }
}
