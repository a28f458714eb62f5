import Foundation
import Audit
import CaptureEngine
import Policy
import Reports
import XCTest

/// The snapshot length decides whether payloads, and so protocols, could be seen; before,
/// it was in no result nor report: at `tcpdump -s 64` every protocol was `unknown` and the
/// run complete and compliant, with nothing saying why. Each input now carries it
/// (`inputs[].snaplen`), and the reports say when it cut payloads.
final class SnapshotLengthCaptureTests: XCTestCase {
    func audit(_ names: [String]) -> AuditResult {
        Auditor(policy: Policy()).audit(paths: names.map(capture))
    }

    /// A pcap's file header, a pcapng's interfaces (two of them at 96), libpcap's maximum
    /// for a whole-packet recording; null for an input that could not be opened.
    func testEachInputCarriesItsSnapshotLength() {
        let result = audit(["protocols-lo.pcap", "protocols-lo-s96.pcap", "protocols-lo-s64.pcap", "das-offset3-lo.pcapng",
                            "sections-two-interfaces.pcapng", "no-such-capture.pcap"])
        XCTAssertEqual(result.inputs.map(\.snaplen), [262_144, 96, 64, 262_144, 96, nil])
        XCTAssertNoThrow(try result.validate())
        let read = try? AuditResult.decode(from: ResultCoding.encoder().encode(result))
        XCTAssertEqual(read?.inputs.map(\.snaplen), [262_144, 96, 64, 262_144, 96, nil], "written and read back")
    }

    /// A pcap file header's `snaplen` is any 32 bits the file holds, and libpcap passed
    /// 67,109,537 through: the result carried it and its own validation refused it (the
    /// capture fuzz target's find). Lengths past libpcap's maximum, and 0, read as the
    /// maximum, and the result reads back.
    func testAHeaderSnaplenPastLibpcapsMaximumReadsAsTheMaximum() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("snaplen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for snaplen: UInt32 in [67_109_537, 0, 0xFFFF_FFFF] {
            var header: [UInt8] = [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0] + [UInt8](repeating: 0, count: 8)
            header += withUnsafeBytes(of: snaplen.littleEndian, Array.init) + [1, 0, 0, 0]
            let path = directory.appendingPathComponent("snaplen-\(snaplen).pcap").path
            try Data(header).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let result = Auditor(policy: Policy()).audit(paths: paths)
        XCTAssertEqual(result.inputs.map(\.snaplen), [262_144, 262_144, 262_144])
        XCTAssertNoThrow(try AuditResult.decode(from: ResultCoding.encoder().encode(result)))
    }

    /// At 64 bytes no payload byte is left (Ethernet, IPv4 and TCP with timestamps take 66):
    /// every connection is `unknown`, and every human report says the snapshot length cut
    /// the payloads, once; whole packets say nothing of it.
    func testEveryReportSaysWhenTheSnapshotLengthCutThePayloads() {
        let cut = audit(["protocols-lo-s64.pcap"])
        XCTAssertEqual(cut.services.reduce(0) { $0 + ($1.protocols?["unknown"] ?? 0) }, 11)
        let note = "snapshot length 64 bytes, below the 192 that keep the payload bytes protocols are recognized by: "
            + "payloads cut, 11 connections' protocols unknown"
        let text = TextReport(color: false).render(cut), markdown = MarkdownReport.render(cut), html = HTMLReport.render(cut)
        let escapedNote = note.replacingOccurrences(of: "'", with: "&#39;")
        for (name, report, said) in [("text", text, note), ("markdown", markdown, note), ("html", html, escapedNote)] {
            XCTAssertEqual(report.components(separatedBy: said).count, 2, "\(name) says it once:\n\(report)")
        }
        XCTAssertTrue(markdown.contains("| Link type | Snaplen |"), markdown)
        XCTAssertTrue(markdown.contains("| EN10MB | 64 |"), markdown)
        XCTAssertTrue(html.contains(">Snaplen</th>"), html)

        let whole = audit(["protocols-lo.pcap"])
        for report in [TextReport(color: false).render(whole), MarkdownReport.render(whole), HTMLReport.render(whole)] {
            XCTAssertFalse(report.contains("snapshot length"), report)
        }
        XCTAssertTrue(MarkdownReport.render(whole).contains("| EN10MB | 262144 |"))
    }

    /// Several inputs: the lengths below 192 are named, shortest to longest, with how many
    /// inputs have them. "64 bytes (2 of 3 inputs)" read as two inputs at 64, for one at 64
    /// and one at 96 (a merge of nodes captured at -s 96 and -s 128 said "96 bytes (2 of 4
    /// inputs)"); inputs of one short length still name it alone.
    func testSeveralInputsNameTheirShortLengths() {
        let text = TextReport(color: false).render(audit(["protocols-lo.pcap", "protocols-lo-s96.pcap", "protocols-lo-s64.pcap"]))
        XCTAssertTrue(text.contains("snapshot length 64 to 96 bytes (2 of 3 inputs), below the 192"), text)
        let same = TextReport(color: false).render(audit(["protocols-lo.pcap", "protocols-lo-s64.pcap"]))
        XCTAssertTrue(same.contains("snapshot length 64 bytes (1 of 2 inputs), below the 192"), same)
    }
}
