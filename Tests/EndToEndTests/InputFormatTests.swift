import Foundation
import PcapKit
import XCTest

/// Every way a user hands over a capture gives the same connections: pcapng, nanosecond
/// and big-endian pcap, gzip/zstd/xz/bzip2, standard input, a FIFO, several pcapng
/// sections and directories (rotated sets: `RotatedSetOrderTests`). The variants are made
/// here by the real tools (editcap, tcpdump, mergecap, gzip, ...), from the real captures
/// in captures/.
final class InputFormatTests: XCTestCase {
    let base = capture("das-offset3-lo.pcap")
    let spark = capture("spark-cluster-offset2-lo.pcap")

    func testEveryFormatAndCompressionGivesTheSameConnections() throws {
        let scratch = try ScratchDirectory()
        let expected = try flows([base])
        XCTAssertEqual(expected.count, 23)
        var variants: [String: String] = [:]
        variants["pcapng"] = scratch.path("v.pcapng")
        try runTool("editcap", ["-F", "pcapng", base, variants["pcapng"]!])
        variants["nsecpcap"] = scratch.path("v.nsec")
        try runTool("editcap", ["-F", "nsecpcap", base, variants["nsecpcap"]!])
        variants["big-endian"] = try scratch.file("v.be", bigEndian(try contents(base)))
        for (tool, arguments) in [("gzip", ["-c"]), ("zstd", ["-q", "-c"]), ("xz", ["-c"]), ("bzip2", ["-c"])] {
            variants[tool] = scratch.path("v.\(tool)")
            try runTool(tool, arguments + [base], stdout: variants[tool]!)
        }
        for (name, path) in variants.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(try flows([path]), expected, name)
        }
        // Standard input from a pipe (sniffed, then replayed), plain and compressed.
        XCTAssertEqual(try flows(["-"], stdin: try contents(base)), expected, "stdin")
        XCTAssertEqual(try flows(["-"], stdin: try contents(variants["zstd"]!)), expected, "zstd on stdin")
        XCTAssertEqual(try flows(["-"], stdin: try contents(variants["gzip"]!)), expected, "gzip on stdin")
        // Standard input redirected from a file (sniffed in place, not replayed).
        for name in ["big-endian", "xz"] {
            let run = try runProcess("/bin/sh", ["-c", "\"$0\" flows - < \"$1\"", dasauditBinary.path, variants[name]!])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(run.stdout.split(separator: "\n").map(String.init), expected, "\(name) redirected to stdin")
        }
    }

    /// A FIFO (or `<(...)`) is read once, by the packet loop; nothing else may read it
    /// (the audit's evidence hashing leaves it alone).
    func testAFIFOIsReadLikeAFile() throws {
        let scratch = try ScratchDirectory()
        func fifo(_ name: String) throws -> String {
            let path = scratch.path(name)
            XCTAssertEqual(mkfifo(path, 0o600), 0)
            let bytes = try contents(base)
            Thread.detachNewThread {
                if let writer = FileHandle(forWritingAtPath: path) {
                    writer.write(bytes)
                    try? writer.close()
                }
            }
            return path
        }
        XCTAssertEqual(try flows([try fifo("flows.fifo")]), try flows([base]))
        let audit = try runProcess(dasauditBinary.path, ["audit", try fifo("audit.fifo"), "--format", "json", "--fail-on", "never"],
                                   timeout: 60)
        XCTAssertEqual(audit.status, 0, audit.stderr)
        XCTAssertTrue(audit.stdout.contains("\"packets\" : 293"), audit.stdout)
        XCTAssertTrue(audit.stdout.contains("\"complete\" : true"), audit.stdout)
    }

    func testNanosecondTimestampsKeepTheirNanoseconds() throws {
        let scratch = try ScratchDirectory()
        let shifted = scratch.path("shifted.nsec")
        try runTool("editcap", ["-F", "nsecpcap", "-t", "0.000000123", base, shifted])
        let original = try flows([base]).map(record), nano = try flows([shifted]).map(record)
        XCTAssertEqual(original.count, nano.count)
        for (before, after) in zip(original, nano) {
            for field in ["first_seen", "last_seen"] {
                let micro = before[field] as? String ?? "", nanoText = after[field] as? String ?? ""
                XCTAssertTrue(micro.hasSuffix("000Z"), micro)
                XCTAssertEqual(nanoText, micro.replacingOccurrences(of: "000Z", with: "123Z"))
            }
        }
    }

    /// A pcapng's 64-bit times can say 2359 (`editcap -t`); past 2262 they do not fit in
    /// nanoseconds and are pinned to its end. The window then ends there: it was null, and
    /// the summary said "no packets" of 293.
    func testTimesPastWhatNanosecondsHoldArePinnedNotTakenForNone() throws {
        let scratch = try ScratchDirectory()
        let late = scratch.path("late.pcapng")
        try runTool("editcap", ["-F", "pcapng", "-t", "10500000000", base, late])
        let audit = try runDasaudit(["audit", late, "--format", "json", "--fail-on", "never"])
        XCTAssertEqual(audit.status, 0, audit.stderr)
        XCTAssertTrue(audit.stdout.contains("\"packets\" : 293"), audit.stdout)
        XCTAssertTrue(audit.stdout.contains("\"capture_start\" : \"2262-04-11T23:47:16.854775807Z\""), audit.stdout)
        XCTAssertTrue(audit.stdout.contains("\"first_seen\" : \"2262-04-11T23:47:16.854775807Z\""), audit.stdout)
        let text = try runDasaudit(["audit", late, "--fail-on", "never"])
        XCTAssertFalse(text.stdout.contains("no packets"), text.stdout)
    }

    func testSeveralPcapngSectionsAreOneCapture() throws {
        let scratch = try ScratchDirectory()
        let first = capture("das-offset3-lo.pcapng"), second = capture("spark-cluster-offset2-lo.pcapng")
        let joined = try scratch.file("two-sections.pcapng", try contents(first) + contents(second))
        let together = try flows([joined])
        XCTAssertEqual(together.sorted(), (try flows([first]) + flows([second])).sorted())
        let audit = try runDasaudit(["audit", joined, "--format", "json", "--fail-on", "never"])
        XCTAssertEqual(audit.status, 0, audit.stderr)
        XCTAssertTrue(audit.stdout.contains("\"packets\" : 2343"), "293 + 2050 packets")
    }

    func testPcapngWithInterfacesOfDifferentLinkTypesIsRefusedByName() throws {
        let scratch = try ScratchDirectory()
        let mixed = scratch.path("mixed.pcapng")
        try runTool("mergecap", ["-F", "pcapng", "-w", mixed, base, capture("das-offset3-any.pcap")])
        let run = try runDasaudit(["flows", mixed])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(mixed): its pcapng interfaces have different link types"), run.stderr)
        // The same file next to a good one: the good one's connections are still written.
        let both = try runDasaudit(["flows", mixed, base])
        XCTAssertEqual(both.status, 2)
        XCTAssertEqual(both.stdout.split(separator: "\n").count, 23)
        // The split the message gives, followed to the letter, reads every connection.
        var split: [String] = []
        for (interface, type) in [(0, "ether"), (1, "linux-sll2")] {
            let part = scratch.path("part-\(interface).pcapng"), pcap = scratch.path("part-\(interface).pcap")
            XCTAssertTrue(run.stderr.contains("editcap -F nsecpcap -T TYPE PART-N.pcapng PART-N.pcap"), run.stderr)
            try runTool("tshark", ["-r", mixed, "-Y", "frame.interface_id==\(interface)", "-w", part])
            try runTool("editcap", ["-F", "nsecpcap", "-T", type, part, pcap])
            split += try flows([pcap])
        }
        XCTAssertEqual(split.sorted(), (try flows([base]) + flows([capture("das-offset3-any.pcap")])).sorted())
    }

    func testAnUnsupportedLinkTypeIsNamed() throws {
        let scratch = try ScratchDirectory()
        let wifi = scratch.path("wifi.pcap")
        try runTool("editcap", ["-T", "ieee-802-11-radiotap", base, wifi])
        let run = try runDasaudit(["audit", wifi])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(wifi): link type IEEE802_11_RADIO (127) is not supported"), run.stderr)
    }

    func testAnEditcapTimeSplitSetInADirectoryIsOneCapture() throws {
        let scratch = try ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path("split"), withIntermediateDirectories: true)
        try runTool("editcap", ["-i", "5", spark, scratch.path("split/part.pcap")])
        XCTAssertGreaterThan(try FileManager.default.contentsOfDirectory(atPath: scratch.path("split")).count, 3)
        XCTAssertEqual(try flows([scratch.path("split")]), try flows([spark]))
    }

    func testADirectoryReadsItsCapturesAndSaysWhichFilesItSkipped() throws {
        let scratch = try ScratchDirectory()
        try runTool("gzip", ["-c", base], stdout: scratch.path("dir/a.pcap.gz"))
        try runTool("zstd", ["-q", "-c", spark], stdout: scratch.path("dir/b"))
        try scratch.file("dir/README.txt", Data("notes\n".utf8))
        try scratch.file("dir/.hidden.pcap", try contents(base))
        try FileManager.default.createDirectory(atPath: scratch.path("dir/sub"), withIntermediateDirectories: true)
        let run = try runDasaudit(["flows", scratch.path("dir")])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout.split(separator: "\n").map(String.init).sorted(),
                       (try flows([base]) + flows([spark])).sorted())
        XCTAssertTrue(run.stderr.contains("\(scratch.path("dir/README.txt")): skipped: not a capture file"), run.stderr)
        XCTAssertTrue(run.stderr.contains("dir/sub: skipped"), run.stderr)
        XCTAssertFalse(run.stderr.contains(".hidden"), run.stderr)
    }

    /// A directory of much else (a home directory): ten notes, then one line for the rest.
    func testADirectoryOfManyOtherEntriesNamesTenAndCountsTheRest() throws {
        let scratch = try ScratchDirectory()
        try scratch.file("mixed/capture.pcap", try contents(base))
        for number in 1...15 { try scratch.file("mixed/notes-\(number).txt", Data("notes\n".utf8)) }
        for number in 1...3 {
            try FileManager.default.createDirectory(atPath: scratch.path("mixed/zdir-\(number)"), withIntermediateDirectories: true)
        }
        let run = try runDasaudit(["flows", scratch.path("mixed")])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout.split(separator: "\n").map(String.init).sorted(), try flows([base]).sorted())
        let notes = run.stderr.split(separator: "\n").filter { $0.contains(": skipped: ") }
        XCTAssertEqual(notes.count, 10, run.stderr)
        XCTAssertTrue(notes.first?.contains("notes-1.txt: skipped: not a capture file") == true, run.stderr)
        XCTAssertTrue(run.stderr.contains("8 more entries of the directories given skipped: 3 directories, 5 files holding no capture"),
                      run.stderr)
    }

    func testADirectoryWithoutCapturesIsAnError() throws {
        let scratch = try ScratchDirectory()
        try scratch.file("empty/notes.txt", Data("hello\n".utf8))
        let run = try runDasaudit(["audit", scratch.path("empty")])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(scratch.path("empty")): is a directory with no capture files in it"), run.stderr)
    }
}

/// The same pcap with every header field byte-swapped: what a big-endian host writes.
func bigEndian(_ file: Data) -> Data {
    let bytes = [UInt8](file)
    func word(_ at: Int) -> [UInt8] { Array(bytes[at..<at + 4].reversed()) }
    func half(_ at: Int) -> [UInt8] { Array(bytes[at..<at + 2].reversed()) }
    var out = word(0) + half(4) + half(6) + word(8) + word(12) + word(16) + word(20)
    var offset = 24
    while offset + 16 <= bytes.count {
        let caplen = Int(bytes[offset + 8..<offset + 12].reversed().reduce(0) { $0 << 8 | UInt32($1) })
        out += word(offset) + word(offset + 4) + word(offset + 8) + word(offset + 12)
        out += bytes[offset + 16..<offset + 16 + caplen]
        offset += 16 + caplen
    }
    return Data(out)
}
