import Foundation
import PathBytes
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// Inputs a capture could hide behind: a name that is not UTF-8, two names that are the
/// same text in two Unicode forms, a compression dasaudit does not read. Each was once a
/// COMPLIANT, complete audit that had left a capture out. The files are real copies of
/// the bundled captures, made here with the real tools (`lz4`, `zip`).
final class HiddenInputTests: XCTestCase {
    let baseline = capture("diff-baseline-lo.pcap")  // 106 packets, compliant at offset 5
    let rogue = capture("diff-rogue-lo.pcap")  // 130 packets, a rogue HTTP server on 127.0.0.9:31338
    let options = ["--offset", "5", "--mode", "cluster"]
    /// `cap-M\xFCller-0002.pcap`: "Müller" in ISO-8859-1, as a Latin-1 locale names it.
    let latin1Name: [UInt8] = Array("cap-M".utf8) + [0xFC] + Array("ller-0002.pcap".utf8)

    /// Copies `source` to the file whose name in `directory` is the bytes `name`.
    func copy(_ source: String, to directory: String, named name: [UInt8]) throws {
        let path = String(pathBytes: Array(directory.utf8) + Array("/".utf8) + name)
        let descriptor = open(path.fileSystemPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        XCTAssertGreaterThanOrEqual(descriptor, 0, "creating \(path)")
        let bytes = try contents(source)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }

    func json(_ path: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: contents(path)) as? [String: Any])
    }

    func testACaptureNamedInLatin1InADirectoryIsAuditedAndNamedWithItsByteEscaped() throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path("dir"), withIntermediateDirectories: true)
        try copy(baseline, to: scratch.path("dir"), named: Array("cap-0001.pcap".utf8))
        try copy(rogue, to: scratch.path("dir"), named: latin1Name)
        let run = try runDasaudit(["audit", scratch.path("dir")] + options
                                  + ["--format", "markdown", "--report", "json:" + scratch.path("r.json")])
        XCTAssertEqual(run.status, 1, "the rogue server in the Latin-1 file fails the audit: \(run.stderr)")
        XCTAssertFalse(run.stderr.contains("skipped"), run.stderr)
        XCTAssertTrue(run.stdout.contains("cap-M\\xFCller-0002.pcap"), "the name's byte shown escaped: \(run.stdout)")
        XCTAssertTrue(run.stdout.contains("127.0.0.9"), run.stdout)
        let result = try json(scratch.path("r.json"))
        let inputs = try XCTUnwrap(result["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.map { $0["packets"] as? Int }, [106, 130])
        XCTAssertEqual(PathBytes.bytes(try XCTUnwrap(inputs[1]["path"] as? String)), Array(scratch.path("dir").utf8) + Array("/".utf8) + latin1Name)
        XCTAssertEqual((result["coverage"] as? [String: Any])?["complete"] as? Bool, true)
        // Read back, the name is the same bytes: the text report of the result shows it so too.
        let rendered = try runDasaudit(["render", scratch.path("r.json"), "--format", "markdown"])
        XCTAssertTrue(rendered.stdout.contains("cap-M\\xFCller-0002.pcap"), rendered.stderr)
    }

    func testACaptureNamedInLatin1OnTheCommandLineIsReadAndANonUTF8OutputIsRefused() throws {
        let scratch = try ScratchDirectory()
        for directory in ["dir", "out"] {
            try FileManager.default.createDirectory(atPath: scratch.path(directory), withIntermediateDirectories: true)
        }
        try copy(rogue, to: scratch.path("dir"), named: latin1Name)
        let named = try runProcess("/bin/sh", ["-c", "\"$0\" audit \"$1/$(printf 'cap-M\\374ller-0002.pcap')\" --offset 5 --mode cluster",
                                               dasauditBinary.path, scratch.path("dir")])
        XCTAssertEqual(named.status, 1, "read, not 'no such file': \(named.stderr)")
        XCTAssertTrue(named.stdout.contains("127.0.0.9:31338"), named.stdout)

        let output = try runProcess("/bin/sh", ["-c", "\"$0\" audit \"$1\" --offset 5 --mode cluster -o \"$2/$(printf 'r\\374.json')\"",
                                                dasauditBinary.path, baseline, scratch.path("out")])
        XCTAssertEqual(output.status, 2, output.stderr)
        XCTAssertTrue(output.stderr.contains("r\\xFC.json: the name is not valid UTF-8"), output.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.path("out")), [], "nothing written under another name")
    }

    func testTwoFilesWhoseNamesAreCanonicallyEqualAreBothRead() throws {
        let scratch = try ScratchDirectory()
        let composed = try scratch.file("nfc/caf\u{E9}.pcap", try contents(baseline))
        let decomposed = try scratch.file("nfc/cafe\u{301}.pcap", try contents(rogue))
        XCTAssertFalse(Array(composed.utf8) == Array(decomposed.utf8))
        for arguments in [[composed, decomposed], [scratch.path("nfc")]] {
            let run = try runDasaudit(["audit"] + arguments + options + ["--format", "json"])
            XCTAssertEqual(run.status, 1, "both read, the rogue server found: \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("the same file"), run.stderr)
            let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
            XCTAssertEqual((result["inputs"] as? [[String: Any]])?.count, 2, arguments.description)
        }
        // The same file named twice is still read once.
        let twice = try runDasaudit(["audit", composed, composed] + options)
        XCTAssertTrue(twice.stderr.contains("the same file as"), twice.stderr)
    }

    func testTwoResultsWhoseNamesAreCanonicallyEqualAreBothMerged() throws {
        let scratch = try ScratchDirectory()
        let composed = scratch.path("n\u{E9}.json"), decomposed = scratch.path("ne\u{301}.json")
        for (capture, result) in [(baseline, composed), (rogue, decomposed)] {
            let run = try runDasaudit(["audit", capture] + options + ["--connections", "--fail-on", "never", "--format", "json", "-o", result])
            XCTAssertEqual(run.status, 0, run.stderr)
        }
        let merged = try runDasaudit(["merge", composed, decomposed] + options + ["--format", "json"])
        XCTAssertFalse(merged.stderr.contains("the same file"), merged.stderr)
        XCTAssertEqual(merged.status, 1, "the rogue server of the second result is in the merge: \(merged.stderr)")
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(merged.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((result["inputs"] as? [[String: Any]])?.count, 2)
    }

    func testACaptureCompressedWithLz4OrZipInADirectoryIsAnUnusableInputNotASkip() throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path("dir"), withIntermediateDirectories: true)
        try runTool("lz4", ["-q", "-c", rogue], stdout: scratch.path("dir/cap-0001.pcap.lz4"))
        try runTool("zip", ["-q", "-j", scratch.path("dir/cap-0000.pcap.zip"), rogue])
        try runTool("gzip", ["-c", rogue], stdout: scratch.path("dir/cap-0002.pcap.gz"))
        _ = try scratch.file("dir/cap-0003.pcap", try contents(baseline))
        _ = try scratch.file("dir/cap-0004.pcap.br", Data([0x1B, 0x2F, 0x00, 0x00, 0x14, 0x2C, 0x00]))  // brotli: no magic number
        _ = try scratch.file("dir/cap-0003.pcap.json", Data("{\"inputs\": []}\n".utf8))  // a result beside its capture
        let run = try runDasaudit(["audit", scratch.path("dir")] + options + ["--format", "json"])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("cap-0001.pcap.lz4: lz4-compressed, which dasaudit does not decompress"), run.stderr)
        XCTAssertTrue(run.stderr.contains("decompress it first (lz4 -d FILE)"), run.stderr)
        XCTAssertTrue(run.stderr.contains("cap-0000.pcap.zip: a zip archive"), run.stderr)
        XCTAssertTrue(run.stderr.contains("cap-0004.pcap.br: not a pcap or pcapng capture"), run.stderr)
        XCTAssertTrue(run.stderr.contains("cap-0003.pcap.json: skipped: not a capture file"), run.stderr)
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((result["coverage"] as? [String: Any])?["complete"] as? Bool, false)
        let inputs = try XCTUnwrap(result["inputs"] as? [[String: Any]])
        let packets = Dictionary(uniqueKeysWithValues: inputs.map {
            (String(($0["path"] as? String ?? "").split(separator: "/").last ?? ""), $0["packets"] as? Int)
        })
        XCTAssertEqual(packets, ["cap-0000.pcap.zip": 0, "cap-0001.pcap.lz4": 0, "cap-0002.pcap.gz": 130, "cap-0003.pcap": 106,
                                 "cap-0004.pcap.br": 0], "gzip is still read")
    }

    func testEveryByteStringHasOneTextThatGivesItsBytesBack() {
        let names: [[UInt8]] = [
            Array("plain.pcap".utf8), latin1Name, Array("caf\u{E9}".utf8), Array("cafe\u{301}".utf8),
            [0xF4, 0x8F, 0xB2, 0x80],  // U+10FC80 written in valid UTF-8: must not pass for the byte 0x80
            [0x80], [0xC3], [0xC3, 0x28], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF, 0xFE],
        ]
        let texts = names.map { String(pathBytes: $0) }
        for (name, text) in zip(names, texts) {
            XCTAssertEqual(PathBytes.bytes(text), name, text)
        }
        XCTAssertEqual(Set(texts.map { Array($0.unicodeScalars.map(\.value)) }).count, names.count, "no two names share a text")
        XCTAssertTrue(texts[0].isUTF8Path && texts[2].isUTF8Path)
        XCTAssertFalse(texts[1].isUTF8Path)
    }
}
