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

    /// Every length of an evidence file, from nothing to whole: libpcap and dasaudit's own
    /// reader agree packet for packet; the drops are known only for the whole file (its
    /// statistics are its last block); and the command line refuses what holds no capture
    /// (exit 2, naming the file) and reads the rest up to its last whole packet, a cut
    /// inside a block being an incomplete input.
    func testEveryCutOfAnEvidenceFileIsRefusedOrReadUpToItsLastWholePacket() throws {
        // The smallest file whose window lost packets: its statistics hold drops.
        let candidates = try files().filter { try CaptureFile(path: $0).readingAll().recordedDrops?.system ?? 0 > 0 }
        let path = try XCTUnwrap(candidates.min { try contents($0).count < contents($1).count })
        let whole = try contents(path)
        let scratch = try ScratchDirectory()
        let wholeDrops = try XCTUnwrap(try CaptureFile(path: path).readingAll().recordedDrops)
        let blockEnds = Set(blockBoundaries(whole))
        var refused = 0, cutInside = 0, cutBetween = 0
        for length in 0...whole.count {
            let cut = try scratch.file("cut.pcapng", whole.prefix(length))
            let digest = try assertReadsAsLibpcap(cut, inPlace: nil, "cut at \(length) of \(whole.count)")
            guard digest != nil else {
                refused += 1
                continue
            }
            let drops = try CaptureFile(path: cut).readingAll().recordedDrops
            XCTAssertEqual(drops, length == whole.count ? wholeDrops : nil, "cut at \(length)")
            if blockEnds.contains(length) { cutBetween += 1 } else { cutInside += 1 }
        }
        XCTAssertGreaterThan(refused, 0)
        XCTAssertGreaterThan(cutInside, 0)
        XCTAssertGreaterThan(cutBetween, 2)

        // The command line, at each block's end and one byte either side of it.
        let lengths = blockEnds.flatMap { [$0 - 1, $0, $0 + 1] }.filter { (0...whole.count).contains($0) }.sorted()
        for length in lengths {
            let cut = try scratch.file("cut-\(length).pcapng", whole.prefix(length))
            let (status, stderr, result) = try audit([cut])
            guard let result else {
                XCTAssertEqual(status, 2)
                XCTAssertTrue(stderr.contains(cut), "cut at \(length): the file is named: \(stderr)")
                continue
            }
            let input = try XCTUnwrap(result.inputs.first)
            XCTAssertEqual(input.error == nil, blockEnds.contains(length), "cut at \(length): \(String(describing: input.error))")
            XCTAssertEqual(input.drops, length == whole.count ? Drops(recorded: wholeDrops) : nil, "cut at \(length)")
            if length < whole.count { XCTAssertNotEqual(input.dropsSource, .pcapng, "cut at \(length)") }
        }
    }

    /// The byte offsets at which the blocks of a pcapng file (this machine's byte order) end.
    private func blockBoundaries(_ file: Data) -> [Int] {
        let bytes = [UInt8](file)
        var ends: [Int] = [], offset = 0
        while offset + 8 <= bytes.count {
            let length = bytes[(offset + 4)..<(offset + 8)].withUnsafeBytes { Int($0.loadUnaligned(as: UInt32.self)) }
            guard length >= 12 else { break }
            offset += length
            ends.append(offset)
        }
        return ends
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
