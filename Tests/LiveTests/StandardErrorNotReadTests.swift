import Audit
import Foundation
import PcapKit
import Reports
import XCTest

/// A standard error whose reader is there but does not read: a pipe nobody drains
/// (`2> >(sleep 60)`, a supervisor that stopped reading) and a terminal that takes nothing
/// (paused with Ctrl-S). The status line of `live` and the progress bar of `audit` are
/// dropped rather than waited for, so the capture keeps its `--duration` and the reading
/// goes on. Until December 2026 the capture thread blocked in the status line:
/// `live --duration 5s` ended after 25 s, when the reader drained the pipe.
final class StandardErrorNotReadTests: XCTestCase {
    var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "dasaudit-stderr-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts `dasaudit arguments` with standard error on `errorDescriptor` (closed here once
    /// the child has it) and standard output on `output` (/dev/null by default).
    private func start(_ arguments: [String], errorDescriptor: Int32, output: FileHandle? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dasauditPath)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["DASAUDIT_NO_PROGRESS"] = nil
        process.environment = environment
        process.standardError = FileHandle(fileDescriptor: errorDescriptor, closeOnDealloc: false)
        process.standardOutput = output ?? FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        close(errorDescriptor)  // the child's now: its reader sees the end when the child exits
        return process
    }

    /// Reads `descriptor` to its end (every writer gone).
    private func readToEnd(_ descriptor: Int32) -> String {
        var bytes: [UInt8] = []
        XCTAssertTrue(POSIXFile.readToEnd(descriptor, into: &bytes))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `live --duration 2s --interval 10ms 2>PIPE`, the pipe nobody reads and all but 8 KiB
    /// of it full (less than the room a status line leaves for the messages): the capture
    /// ends on time, its status lines dropped and counted in a note, and the report is
    /// written. Before, the lines filled the 8 KiB in well under a second and the capture
    /// thread blocked until the pipe was read.
    func testTheStatusLineDoesNotHoldTheCaptureOnAPipeNobodyReads() throws {
        var ends: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&ends), 0)
        let size = Int(fcntl(ends[1], 1032 /* F_GETPIPE_SZ */))
        let filler = [UInt8](repeating: UInt8(ascii: "x"), count: size - 8192)
        XCTAssertEqual(filler.withUnsafeBytes { write(ends[1], $0.baseAddress, $0.count) }, filler.count)
        let report = "\(directory)/live.json"
        let started = Date()
        let live = try start(["live", "-i", "lo", "--filter", "host 127.203.7.1", "--duration", "2s", "--interval", "10ms",
                              "--format", "json", "-o", report], errorDescriptor: ends[1])
        let ended = waitFor(15) { !live.isRunning }
        let elapsed = Date().timeIntervalSince(started)
        let stderr = String(readToEnd(ends[0]).dropFirst(filler.count))  // lets a blocked run go on, too
        live.waitUntilExit()
        close(ends[0])
        XCTAssertTrue(ended, "still running 15 s after a 2 s capture: \(stderr.suffix(400))")
        XCTAssertLessThan(elapsed, 3.5, "the --duration of 2 s kept to within a second and a half")
        XCTAssertEqual(live.terminationReason, Process.TerminationReason.exit)
        XCTAssertNotEqual(live.terminationStatus, 2, stderr)
        XCTAssertTrue(stderr.contains("stopped (the --duration elapsed)"), stderr)
        let dropped = try XCTUnwrap(stderr.firstMatch(of: /note: (\d+) status lines were not written: standard error did not take them/),
                                    stderr).1
        XCTAssertGreaterThan(Int(dropped) ?? 0, 20, "about one every 10 ms for 2 s")
        XCTAssertNoThrow(try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: report))))
    }

    /// `audit` on a terminal (a pty) that takes nothing, its buffer full: the progress bar,
    /// drawn by the reading threads, is dropped and the audit is written to its file.
    /// Before, the first redraw blocked the reading thread, holding the progress bar's lock,
    /// and the audit never came.
    func testTheProgressBarDoesNotHoldTheReadingOnATerminalThatTakesNothing() throws {
        let big = "\(directory)/big.pcap"
        let generator = URL(fileURLWithPath: dasauditPath).deletingLastPathComponent().appendingPathComponent("dasaudit-gen")
        let generate = try DasauditProcess(["--packets", "1000000", "--snaplen", "64", big], program: generator.path)
        XCTAssertEqual(generate.finish(timeout: 120).status, 0, generate.stderr)
        // A new pseudo-terminal, as posix_openpt, unlockpt and ptsname make one (which
        // Glibc's module leaves out): the master side, never read, and its terminal.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        XCTAssertGreaterThanOrEqual(master, 0)
        defer { close(master) }
        var locked: Int32 = 0, number: UInt32 = 0
        XCTAssertEqual(ioctl(master, 0x4004_5431 /* TIOCSPTLCK */, &locked), 0)
        XCTAssertEqual(ioctl(master, 0x8004_5430 /* TIOCGPTN */, &number), 0)
        let terminalPath = "/dev/pts/\(number)"
        let terminal = open(terminalPath, O_WRONLY | O_NOCTTY)
        // Filled through a description of its own: O_NONBLOCK on the child's would make its
        // writes fail instead of wait.
        let filling = open(terminalPath, O_WRONLY | O_NONBLOCK | O_NOCTTY)
        XCTAssertGreaterThanOrEqual(terminal, 0)
        XCTAssertGreaterThanOrEqual(filling, 0)
        let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 256)
        while chunk.withUnsafeBytes({ write(filling, $0.baseAddress, $0.count) }) > 0 {}
        XCTAssertEqual(errno, EAGAIN, "the terminal takes nothing more")
        close(filling)
        // A file: an audit written to standard output ends the run with no message at all.
        let report = "\(directory)/audit.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: report, contents: nil))
        let audit = try start(["audit", big, "--format", "json"], errorDescriptor: terminal,
                              output: try FileHandle(forWritingTo: URL(fileURLWithPath: report)))
        let ended = waitFor(60) { !audit.isRunning }
        if !ended {  // let it go: drain the terminal
            var buffer = [UInt8](repeating: 0, count: 65536)
            _ = fcntl(master, F_SETFL, O_NONBLOCK)
            while audit.isRunning {
                _ = read(master, &buffer, buffer.count)
                usleep(1000)
            }
        }
        audit.waitUntilExit()
        XCTAssertTrue(ended, "the audit waited for the terminal")
        XCTAssertEqual(audit.terminationReason, Process.TerminationReason.exit)
        XCTAssertNotEqual(audit.terminationStatus, 2)
        XCTAssertEqual(try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: report))).coverage.packets, 1_000_000)
    }
}
