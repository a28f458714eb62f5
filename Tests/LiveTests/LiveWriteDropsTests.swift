import Audit
import Foundation
import PcapKit
import Reports
import TestSupport
import XCTest

/// The evidence files of `dasaudit live --write` carry the packets the capture lost: pcapng
/// files, each closed by an Interface Statistics Block with the drops of its own window, so
/// that `dasaudit audit` of the files alone says what the live run said. Until December
/// 2026 they were pcap files, which have no place for drops: a run with thousands of kernel
/// drops was NOT COMPLIANT live, and its files audited complete and COMPLIANT.
///
/// Real captures on loopback (as root, as CI runs), each test on a loopback address of its
/// own with a filter on it, real listeners and clients.
final class LiveWriteDropsTests: XCTestCase {
    var address = ""
    var directory = ""
    var services: [LoopbackService] = []
    let policy = ["--offset", "5"]
    let rogue: UInt16 = 31337  // nothing explains it: unexpected
    let thrift: UInt16 = 7616  // thrift.tcp.port at offset 5: expected

    override func setUpWithError() throws {
        address = "127.\(Int.random(in: 100...250)).\(Int.random(in: 1...250)).1"
        directory = NSTemporaryDirectory() + "dasaudit-livewrite-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        services.forEach { $0.stop() }
        services = []
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func startLive(_ arguments: [String]) throws -> DasauditProcess {
        let live = try DasauditProcess(["live", "-i", "lo", "--filter", "host \(address)"] + policy + arguments)
        XCTAssertTrue(live.waitForError(containing: "capturing on lo"), "live did not start: \(live.stderr)")
        return live
    }

    private func files(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map { "\(directory)/\($0)" }
    }

    /// `dasaudit audit` over files with the test's policy: its exit status and result.
    private func audit(_ files: [String]) throws -> (status: Int32, result: AuditResult) {
        let run = try runDasaudit(["audit"] + files + policy + ["--format", "json"])
        XCTAssertNotEqual(run.status, 2, run.stderr)
        return (run.status, try JSONReport.parse(Data(run.stdout.utf8)))
    }

    /// A tiny kernel buffer, and the capture process held still (SIGSTOP) twice while real
    /// connections run: the kernel drops what its ring cannot hold, as under a real
    /// overload, and the files rotate every 4 KiB. Each file records the drops counted
    /// during its window; audited alone, the files lose exactly the packets the live run
    /// lost, split over the files, and are never clean coverage.
    func testTheFilesOfARunThatLostPacketsRecordItsDropsFileByFile() throws {
        services = [try LoopbackService(address: address, port: rogue)]
        let evidence = "\(directory)/evidence"
        let live = try startLive(["--buffer-size", "64k", "--snaplen", "128", "--interval", "0.2s", "--write", evidence,
                                  "--rotate-size", "4k", "--format", "json"])
        for _ in 0..<2 {
            try live.dropPackets(whileStoppedFor: 300, with: address, port: rogue)
            usleep(800_000)
        }
        XCTAssertTrue(live.waitForError(containing: "DROPS "), live.stderr)
        live.signal(SIGINT)
        let (status, stdout) = live.finish()
        XCTAssertEqual(status, 1, live.stderr)
        let result = try JSONReport.parse(Data(stdout.utf8))
        let lost = try XCTUnwrap(result.coverage.drops)
        XCTAssertGreaterThan(lost.kernel, 0, "the tiny buffer lost packets")

        let written = try files(in: evidence)
        XCTAssertGreaterThan(written.count, 2, "4 KiB files rotate")
        XCTAssertEqual(result.evidence?.writtenCaptures?.map(\.path), written)
        for file in written {
            let name = URL(fileURLWithPath: file).lastPathComponent
            XCTAssertNotNil(name.range(of: #"^dasaudit-\d{8}-\d{6}-\d{4}\.pcapng$"#, options: .regularExpression), name)
            let size = try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int ?? 0
            XCTAssertLessThanOrEqual(size, 4096, "\(name): its closing statistics fit in the size too")
        }

        // The files alone: the same drops as the live run, file by file, and not compliant.
        let (fileStatus, fromFiles) = try audit(written)
        XCTAssertEqual(fileStatus, 1)
        XCTAssertEqual(fromFiles.coverage.drops, lost, "the drops the live run counted, no more and no fewer")
        XCTAssertFalse(fromFiles.coverage.complete)
        XCTAssertFalse(fromFiles.summary.compliant)
        XCTAssertEqual(fromFiles.inputs.map(\.dropsSource), Array(repeating: .pcapng, count: written.count),
                       "every file records its window's drops, 0 included")
        let perFile = fromFiles.inputs.map { $0.drops?.total ?? 0 }
        XCTAssertEqual(perFile.reduce(0, +), lost.total, "\(perFile)")
        XCTAssertGreaterThanOrEqual(perFile.filter { $0 > 0 }.count, 2, "two stops, in two windows: \(perFile)")
        XCTAssertEqual(fromFiles.findings.filter { $0.kind == .packetsDropped }.count, perFile.filter { $0 > 0 }.count,
                       "a packets-dropped finding for each file that lost packets")
        XCTAssertEqual(fromFiles.coverage.packets, result.coverage.packets, "every packet captured is in the files")
        XCTAssertEqual(try comparable(fromFiles.services), try comparable(result.services))

        // The live result says the files hold the drops, and no longer that they cannot.
        let note = try XCTUnwrap(result.evidence?.inputs.first?.note)
        XCTAssertTrue(note.contains("the written captures record the \(lost.total) packets it lost in their interface statistics"),
                      note)
        XCTAssertFalse(note.contains("cannot record"), note)
        XCTAssertFalse(live.stderr.contains("note: --write"), live.stderr)

        // Other readers see the same packets, and the statistics: tcpdump (libpcap),
        // tshark and capinfos (Wireshark's reader).
        let read = zip(written, fromFiles.inputs).enumerated().filter { $0.offset < 2 || ($0.element.1.drops?.total ?? 0) > 0 }
        for (file, input) in read.map(\.element) {
            let tcpdump = try runTool("tcpdump", ["-n", "-r", file])
            XCTAssertEqual(UInt64(tcpdump.split(separator: "\n").count), input.packets, file)
            let tshark = try runTool("tshark", ["-r", file, "-T", "fields", "-e", "frame.number"])
            XCTAssertEqual(UInt64(tshark.split(separator: "\n").count), input.packets, file)
            // Wireshark's reader takes the interface and its statistics block.
            let capinfos = try runTool("capinfos", [file])
            for line in ["Number of packets:   \(input.packets)\n", "Name = lo\n", "Time resolution = 0x09\n",
                         "Number of stat entries = 1\n", "Capture application: dasaudit live\n"] {
                XCTAssertTrue(capinfos.contains(line), "\(line) in \(capinfos)")
            }
        }
        let first = try runTool("tshark", ["-r", written[0], "-T", "fields", "-e", "frame.interface_name", "-c", "1"])
        XCTAssertEqual(first, "lo\n", "the interface is named")
    }

    /// A run killed at once (SIGKILL: no second Ctrl-C, no closing) never writes the block
    /// that closes its last file. Its file still says the drops up to its last Interface
    /// Statistics Block, one every 5 s of packet time, each from the file's start (the
    /// audit takes the last of them, never their sum). A tiny buffer, the process held
    /// still once while 300 connections run (drops), then an exchange every half second
    /// for 11 s (two blocks), then SIGKILL. Before, the file held no statistics at all:
    /// its drops were unknown (`drops_source` none) and it audited complete.
    func testAKilledRunsLastFileSaysItsDropsUpToItsLastStatistics() throws {
        services = [try LoopbackService(address: address, port: rogue)]
        let evidence = "\(directory)/evidence"
        let live = try startLive(["--buffer-size", "64k", "--snaplen", "128", "--interval", "0.2s", "--write", evidence,
                                  "--format", "json"])
        try live.dropPackets(whileStoppedFor: 300, with: address, port: rogue)
        XCTAssertTrue(live.waitForError(containing: "DROPS "), live.stderr)
        for _ in 0..<22 {
            _ = try exchange(with: address, port: rogue)
            usleep(500_000)
        }
        live.signal(SIGKILL)
        _ = live.finish()

        let written = try files(in: evidence)
        XCTAssertEqual(written.count, 1, "no rotation")
        let capinfos = try runTool("capinfos", [written[0]])
        let entries = capinfos.components(separatedBy: "Number of stat entries = ").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) }
        XCTAssertGreaterThanOrEqual(entries ?? 0, 2, "a block every 5 s of the 11 s after the drops: \(capinfos)")
        let dropped = try systemDrops(inStatisticsOf: written[0])
        XCTAssertEqual(dropped.count, entries, "Wireshark reads every block")
        let last = try XCTUnwrap(dropped.last)
        XCTAssertGreaterThan(last, 0, "the drops before the first block are in every block")

        let (fileStatus, fromFile) = try audit(written)
        XCTAssertEqual(fromFile.inputs.map(\.dropsSource), [.pcapng])
        XCTAssertEqual(fromFile.coverage.drops?.total, last, "the last block's drops, not the blocks' sum: \(dropped)")
        XCTAssertFalse(fromFile.coverage.complete)
        XCTAssertEqual(fileStatus, 1)
        XCTAssertEqual(fromFile.findings.filter { $0.kind == .packetsDropped }.count, 1)
    }

    /// A run without drops: its pcapng files audit as the pcap files of a capture beside it
    /// (the format of before, `--write-format pcap`) and as the live run itself: the same
    /// services, connections, packets and findings. The pcapng files say they lost nothing
    /// (0, from their statistics); the pcap files cannot say (null), as before.
    func testTheFilesOfARunWithoutDropsAuditAsBefore() throws {
        services = [try LoopbackService(address: address, port: rogue), try LoopbackService(address: address, port: thrift)]
        let pcapng = "\(directory)/pcapng", pcap = "\(directory)/evidence.pcap"
        let arguments = ["--duration", "3s", "--rotate-size", "8k", "--format", "json"]
        let newFormat = try startLive(["--write", pcapng] + arguments)
        let oldFormat = try startLive(["--write", pcap, "--write-format", "pcap"] + arguments)
        for _ in 0..<5 {
            for service in services { _ = try exchange(with: address, port: service.port) }
        }
        let live = try JSONReport.parse(Data(newFormat.finish().stdout.utf8))
        _ = oldFormat.finish()
        XCTAssertTrue(live.coverage.complete, "no drops at this rate")

        let newFiles = try files(in: pcapng), oldFiles = try files(in: pcap)
        XCTAssertTrue(newFiles.allSatisfy { $0.hasSuffix(".pcapng") }, "\(newFiles)")
        XCTAssertTrue(oldFiles.allSatisfy { $0.hasSuffix(".pcap") }, "\(oldFiles)")
        XCTAssertGreaterThan(newFiles.count, 1, "8 KiB files rotate")
        let (newStatus, fromNew) = try audit(newFiles)
        let (oldStatus, fromOld) = try audit(oldFiles)
        XCTAssertEqual(newStatus, 1, "the rogue port is a high finding")
        XCTAssertEqual(newStatus, oldStatus)
        XCTAssertEqual(fromNew.coverage.packets, live.coverage.packets)
        XCTAssertEqual(fromNew.coverage.packets, fromOld.coverage.packets)
        XCTAssertEqual(fromNew.coverage.connections, fromOld.coverage.connections)
        XCTAssertEqual(try comparable(fromNew.services), try comparable(live.services))
        // Two capture sockets stamp a packet a few hundred nanoseconds apart: all else is the same.
        XCTAssertEqual(try comparable(fromNew.services, timed: false), try comparable(fromOld.services, timed: false))
        XCTAssertEqual(fromNew.findings.map(\.message), live.findings.map(\.message))
        XCTAssertEqual(fromNew.findings.map(\.message), fromOld.findings.map(\.message))
        XCTAssertTrue(fromNew.coverage.complete)
        XCTAssertEqual(fromNew.coverage.drops, Drops(kernel: 0, interface: 0), "recorded: nothing lost")
        XCTAssertTrue(fromNew.inputs.allSatisfy { $0.dropsSource == .pcapng })
        XCTAssertNil(fromOld.coverage.drops, "a pcap file cannot say")
    }

    /// `--write out.pcap` names a directory; its files would be pcapng, and the name says
    /// pcap. A script written for the pcap files of before is told at once (exit 2, before
    /// capturing) instead of getting another format under that name; `--write-format`
    /// says which is meant.
    func testAWriteNameEndingInPcapNeedsTheFormatSaid() throws {
        let run = try runDasaudit(["live", "-i", "lo", "--duration", "1s", "--write", "\(directory)/out.pcap"] + policy)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("--write \(directory)/out.pcap: --write names a directory, and the evidence files in "
                                          + "it are pcapng"), run.stderr)
        XCTAssertTrue(run.stderr.contains("--write-format pcap for pcap files as before"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: "\(directory)/out.pcap"), "nothing made")
        let stray = try runDasaudit(["live", "-i", "lo", "--duration", "1s", "--write-format", "pcap"] + policy)
        XCTAssertEqual(stray.status, 2)
        XCTAssertTrue(stray.stderr.contains("--write-format is the format of the files of --write DIR; give --write too"),
                      stray.stderr)
    }

