import Audit
import Foundation
import PcapKit
import Reports
import XCTest

/// The evidence `dasaudit live --write` left of a run that lost packets
/// (`captures/live-write-drops-lo/`, recorded by
/// `scripts/recording/record-live-write-drops.sh`, with the live run's own result in
/// `captures/live-write-drops-lo.json`): pcapng files rotated every 4 KiB, each closed by an
/// Interface Statistics Block with the drops counted during its window. Audited alone, the
/// files lose what the live run lost, file by file; cut anywhere, a file is refused whole
/// (named, exit 2) or read up to its last whole packet, never with drops it does not hold.
final class LiveEvidenceDropsTests: XCTestCase {
    let evidence = capture("live-write-drops-lo")

    private func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: evidence).sorted().map { "\(evidence)/\($0)" }
    }

    private func audit(_ inputs: [String]) throws -> (status: Int32, stderr: String, result: AuditResult?) {
        let run = try runDasaudit(["audit"] + inputs + ["--offset", "0", "--format", "json"])
        return (run.status, run.stderr, run.status == 2 ? nil : try JSONReport.parse(Data(run.stdout.utf8)))
    }

    func testTheEvidenceOfALossyRunAuditsWithTheDropsTheRunCounted() throws {
        let live = try JSONReport.parse(try contents(capture("live-write-drops-lo.json")))
        let lost = try XCTUnwrap(live.coverage.drops)
        XCTAssertGreaterThan(lost.total, 1_000, "the recording lost packets")
        let (status, _, result) = try audit([evidence])
        let fromFiles = try XCTUnwrap(result)
        XCTAssertEqual(status, 1)
        XCTAssertEqual(fromFiles.coverage.drops, lost)
        XCTAssertFalse(fromFiles.coverage.complete)
        XCTAssertFalse(fromFiles.summary.compliant)
        XCTAssertEqual(fromFiles.coverage.packets, live.coverage.packets)
        XCTAssertEqual(fromFiles.inputs.count, try files().count)
        let perFile = fromFiles.inputs.map { $0.drops?.total ?? 0 }
        XCTAssertEqual(perFile.reduce(0, +), lost.total)
        XCTAssertGreaterThanOrEqual(perFile.filter { $0 > 0 }.count, 2, "two stops, in two files' windows: \(perFile)")
        XCTAssertEqual(fromFiles.services.map(\.port), live.services.map(\.port))
        XCTAssertEqual(fromFiles.services.map(\.connections), live.services.map(\.connections))
        let text = try runDasaudit(["audit", evidence, "--offset", "0"])
        XCTAssertTrue(text.stdout.contains("INCOMPLETE"), text.stdout)
    }

    /// An evidence file cut at every length, from nothing to whole: dasaudit's reader refuses
    /// only what ends before the file's interface is described, and reads the rest up to
    /// its last whole packet, to its end only when the cut falls between two blocks; the
    /// drops are known only for the whole file (its statistics are its last block). About
    /// the ends of its first and last blocks, libpcap reads it alike, and the command line
    /// refuses it naming the file (exit 2) or audits it, a cut inside a block being an
    /// incomplete input.
    func testEveryCutOfAnEvidenceFileIsRefusedOrReadUpToItsLastWholePacket() throws {
        // The smallest file whose window lost packets: its statistics hold drops.
        let candidates = try files().filter { try CaptureFile(path: $0).readingAll().recordedDrops?.system ?? 0 > 0 }
        let path = try XCTUnwrap(candidates.min { try contents($0).count < contents($1).count })
        let whole = try contents(path)
        let scratch = try ScratchDirectory()
        let wholeDrops = try XCTUnwrap(try CaptureFile(path: path).readingAll().recordedDrops)
        let blocks = blockEnds(whole)
        let ends = Set(blocks.map(\.end)), headerEnd = blocks[1].end
        XCTAssertEqual(blocks.last?.end, whole.count)
        XCTAssertEqual(blocks.last?.type, 5, "the statistics close the file")
        // Every length through the section and interface blocks and the first two packets,
        // and through the last packet and the statistics: every kind of place a cut can fall
        // (the packets between are more of the same, and take seconds each to cut).
        let cuts = Array(0...blocks[3].end) + Array(blocks[blocks.count - 3].end...whole.count)
        var refused = 0, cutInside = 0
        for length in cuts {
            let cut = try scratch.file("cut.pcapng", whole.prefix(length))
            let file: CaptureFile
            do {
                file = try CaptureFile(path: cut)
            } catch {
                XCTAssertLessThan(length, headerEnd, "cut at \(length) of \(whole.count): \(error)")
                refused += 1
                continue
            }
            var packets = 0
            let end = file.forEachPacket { _, _ in packets += 1 }
            let wholePackets = blocks.filter { $0.end <= length && $0.type == 6 }.count
            XCTAssertEqual(packets, wholePackets, "cut at \(length): every whole packet, no other")
            XCTAssertEqual(end == .endOfInput, ends.contains(length) || length < headerEnd, "cut at \(length): \(end)")
            if end != .endOfInput { cutInside += 1 }
            XCTAssertEqual(file.recordedDrops, length == whole.count ? wholeDrops : nil, "cut at \(length)")
        }
        XCTAssertGreaterThan(refused, 0)
        XCTAssertGreaterThan(cutInside, 0)

        // libpcap and the command line, one byte either side of the ends of the section and
        // interface blocks, of the first packets and of the last packet and the statistics.
        let edges = blocks.prefix(4).map(\.end) + blocks.suffix(2).map(\.end)
        let lengths = Set([0] + edges.flatMap { [$0 - 1, $0, $0 + 1] }).filter { (0...whole.count).contains($0) }.sorted()
        for length in lengths {
            let cut = try scratch.file("cut-\(length).pcapng", whole.prefix(length))
            try assertReadsAsLibpcap(cut, inPlace: nil, "cut at \(length) of \(whole.count)")
            let (status, stderr, result) = try audit([cut])
            guard let result else {
                XCTAssertEqual(status, 2)
                XCTAssertTrue(stderr.contains(cut), "cut at \(length): the file is named: \(stderr)")
                continue
            }
            let input = try XCTUnwrap(result.inputs.first)
            XCTAssertEqual(input.error == nil, ends.contains(length), "cut at \(length): \(String(describing: input.error))")
            XCTAssertEqual(input.drops, length == whole.count ? Drops(recorded: wholeDrops) : nil, "cut at \(length)")
            if length < whole.count { XCTAssertNotEqual(input.dropsSource, .pcapng, "cut at \(length)") }
        }
    }

    /// The type of each block of a pcapng file (this machine's byte order) and the offset
    /// at which it ends.
    private func blockEnds(_ file: Data) -> [(type: UInt32, end: Int)] {
        let bytes = [UInt8](file)
        var blocks: [(type: UInt32, end: Int)] = [], offset = 0
        func word(_ at: Int) -> UInt32 { bytes[at..<(at + 4)].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) } }
        while offset + 8 <= bytes.count {
            let length = Int(word(offset + 4))
            guard length >= 12 else { break }
            blocks.append((word(offset), offset + length))
            offset += length
        }
        return blocks
    }
}

extension CaptureFile {
    /// The file, read to its end (its statistics blocks noted on the way).
    fileprivate func readingAll() throws -> CaptureFile {
        _ = forEachPacket { _, _ in }
        return self
    }
}

extension Drops {
    /// The drops a pcapng's statistics record, as `audit` reports them: `isb_osdrop` as the
    /// kernel's, `isb_ifdrop` as the interface's.
    fileprivate init(recorded: RecordedDrops) {
        self.init(kernel: recorded.system ?? 0, interface: recorded.interface ?? 0)
    }
}
