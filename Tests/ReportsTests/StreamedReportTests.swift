import Audit
import Flows
import Foundation
import Reports
import XCTest

/// The streamed reports are the reports written before streaming, byte for byte.
final class StreamedReportTests: XCTestCase {
    /// Every format of every bundled capture against the fingerprints of the reports the
    /// string-building renderers wrote (Tests/Fixtures/report-fingerprints.txt, recorded
    /// with DASAUDIT_RECORD_FINGERPRINTS=1 before the renderers streamed). A deliberate
    /// change to what a report says records them again the same way, in its own commit; the
    /// JSON stays checked against JSONEncoder itself whatever it says (`JSONStreamingTests`).
    func testEveryBundledCaptureGivesTheReportsWrittenBeforeStreaming() throws {
        let file = repositoryRoot.appendingPathComponent("Tests/Fixtures/report-fingerprints.txt")
        var lines: [String] = []
        for name in BundledCaptureReports.captureNames {
            let result = try BundledCaptureReports.result(of: name)
            for variant in BundledCaptureReports.variants {
                let text = try variant.format.render(result, color: variant.color)
                lines.append("\(name) \(variant.name) \(BundledCaptureReports.fingerprint(text))")
            }
            let connections = BundledCaptureReports.connections(of: name)
            for format in ConnectionExport.Format.allCases {
                let text = ConnectionExport.render(connections, as: format)
                lines.append("\(name) flows-\(format.rawValue) \(BundledCaptureReports.fingerprint(text))")
            }
        }
        if ProcessInfo.processInfo.environment["DASAUDIT_RECORD_FINGERPRINTS"] == "1" {
            try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let recorded = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, recorded.count)
        for (line, expected) in zip(lines, recorded) { XCTAssertEqual(line, expected) }
    }
}