    /// The `isb_osdrop` of each Interface Statistics Block of the little-endian pcapng file
    /// at `path`, in file order (a block without it: none): read block by block here, not
    /// by the reader under test.
    private func systemDrops(inStatisticsOf path: String) throws -> [UInt64] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        func field<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T {
            (0..<MemoryLayout<T>.size).reduce(T(0)) { $0 | T(bytes[offset + $1]) << (8 * $1) }
        }
        var drops: [UInt64] = [], offset = 0
        while offset + 12 <= bytes.count {
            let type = field(offset, UInt32.self), length = Int(field(offset + 4, UInt32.self))
            guard length >= 12, offset + length <= bytes.count else { break }
            if type == 5 {  // options from after the interface and the two halves of the time
                var option = offset + 20
                while option + 4 <= offset + length - 4 {
                    let code = field(option, UInt16.self), size = Int(field(option + 2, UInt16.self))
                    if code == 0 { break }
                    if code == 7 && size == 8 { drops.append(field(option + 4, UInt64.self)) }
                    option += 4 + (size + 3) / 4 * 4
                }
            }
            offset += length
        }
        return drops
    }

    /// The standard output of a real tool (tcpdump, tshark, capinfos), which must succeed.
    private func runTool(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(tool) \(arguments.joined(separator: " ")) failed (scripts/setup.sh installs it)")
        return text
    }

    /// Services as JSON, to compare; without their first and last times unless `timed`.
    private func comparable(_ services: [ServiceSummary], timed: Bool = true) throws -> String {
        let compared = timed ? services : services.map { service in
            var untimed = service
            untimed.firstSeen = Timestamp(nanoseconds: 0)
            untimed.lastSeen = Timestamp(nanoseconds: 0)
            return untimed
        }
        return String(decoding: try ResultCoding.encoder().encode(compared), as: UTF8.self)
    }
}
