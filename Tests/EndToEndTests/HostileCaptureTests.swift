import Audit
import Foundation
import Reports
import XCTest

/// Captures that lie or break: hand-made pcap and pcapng files whose headers and record
/// lengths are impossible, empty or cut files, inputs that are not captures or cannot be
/// read. Each must give a message naming the input and the problem, exit code 2 when
/// nothing of it could be used, never a crash or a hang, and lose nothing of the good
/// inputs read with it.
final class HostileCaptureTests: XCTestCase {
    let base = capture("das-offset3-lo.pcap")
    var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try scratchDirectory() }
    override func tearDown() { scratch = nil }

    /// The first `count` real packets of the base capture, as pcap records.
    func realRecords(_ count: Int) throws -> [Data] {
        try pcapRecords(contents(base)).prefix(count).map { pcapRecord($0.bytes, length: $0.length, seconds: $0.seconds) }
    }

    func audit(_ path: String) throws -> (CommandResult, AuditResult?) {
        let run = try runDasaudit(["audit", path, "--format", "json", "--fail-on", "never"])
        return (run, try? JSONReport.parse(Data(run.stdout.utf8)))
    }

    func assertUnusable(_ path: String, says message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for command in ["audit", "flows"] {
            let run = try runDasaudit([command, path])
            XCTAssertEqual(run.status, 2, "\(command): \(run.stderr)", file: file, line: line)
            XCTAssertTrue(run.stderr.contains("\(path): \(message)"), "\(command): \(run.stderr)", file: file, line: line)
        }
    }

    func testFilesTooSmallToBeCapturesSayWhatTheyAre() throws {
        try assertUnusable(try scratch.file("empty.pcap", Data()), says: "empty file (0 bytes)")
        // A character device that reads empty (checked: a tool run as root with
        // `--output /dev/null` and an atomic write can leave a plain file there).
        if (try? FileManager.default.attributesOfItem(atPath: "/dev/null"))?[.type] as? FileAttributeType == .typeCharacterSpecial {
            try assertUnusable("/dev/null", says: "empty file (0 bytes)")
        }
        try assertUnusable(try scratch.file("three.pcap", Data([0xD4, 0xC3, 0xB2])), says: "only 3 bytes: too short to be a capture")
        try assertUnusable(try scratch.file("notes.pcap", Data("hello, world\n".utf8)),
                           says: "not a pcap or pcapng capture (it starts with 68 65 6c 6c 6f 2c: text)")
        try assertUnusable(try scratch.file("header.pcap", pcapHeader().prefix(10)),
                           says: "capture is cut short inside its file header")
        try assertUnusable(try scratch.file("version.pcap", pcapHeader(major: 9) + realRecords(1)[0]),
                           says: "unsupported pcap savefile version 9.4")
    }

    func testAHeaderWithoutPacketsIsAnEmptyCompleteCapture() throws {
        let (run, result) = try audit(try scratch.file("header-only.pcap", pcapHeader()))
        XCTAssertEqual(run.status, 1, "an audit of nothing never passes, even with --fail-on never: \(run.stderr)")
        XCTAssertEqual(result?.coverage.packets, 0)
        XCTAssertEqual(result?.coverage.complete, true)
        XCTAssertEqual(result?.findings.first?.kind, .noTraffic)
    }

    func testARecordLongerThanTheSnapshotLengthIsCutToItAndTheNextRecordStillReads() throws {
        // A 74-byte SYN recorded in a file whose snapshot length is 40: libpcap hands out
        // the first 40 bytes (the TCP header is cut: a truncated packet) and skips the rest.
        let records = try realRecords(3)
        let path = try scratch.file("caplen-over-snaplen.pcap", pcapHeader(snaplen: 40) + records[0] + records[1] + records[2])
        let (run, result) = try audit(path)
        XCTAssertEqual(run.status, 1, "no TCP segment: nothing audited, never a pass: \(run.stderr)")
        XCTAssertEqual(result?.coverage.packets, 3)
        XCTAssertEqual(result?.coverage.skipped["truncated"], 3, "every record is cut at 40 bytes")
        XCTAssertEqual(result?.coverage.complete, false, "the TCP the cut records carried was not audited")
    }

    func testImpossibleRecordLengthsStopTheReadWithTheirReason() throws {
        for caplen: UInt32 in [0xFFFF_FFFF, 300_000, 0x8000_0000] {
            let bogus = pcapRecord(Data(count: 64), caplen: caplen, length: caplen)
            // First record: nothing usable.
            try assertUnusable(try scratch.file("bad-first-\(caplen).pcap", pcapHeader() + bogus),
                               says: "corrupt capture: a record or block length is impossible")
            // After two good records: those are audited, and the input is marked incomplete.
            // They are two SYNs in the capture's last 3 s, whose answers were not captured: an
            // audit of nothing, never a pass (until December 7, 2026 it passed).
            let records = try realRecords(2)
            let (run, result) = try audit(try scratch.file("bad-third-\(caplen).pcap", pcapHeader() + records[0] + records[1] + bogus))
            XCTAssertEqual(run.status, 1, run.stderr)
            XCTAssertTrue(result?.findings.contains { $0.kind == .noTraffic } ?? false)
            XCTAssertTrue(run.stderr.contains("corrupt capture"), run.stderr)
            XCTAssertEqual(result?.coverage.packets, 2)
            XCTAssertEqual(result?.coverage.complete, false)
            XCTAssertTrue(result?.findings.contains { $0.kind == .incompleteInput } ?? false)
        }
    }

    /// A record's wire length is what its header claims, up to 2^32 - 1: every record of a
    /// real capture claiming 0xFFFFFFFF summed to bytes past 2^53 (9.4 PB from 2.2 million
    /// records), which JSON readers holding doubles misread. Above 1 MiB, twice a BIG TCP
    /// packet, the claim is not believed and the record counts its captured bytes; 1 MiB
    /// itself is believed.
    func testAWireLengthNoLinkCarriesIsNotBelievedAndOneBelowIs() throws {
        let records = pcapRecords(try contents(base))
        XCTAssertTrue(records.allSatisfy { $0.length == UInt32($0.bytes.count) }, "a capture of whole packets")
        func forged(_ name: String, length: UInt32) throws -> String {
            try scratch.file(name, pcapHeader() + records.map { pcapRecord($0.bytes, length: length, seconds: $0.seconds) }.reduce(Data(), +))
        }
        let (_, original) = try audit(base)
        let (run, claimed) = try audit(try forged("claims-4-gib.pcap", length: 0xFFFF_FFFF))
        XCTAssertEqual(run.status, 0, run.stderr)
        let originalBytes = try XCTUnwrap(original?.services.map(\.bytes))
        XCTAssertEqual(claimed?.services.map(\.bytes), originalBytes, "each record counted at its captured bytes, as they were")
        XCTAssertEqual(claimed?.coverage.packets, original?.coverage.packets)

        let (_, believed) = try audit(try forged("claims-1-mib.pcap", length: 1 << 20))
        let counted = try XCTUnwrap(believed?.services.map(\.bytes))
        XCTAssertEqual(counted, try XCTUnwrap(original?.services.map(\.packets)).map { $0 << 20 }, "1 MiB a packet, believed")
    }

    /// The records whose wire length was not believed are counted per input and said: in
    /// the input's `wire_lengths_not_believed` (absent when none, as zero skip counts are)
    /// and on the text and Markdown coverage. Before, the result held the same numbers as
    /// for the honest capture and nothing said some of them were not the file's.
    func testRecordsWhoseWireLengthIsNotBelievedAreCountedAndSaid() throws {
        let records = pcapRecords(try contents(base))
        let forged = try scratch.file("every-third-claims-4-gib.pcap", pcapHeader() + records.enumerated().map { index, record in
            pcapRecord(record.bytes, length: index % 3 == 0 ? 0xFFFF_FFFF : record.length, seconds: record.seconds)
        }.reduce(Data(), +))
        let lying = UInt64((records.count + 2) / 3)
        let (run, claimed) = try audit(forged)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(claimed?.inputs.first?.wireLengthsNotBelieved, lying)
        XCTAssertTrue(run.stdout.contains("\"wire_lengths_not_believed\" : \(lying)"), run.stdout)
        let (honestRun, honest) = try audit(base)
        XCTAssertNil(honest?.inputs.first?.wireLengthsNotBelieved)
        XCTAssertFalse(honestRun.stdout.contains("wire_lengths_not_believed"), "absent when none")

        let said = "\(lying) records claimed a wire length above 1 MiB, more than a link carries: not believed, "
            + "each counted at their captured bytes"
        let text = try runDasaudit(["audit", forged, "--fail-on", "never"]).stdout
        XCTAssertTrue(text.contains("; " + said), text)
        let markdown = try runDasaudit(["audit", forged, "--format", "markdown", "--fail-on", "never"]).stdout
        XCTAssertTrue(markdown.contains("- **Wire lengths not believed**: " + said), markdown)
        XCTAssertFalse(try runDasaudit(["audit", base, "--fail-on", "never"]).stdout.contains("wire length"))
        // The CSV's coverage rows too, where a CI script reads them.
        let csv = try runDasaudit(["audit", forged, "--format", "csv", "--fail-on", "never"]).stdout
        XCTAssertTrue(csv.contains(",coverage,wire_lengths_not_believed,\(lying),\"\(said)\"\r\n"), csv)
        let honestCSV = try runDasaudit(["audit", base, "--format", "csv", "--fail-on", "never"]).stdout
        XCTAssertTrue(honestCSV.contains(",coverage,wire_lengths_not_believed,0,\r\n"), honestCSV)

        // Two inputs, one of them honest: the note says which share of the inputs lied.
        let (twoRun, two) = try audit2(forged, base)
        XCTAssertEqual(two?.inputs.first { $0.path == forged }?.wireLengthsNotBelieved, lying, twoRun.stderr)
        XCTAssertEqual(two?.inputs.filter { $0.path == base }.count, 1)
        XCTAssertNil(two?.inputs.first { $0.path == base }?.wireLengthsNotBelieved)
        let twoText = try runDasaudit(["audit", forged, base, "--fail-on", "never"]).stdout
        XCTAssertTrue(twoText.contains("more than a link carries (in 1 of 2 inputs)"), twoText)
    }

    private func audit2(_ paths: String...) throws -> (CommandResult, AuditResult?) {
        let run = try runDasaudit(["audit"] + paths + ["--format", "json", "--fail-on", "never"])
        return (run, try? JSONReport.parse(Data(run.stdout.utf8)))
    }

    func testZeroLengthAndLargestRecordsAreCountedNotFatal() throws {
        let records = try realRecords(2)
        let big = Data(largestTCPFrame())
        XCTAssertEqual(big.count, 65535)
        let path = try scratch.file("sizes.pcap", pcapHeader() + records[0] + pcapRecord(Data()) + pcapRecord(big) + records[1])
        let (run, result) = try audit(path)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(result?.coverage.packets, 4)
        XCTAssertEqual(result?.coverage.tcpSegments, 3, "the two real packets and the 65535-byte frame")
        XCTAssertEqual(result?.coverage.skipped["malformed"], 1, "the zero-length record: 0 of its 0 bytes kept, nothing cut")
        XCTAssertNil(result?.coverage.skipped["truncated"])
        XCTAssertEqual(result?.coverage.complete, true)
        let big64k = try flows([path]).map(record).first { ($0["server_port"] as? Int) == 7711 }
        XCTAssertEqual(big64k?["payload_bytes_to_server"] as? Int, 65535 - 14 - 20 - 20)
    }

    func testPcapngBlocksWithImpossibleLengthsAreNamed() throws {
        let ng = [UInt8](try contents(capture("das-offset3-lo.pcapng")))
        func withLength(at offset: Int, _ value: UInt32) -> Data {
            var bytes = ng
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset + 4..<offset + 8, with: $0) }
            return Data(bytes)
        }
        let shb = Int(UInt32(ng[4]) | UInt32(ng[5]) << 8 | UInt32(ng[6]) << 16 | UInt32(ng[7]) << 24)
        let idb = Int(UInt32(ng[shb + 4]) | UInt32(ng[shb + 5]) << 8)
        let cases: [(String, Data)] = [
            ("tiny section header", withLength(at: 0, 12)),
            ("huge interface block", withLength(at: shb, 0xFFFF_FFF0)),
            ("packet block of 0xFFFFFFFF", withLength(at: shb + idb, 0xFFFF_FFFF)),
            ("packet block not a multiple of 4", withLength(at: shb + idb, 109)),
        ]
        for (index, (name, bytes)) in cases.enumerated() {
            let path = try scratch.file("corrupt-\(index).pcapng", bytes)
            let run = try runDasaudit(["flows", path])
            XCTAssertEqual(run.status, 2, name)
            XCTAssertTrue(run.stderr.contains("\(path): corrupt capture: a record or block length is impossible"), "\(name): \(run.stderr)")
        }
    }

    func testACompressedCaptureCutShortIsReadUpToTheCutAndNamed() throws {
        let gz = scratch.path("whole.pcap.gz")
        try runTool("gzip", ["-c", capture("spark-cluster-offset2-lo.pcap")], stdout: gz)
        let bytes = try contents(gz)
        let cut = try scratch.file("cut.pcap.gz", bytes.prefix(bytes.count / 2))
        let (run, result) = try audit(cut)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("\(cut): "), run.stderr)
        XCTAssertTrue(run.stderr.contains("gzip-compressed"), run.stderr)
        XCTAssertTrue(run.stderr.contains("unexpected end of file"), "gzip's own complaint: \(run.stderr)")
        XCTAssertEqual(result?.coverage.complete, false)
        XCTAssertGreaterThan(result?.coverage.packets ?? 0, 100)
        XCTAssertLessThan(result?.coverage.packets ?? 0, 2050)
    }

    /// A corrupt record early in a large compressed capture: reading stops there while the
    /// decompressor still has megabytes to write; it is stopped, not waited for.
    func testACorruptRecordEarlyInACompressedCaptureEndsTheReadPromptly() throws {
        let records = try pcapRecords(contents(capture("spark-cluster-offset2-lo.pcap")))
            .map { pcapRecord($0.bytes, length: $0.length, seconds: $0.seconds) }
        var bytes = pcapHeader()
        records.prefix(100).forEach { bytes += $0 }
        bytes += pcapRecord(Data(count: 64), caplen: 0xFFFF_FFFF)
        for _ in 0..<4 { records.forEach { bytes += $0 } }
        let plain = try scratch.file("corrupt.pcap", bytes)
        let zst = scratch.path("corrupt.zst")
        try runTool("zstd", ["-q", "-c", plain], stdout: zst)
        let started = Date()
        let run = try runProcess(dasauditBinary.path, ["flows", zst], timeout: 60)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "no wait for the decompressor")
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("\(zst): corrupt capture: a record or block length is impossible"), run.stderr)
        XCTAssertTrue(run.stderr.contains("(after 100 packets)"), run.stderr)
    }

    /// Every packet came through, but gzip found the checksum wrong: the packets count,
    /// and the input is not complete.
    func testACompressedStreamThatFailsItsChecksumIsIncomplete() throws {
        let gz = scratch.path("capture.pcap.gz")
        try runTool("gzip", ["-c", base], stdout: gz)
        var bytes = [UInt8](try contents(gz))
        bytes[bytes.count - 8] ^= 0xFF  // the CRC-32 in gzip's trailer
        let damaged = try scratch.file("crc.pcap.gz", Data(bytes))
        let (run, result) = try audit(damaged)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("\(damaged): the gzip-compressed stream is cut short or corrupt (gzip: stdin: invalid compressed data--crc error)"),
                      run.stderr)
        XCTAssertEqual(result?.coverage.packets, 293)
        XCTAssertEqual(result?.coverage.complete, false)
    }

    func testACompressedFileThatIsNotACaptureIsNamed() throws {
        let text = try scratch.file("notes.txt", Data(String(repeating: "not a capture\n", count: 50).utf8))
        let zst = scratch.path("notes.zst")
        try runTool("zstd", ["-q", "-c", text], stdout: zst)
        try assertUnusable(zst, says: "not a pcap or pcapng capture (unknown file format) (in the zstd-compressed content")
    }

    func testAMissingDecompressorIsNamedWithItsPackage() throws {
        let zst = scratch.path("capture.zst")
        try runTool("zstd", ["-q", "-c", base], stdout: zst)
        let run = try runProcess("/usr/bin/env", ["PATH=/nonexistent", dasauditBinary.path, "flows", zst])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(zst): zstd-compressed, and `zstd` is not installed to decompress it (install the zstd package)"),
                      run.stderr)
    }

    /// xz's package is xz-utils on Debian and Ubuntu, xz on the RHEL family, whose rpm carries
    /// the same binary: the message names both.
    func testAMissingXzIsNamedWithTheDebianAndTheRHELPackage() throws {
        let xz = scratch.path("capture.pcap.xz")
        try runTool("xz", ["-c", base], stdout: xz)
        let run = try runProcess("/usr/bin/env", ["PATH=/nonexistent", dasauditBinary.path, "flows", xz])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(xz): xz-compressed, and `xz` is not installed to decompress it "
                                          + "(install the xz-utils package; xz on RHEL, Fedora and SUSE)"),
                      run.stderr)
    }

    /// Tests run as root, who can read any file: the unreadable file is read by `nobody`
    /// through `runuser` (skipped where that is impossible, and failed then under CI).
    func testAnUnreadableFileIsNamed() throws {
        let path = try scratch.file("secret.pcap", try contents(base))
        XCTAssertEqual(chmod(path, 0o600), 0)
        XCTAssertEqual(chmod(scratch.url.path, 0o755), 0)
        let run = try runDasauditAsNobody(["flows", path], mentioning: path)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("\(path): permission denied"), run.stderr)
    }

    func testOneBadInputAmongSeveralLosesNothingOfTheOthers() throws {
        let bad = try scratch.file("bad.pcap", pcapHeader() + pcapRecord(Data(count: 10), caplen: 0xFFFF_FFFF))
        let empty = try scratch.file("empty.pcap", Data())
        let run = try runDasaudit(["flows", bad, base, empty, capture("das-offset3-any.pcap")])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(bad): corrupt capture"), run.stderr)
        XCTAssertTrue(run.stderr.contains("\(empty): empty file"), run.stderr)
        let expected = try flows([base, capture("das-offset3-any.pcap")])
        XCTAssertEqual(run.stdout.split(separator: "\n").map(String.init), expected)
    }
}

/// An Ethernet frame of 65535 bytes: IPv4 (total length 65521) and TCP to port 7711 with
/// 65481 payload bytes.
func largestTCPFrame() -> [UInt8] {
    var frame: [UInt8] = [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 0x08, 0x00]
    frame += [0x45, 0, 0xFF, 0xF1, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
    frame += [0x9C, 0x40, 0x1E, 0x1F, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xFF, 0xFF, 0, 0, 0, 0]
    return frame + [UInt8](repeating: 0xAA, count: 65535 - frame.count)
}
