import Audit
import Foundation
import Reports
import TestSupport
import XCTest

/// Two waits a first Ctrl-C did not end, with real signals to real processes
/// (docs/inputs.md "Stopping the reading"): a FIFO with no writer yet, which blocked
/// `audit` in `open` until a second signal killed it without a report; and the first
/// reading of `--offset auto`, after which the audit read nothing (every input "not read",
/// exit 2).
final class AuditStopWaitTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "dasaudit-stopwait-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// A bundled capture (captures/), read by path.
    private func bundled(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("captures/\(name)").path
    }

    private func fifo(_ name: String) -> String {
        let path = "\(directory)/\(name)"
        XCTAssertEqual(mkfifo(path, 0o600), 0)
        return path
    }

    private func packets(in path: String) throws -> UInt64 {
        let run = try runDasaudit(["audit", path, "--offset", "3", "--format", "json"])
        return try JSONReport.parse(Data(run.stdout.utf8)).coverage.packets
    }

    // MARK: - A FIFO with no writer

    /// `mkfifo f; dasaudit audit capture f` and no writer ever: the first SIGINT ends the
    /// wait, the FIFO is not read (exit 2, as an input that cannot be opened), and the
    /// capture before it is audited, its report written.
    func testTheFirstSignalEndsTheWaitForAFIFOWriter() throws {
        let capture = bundled("das-offset3-lo.pcap"), path = fifo("nowriter")
        let output = "\(directory)/fifo.json"
        let audit = try DasauditProcess(["audit", capture, path, "--offset", "3", "--threads", "1", "--format", "json",
                                         "-o", output])
        usleep(1_500_000)  // the capture read, the FIFO waited for
        XCTAssertTrue(audit.process.isRunning, audit.stderr)
        let signalled = Date()
        audit.signal(SIGINT)
        let (status, _) = audit.finish(timeout: 10)
        XCTAssertLessThan(Date().timeIntervalSince(signalled), 5)
        XCTAssertEqual(audit.process.terminationReason, .exit, audit.stderr)
        XCTAssertEqual(status, 2, audit.stderr)
        let result = try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: output)))
        XCTAssertEqual(result.inputs.map(\.path), [capture, path])
        XCTAssertNil(result.inputs[0].error)
        XCTAssertEqual(result.inputs[0].packets, try packets(in: capture))
        XCTAssertEqual(result.inputs[1].packets, 0)
        XCTAssertEqual(result.inputs[1].error, "\(path): not read: SIGINT stopped the reading before its first bytes came")
        XCTAssertFalse(result.services.isEmpty)
    }

    /// Opened without waiting, a FIFO still waits for a writer that comes later (it is not
    /// at its end before one came), and is read whole.
    func testAFIFOWhoseWriterComesLaterIsReadWhole() throws {
        let capture = bundled("das-offset3-lo.pcap"), path = fifo("later")
        let audit = try DasauditProcess(["audit", path, "--offset", "3", "--format", "json"])
        usleep(800_000)
        XCTAssertTrue(audit.process.isRunning, "waits for the writer: \(audit.stderr)")
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", "cat \"$0\" > \"$1\"", capture, path]
        try writer.run()
        writer.waitUntilExit()
        let (status, stdout) = audit.finish(timeout: 20)
        XCTAssertNotEqual(status, 2, audit.stderr)
        let result = try JSONReport.parse(Data(stdout.utf8))
        XCTAssertNil(result.inputs[0].error)
        XCTAssertTrue(result.coverage.complete)
        XCTAssertEqual(result.coverage.packets, try packets(in: capture))
    }

    // MARK: - --offset auto

    /// SIGTERM during `--offset auto`'s first reading (the one that finds the offset): it
    /// is cut there, the offset is found in what it read, and the audit reads the input up
    /// to the same packet: the audit of the first N packets (editcap) under `--offset auto`
    /// is the same, offset included. The input is incomplete (a medium incomplete-input).
    func testASignalDuringTheOffsetAutoReadingAuditsWhatItRead() throws {
        let big = "\(directory)/big.pcap"
        let generator = URL(fileURLWithPath: dasauditPath).deletingLastPathComponent().appendingPathComponent("dasaudit-gen")
        let generate = try DasauditProcess(["--packets", "1000000", "--snaplen", "64", big], program: generator.path)
        XCTAssertEqual(generate.finish(timeout: 120).status, 0, generate.stderr)
        let output = "\(directory)/auto.json"
        let audit = try DasauditProcess(["audit", big, "--offset", "auto", "--format", "json", "-o", output])
        XCTAssertTrue(waitFor(60) { AuditStopSignalTests.readOffset(of: audit.process.processIdentifier, in: big) ?? 0 > 4 << 20 },
                      audit.stderr)
        XCTAssertFalse(audit.stderr.contains("--offset auto: offset"), "still in the first reading")
        audit.signal(SIGTERM)
        let (status, _) = audit.finish(timeout: 30)
        XCTAssertEqual(audit.process.terminationReason, .exit, audit.stderr)
        XCTAssertEqual(status, 1, "the incomplete input fails at medium: \(audit.stderr)")
        XCTAssertTrue(audit.stderr.contains("in what was read before SIGTERM stopped the reading"), audit.stderr)
        let result = try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: output)))
        let cut = result.inputs[0].packets
        XCTAssertGreaterThan(cut, 0)
        XCTAssertLessThan(cut, 1_000_000)
        XCTAssertEqual(result.inputs[0].error, "\(big): cut by SIGTERM after \(cut) packets: the rest of the input was not read")
        XCTAssertFalse(result.coverage.complete)
        XCTAssertEqual(result.findings.filter { $0.kind == .incompleteInput }.map(\.severity), [.medium])
        let reference = try auditOfFirstPackets(cut, of: big, in: directory, ["--offset", "auto"])
        XCTAssertEqual(result.policy.offset, reference.policy.offset)
        assertSameAudit(result, reference)
    }

    /// Two inputs whose names are one text in NFC and in NFD (two files to Linux) keep
    /// their own places in the audit's reading after a stop during `--offset auto`'s: the
    /// first cut where the first reading left it, the second not read. Keyed by the name's
    /// text, the second's "not read" took the first's place, and the audit read none of it.
    func testInputsNamedAlikeKeepTheirOwnCutsAfterAStop() throws {
        let composed = "\(directory)/caf\u{E9}.pcap", decomposed = "\(directory)/cafe\u{301}.pcap"
        XCTAssertEqual(composed, decomposed, "one text to Swift")
        let generator = URL(fileURLWithPath: dasauditPath).deletingLastPathComponent().appendingPathComponent("dasaudit-gen")
        let generate = try DasauditProcess(["--packets", "1000000", "--snaplen", "64", composed], program: generator.path)
        XCTAssertEqual(generate.finish(timeout: 120).status, 0, generate.stderr)
        try FileManager.default.copyItem(atPath: bundled("das-offset3-lo.pcap"), toPath: decomposed)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory).count, 2, "two files")
        let output = "\(directory)/auto.json"
        let audit = try DasauditProcess(["audit", composed, decomposed, "--offset", "auto", "--threads", "1",
                                         "--format", "json", "-o", output])
        XCTAssertTrue(waitFor(60) { AuditStopSignalTests.readOffset(of: audit.process.processIdentifier, in: composed) ?? 0 > 4 << 20 },
                      audit.stderr)
        audit.signal(SIGTERM)
        let (status, _) = audit.finish(timeout: 30)
        XCTAssertEqual(audit.process.terminationReason, .exit, audit.stderr)
        XCTAssertEqual(status, 2, "an input not read: \(audit.stderr)")
        let result = try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: output)))
        XCTAssertEqual(result.inputs.count, 2)
        let cut = result.inputs[0].packets
        XCTAssertGreaterThan(cut, 0, "the first input is read up to where the first reading left it")
        XCTAssertLessThan(cut, 1_000_000)
        XCTAssertEqual(result.inputs[0].error, "\(composed): cut by SIGTERM after \(cut) packets: the rest of the input was not read")
        XCTAssertEqual(result.inputs[1].error, "\(decomposed): not read: SIGTERM stopped the reading before it")
        XCTAssertEqual(Array(result.inputs[1].path.utf8), Array(decomposed.utf8))
    }

    // MARK: - An output FIFO with no reader

    /// `timeout 600 dasaudit audit capture -o FIFO` whose reader never came: the audit is
    /// over and the run waits for the FIFO's reader; the single SIGTERM of `timeout` ends
    /// that wait, the output is given up in words, the other reports are written, exit 2.
    /// Until December 2026 the signal was taken as "stop the reading", which was over, and
    /// the run stayed blocked in open(2) for ever.
    func testAStopWhileAnOutputFIFOWaitsForItsReaderGivesTheOutputUp() throws {
        let output = fifo("report.fifo"), report = "\(directory)/audit.json"
        let run = try DasauditProcess(["audit", bundled("das-offset3-lo.pcap"), "--offset", "3", "--format", "json", "-o", output,
                                       "--report", "json:\(report)"])
        let deadline = Date(timeIntervalSinceNow: 20)
        while !FileManager.default.fileExists(atPath: report) && Date() < deadline { usleep(20_000) }
        usleep(200_000)
        run.signal(SIGTERM)
        XCTAssertEqual(run.finish(timeout: 10).status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("--output \(output): cannot write: it is a FIFO that no process opened to read before SIGTERM"),
                      run.stderr)
        XCTAssertEqual(try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: report))).coverage.packets,
                       try packets(in: bundled("das-offset3-lo.pcap")), "the report to a file is written whole")
    }

    // MARK: - An output whose reader takes nothing

    /// `dasaudit audit capture --format json | (sleep 600)`: the report to standard output
    /// fills the pipe and waits for a reader that never reads. The first SIGINT, once the
    /// reading is over, says so (not "stopping the reading") and gives that output up a
    /// second later; the --report file is written, the run exits 2 with the output named.
    /// Until December 2026 the run stayed blocked in write(2) until a second signal killed it.
    func testAStopGivesUpAStandardOutputWhoseReaderTakesNothing() throws {
        let report = "\(directory)/audit.json"
        let run = try DasauditProcess(["audit", bundled("das-offset3-lo.pcap"), "--offset", "3", "--format", "json",
                                       "--report", "json:\(report)"], readOutput: false)
        XCTAssertTrue(waitFor(20) { FileManager.default.fileExists(atPath: report) }, run.stderr)
        usleep(300_000)  // the report to standard output fills its 4 KiB and waits
        XCTAssertTrue(run.process.isRunning, run.stderr)
        let signalled = Date()
        run.signal(SIGINT)
        XCTAssertEqual(run.finish(timeout: 10).status, 2, run.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(signalled), 3)
        XCTAssertEqual(run.process.terminationReason, .exit, run.stderr)
        XCTAssertTrue(run.stderr.contains("SIGINT: the reading is over; stopping the writing of any output whose reader takes nothing"),
                      run.stderr)
        XCTAssertFalse(run.stderr.contains("stopping the reading"), run.stderr)
        XCTAssertTrue(run.stderr.contains("the --format json output: cannot write: its reader was not reading when SIGINT came"),
                      run.stderr)
        XCTAssertEqual(try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: report))).coverage.packets,
                       try packets(in: bundled("das-offset3-lo.pcap")), "the report to a file is written whole")
    }

    /// A --report to a FIFO whose reader opened it but takes nothing (its 4 KiB full): the
    /// single SIGTERM of `timeout` gives that report up, and the reports after it (another
    /// --report, the --output) are still written.
    func testAStopGivesUpAReportFIFOWhoseReaderTakesNothingAndWritesTheOthers() throws {
        let output = fifo("report.fifo"), html = "\(directory)/audit.html", main = "\(directory)/audit.json"
        let reader = open(output, O_RDONLY | O_NONBLOCK)
        XCTAssertGreaterThanOrEqual(reader, 0)
        defer { close(reader) }
        _ = fcntl(reader, 1031 /* F_SETPIPE_SZ */, 4096)
        let run = try DasauditProcess(["audit", bundled("das-offset3-lo.pcap"), "--offset", "3", "--format", "json", "-o", main,
                                       "--report", "json:\(output)", "--report", "html:\(html)"])
        var queued: Int32 = 0
        XCTAssertTrue(waitFor(20) { ioctl(reader, UInt(FIONREAD), &queued) == 0 && queued >= 4096 }, run.stderr)
        usleep(200_000)
        XCTAssertFalse(FileManager.default.fileExists(atPath: html), "waits on the FIFO, before the other reports")
        let signalled = Date()
        run.signal(SIGTERM)
        XCTAssertEqual(run.finish(timeout: 10).status, 2, run.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(signalled), 3)
        XCTAssertTrue(run.stderr.contains("--report json:\(output): cannot write: its reader was not reading when SIGTERM came"),
                      run.stderr)
        XCTAssertTrue(try String(contentsOfFile: html, encoding: .utf8).contains("</html>"))
        XCTAssertEqual(try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: main))).coverage.packets,
                       try packets(in: bundled("das-offset3-lo.pcap")))
    }
}
