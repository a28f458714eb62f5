import Foundation
import PcapKit
import TrafficGenerator
import XCTest

/// `render`, `merge` and `diff` stopped by a signal while they write a report: the run ends
/// as the signal's default action ends it (a shell sees 143 for SIGTERM), and the report's
/// temporary file is removed first. Killed by the default action, they left it behind,
/// hidden and as large as the report (61 MB for a 54 MB result rendered to HTML).
final class ReportSignalTests: XCTestCase {
    /// A result with thousands of services (the generator's `services` shape, audited), in
    /// a directory removed after the test.
    private func largeResult(in scratch: ScratchDirectory) throws -> String {
        var shape = TrafficPreset.services.shape(packets: 200_000)
        shape.snaplen = 96
        let pcap = scratch.path("services.pcap")
        let writer = try CaptureWriter(path: pcap, linkType: 1, snapshotLength: 96)
        _ = try TrafficGenerator.generate(shape, into: writer)
        try writer.finish()
        let result = scratch.path("services.json")
        let audit = try runDasaudit(["audit", pcap, "--offset", "2", "--connections", "--fail-on", "never", "--format", "json", "-o", result])
        XCTAssertEqual(audit.status, 0, audit.stderr)
        return result
    }

    /// Runs `arguments`, and sends SIGTERM as soon as a report's temporary file in
    /// `directory` holds more than the one byte of the outputs' check: whether the signal came
    /// while it was there, the run's status, and the files left in `directory`.
    private func stopWhileWriting(_ arguments: [String], in directory: String) throws -> (caught: Bool, status: Int32, left: [String]) {
        let process = Process()
        process.executableURL = dasauditBinary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var caught = false
        while process.isRunning {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            var status = stat()
            if names.contains(where: { $0.hasSuffix(".tmp") && stat("\(directory)/\($0)", &status) == 0 && status.st_size > 1 }) {
                kill(process.processIdentifier, SIGTERM)
                caught = true
                break
            }
            usleep(500)
        }
        process.waitUntilExit()
        // Killed before it finished: the signal came while the temporary file was there.
        caught = caught && process.terminationReason == .uncaughtSignal
        return (caught, process.terminationStatus, try FileManager.default.contentsOfDirectory(atPath: directory).sorted())
    }

    func testAReportStoppedBySIGTERMWhileWrittenLeavesNoTemporaryFile() throws {
        let scratch = try ScratchDirectory()
        let result = try largeResult(in: scratch)
        for (command, arguments) in [("render", ["render", result]), ("merge", ["merge", result, "--offset", "2"]),
                                     ("diff", ["diff", result, result])] {
            let reports = scratch.path(command)
            try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
            var caught = false
            for _ in 0..<5 where !caught {
                let run = try stopWhileWriting(arguments + ["--report", "html:\(reports)/\(command).html"], in: reports)
                caught = run.caught
                guard caught else { continue }
                XCTAssertEqual(run.status, SIGTERM, "\(command): ended by the signal")
                XCTAssertEqual(run.left.filter { $0.hasSuffix(".tmp") }, [], "\(command): no temporary file left")
            }
            XCTAssertTrue(caught, "\(command): the signal never came while the report was written (too fast a render)")
        }
    }
}
