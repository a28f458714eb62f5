import Foundation
import TestSupport
import XCTest

/// Text from the inputs never becomes a link in the Markdown report, as cmark-gfm (the
/// renderer of GitHub and GitLab, with its `autolink` extension) reads it: a file named
/// `www.evil.example login@evil.example.pcap` gave three links, and any field of a
/// rendered result holding `http://...` one more.
final class MarkdownAutolinkTests: XCTestCase {
    /// The HTML cmark-gfm makes of `markdown`, with GFM's table and autolink extensions.
    private func gfm(_ markdown: String, in scratch: ScratchDirectory) throws -> String {
        let path = try scratch.file("report-\(UUID().uuidString).md", Data(markdown.utf8))
        let run = try runProcess("/usr/bin/env", ["cmark-gfm", "-e", "table", "-e", "autolink", path])
        if run.status == 127 { throw unavailable("cmark-gfm is not installed (scripts/setup.sh installs it)") }
        XCTAssertEqual(run.status, 0, run.stderr)
        return run.stdout
    }

    /// The text a reader sees in `html`: tags dropped, character references decoded.
    private func visibleText(_ html: String) -> String {
        html.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    func testAFileNameWithAWebAddressAndAnEMailAddressStaysText() throws {
        let scratch = try scratchDirectory()
        let directory = scratch.path("autolink")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name = "www.evil.example login@evil.example.pcap"
        try FileManager.default.copyItem(atPath: capture("spark-cluster-offset2-lo.pcap"), toPath: directory + "/" + name)
        let audit = try runDasaudit(["audit", directory, "--offset", "2", "--mode", "cluster", "--cores", "2",
                                     "--fail-on", "never", "--format", "markdown"])
        XCTAssertEqual(audit.status, 0, audit.stderr)
        let html = try gfm(audit.stdout, in: scratch)
        XCTAssertFalse(html.contains("<a "), html.components(separatedBy: "\n").filter { $0.contains("<a ") }.joined(separator: "\n"))
        XCTAssertTrue(visibleText(html).contains(name), "the name reads as it is")
    }

    func testNoAddressInAnyFormAutolinksFromARenderedResult() throws {
        let scratch = try scratchDirectory()
        let result = scratch.path("result.json")
        let audit = try runDasaudit(["audit", capture("diff-rogue-lo.pcap"), "--offset", "5", "--mode", "cluster", "--cores", "2",
                                     "--format", "json", "--output", result])
        XCTAssertEqual(audit.status, 1, audit.stderr)
        // Every form GFM links: www., scheme://, e-mail, mailto: and xmpp:, in either case,
        // beside escaped backticks and runs of @ that a code span must not swallow.
        let hostile = "see http://e/i.png https://x.example/a FTP://y.example www.x.example WWW.Z.example "
            + "a@b.example mailto:u@h.example xmpp:u@h.example @@c.example `@`d.example e@@f.example"
        var json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: result))) as? [String: Any])
        var findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
        findings[0]["message"] = hostile
        findings[0]["remediation"] = hostile
        json["findings"] = findings
        let edited = try scratch.file("edited.json", try JSONSerialization.data(withJSONObject: json))
        let render = try runDasaudit(["render", edited, "--format", "markdown"])
        XCTAssertEqual(render.status, 0, render.stderr)
        let html = try gfm(render.stdout, in: scratch)
        XCTAssertFalse(html.contains("<a "), html.components(separatedBy: "\n").filter { $0.contains("<a ") }.joined(separator: "\n"))
        XCTAssertTrue(visibleText(html).contains(hostile), "the text reads as it is")
    }
}
