import Audit
import Foundation
import PcapKit
import Reports
import XCTest

/// Reports written while they are produced (`OutputFile.Writer` behind a `ByteSink`) keep
/// the guarantees of a report written whole: the old file until the new one is complete,
/// no temporary file left behind, every format's bytes as before.
final class StreamedOutputTests: XCTestCase {
    /// This test's directory, removed after it.
    private var directory: ScratchDirectory!

    override func setUpWithError() throws { directory = try scratchDirectory() }
    override func tearDown() { directory = nil }

    /// What the directory holds, by name.
    private var entries: [String] {
        get throws { try FileManager.default.contentsOfDirectory(atPath: directory.url.path).sorted() }
    }

    func testAFileWrittenInPiecesReplacesTheOldOneOnlyWhenFinished() throws {
        let scratch = directory!
        let path = try scratch.file("audit.json", Data("last good".utf8))
        let writer = try OutputFile.Writer(.replacedFile(path: path))
        for piece in ["{", "\"a\"", " : 1}"] {
            try Array(piece.utf8).withUnsafeBytes { try writer.write($0) }
            XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "last good")
        }
        try writer.finish()
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "{\"a\" : 1}")
        XCTAssertEqual(try entries, ["audit.json"])
    }

    func testAWriterGivenUpLeavesTheOldFileAndNoTemporaryOne() throws {
        let scratch = directory!
        let path = try scratch.file("audit.json", Data("last good".utf8))
        do {
            let writer = try OutputFile.Writer(.replacedFile(path: path))
            try Array("half a rep".utf8).withUnsafeBytes { try writer.write($0) }
            XCTAssertEqual(try entries.count, 2, "the temporary file")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "last good")
        XCTAssertEqual(try entries, ["audit.json"])
    }

    /// A sink whose destination fails keeps the first failure, drops what follows, and says
    /// so at the end.
    func testASinkKeepsTheFirstFailureAndDropsTheRest() throws {
        struct Full: Error {}
        var delivered = 0
        let sink = ByteSink { bytes in
            delivered += 1
            if delivered == 2 { throw Full() }
        }
        let piece = String(repeating: "x", count: ByteSink.capacity)
        for _ in 0..<5 { sink.write(piece) }
        XCTAssertThrowsError(try sink.finish()) { XCTAssertTrue($0 is Full) }
        XCTAssertEqual(delivered, 2, "nothing is handed over after the failure")
    }

    /// Through the command line: a result rendered again as JSON, to standard output and to
    /// a file, is the saved result byte for byte, and a disk that fills mid-report leaves
    /// the old file whole.
    func testRenderingAResultAgainGivesItsBytesAndAFullDiskKeepsTheOldFile() throws {
        let scratch = directory!
        let saved = scratch.path("scan.json")
        let audit = try runDasaudit(["audit", capture("scan-syn-connect-lo.pcap"), "--format", "json", "--connections", "-o", saved])
        XCTAssertTrue([0, 1].contains(audit.status), audit.stderr)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: saved))
        XCTAssertGreaterThan(bytes.count, 4 * ByteSink.capacity, "several buffers' worth")
        let result = try JSONReport.parse(bytes)
        XCTAssertEqual(String(decoding: try ResultCoding.encoder().encode(result), as: UTF8.self) + "\n", String(decoding: bytes, as: UTF8.self))

        let printed = try runDasaudit(["render", saved, "--format", "json"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertEqual(printed.stdout, String(decoding: bytes, as: UTF8.self))
        let again = scratch.path("again.json")
        let written = try runDasaudit(["render", saved, "--format", "json", "-o", again, "--report", "csv:\(scratch.path("again.csv"))"])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: again)), bytes)
        XCTAssertEqual(try String(contentsOfFile: scratch.path("again.csv"), encoding: .utf8), CSVReport.render(result))

        // Files may not grow past 64 KiB for the run: its report fails midway with EFBIG.
        let limited = try runProcess("/bin/sh", ["-c", "ulimit -f 64; exec \"$0\" \"$@\"", dasauditBinary.path,
                                                 "render", saved, "--format", "json", "-o", again])
        XCTAssertEqual(limited.status, 2, limited.stderr)
        XCTAssertTrue(limited.stderr.contains("--output \(again): cannot write: "), limited.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: again)), bytes, "the old file is whole")
        XCTAssertEqual(try entries, ["again.csv", "again.json", "scan.json"])
    }
}
