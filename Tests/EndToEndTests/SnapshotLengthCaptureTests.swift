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

    /// Several inputs: the shortest length is named, with how many inputs are below 192.
    func testSeveralInputsNameTheShortestLength() {
        let text = TextReport(color: false).render(audit(["protocols-lo.pcap", "protocols-lo-s96.pcap", "protocols-lo-s64.pcap"]))
        XCTAssertTrue(text.contains("snapshot length 64 bytes (2 of 3 inputs), below the 192"), text)
    }
}
