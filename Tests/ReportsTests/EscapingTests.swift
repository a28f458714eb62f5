import Audit
import Foundation
@testable import Reports
import XCTest

/// Strings an attacker can put into a capture's file name, a policy, a DAS configuration
/// or a hand-edited result, each aimed at one sink.
enum Hostile {
    /// OSC 0: sets the terminal window's title.
    static let title = "\u{1B}]0;pwned\u{07}"
    /// CSI 2J: clears the screen.
    static let clear = "\u{1B}[2J"
    /// A forged line of output.
    static let forged = "ok\r\ndasaudit: COMPLIANT"
    /// A spreadsheet formula.
    static let formula = "=HYPERLINK(\"http://evil.example\",\"x\")"
    /// Markdown syntax.
    static let markdown = "| # ` * _ [ ]"
    /// Right-to-left override: "exe.txt" reads as "txt.exe".
    static let bidi = "\u{202E}txt.exe"
    /// CSI as one C1 character, and DEL.
    static let c1 = "\u{9B}31m\u{7F}"
    /// Invisible format characters: a zero-width space, a tag character ("A") and a BOM,
    /// hiding text in what reads as "ok".
    static let invisible = "ok\u{200B}\u{E0041}\u{FEFF}"

    static let all = [title, clear, forged, formula, markdown, bidi, c1, invisible]
    /// Every hostile string in one.
    static let combined = all.joined(separator: " ")
}

/// One escaping function per sink, each turning the hostile strings into their visible,
/// inert forms; and the reports of a result hostile in every text field hold no raw
/// control character at all.
final class EscapingTests: XCTestCase {
    func testTerminalTextShowsControlsAsVisibleEscapes() {
        XCTAssertEqual(Hostile.title.terminalEscaped, "\\e]0;pwned\\u{7}")
        XCTAssertEqual(Hostile.clear.terminalEscaped, "\\e[2J")
        XCTAssertEqual(Hostile.forged.terminalEscaped, "ok\\r\\ndasaudit: COMPLIANT")
        XCTAssertEqual(Hostile.bidi.terminalEscaped, "\\u{202E}txt.exe")
        XCTAssertEqual(Hostile.c1.terminalEscaped, "\\u{9B}31m\\u{7F}")
        XCTAssertEqual("tab\there\u{0}\u{2028}\u{2066}\u{200F}".terminalEscaped, "tab\\there\\u{0}\\u{2028}\\u{2066}\\u{200F}")
        // Printable text, non-ASCII letters and emoji included, is kept as it is.
        XCTAssertEqual("café ::1 😀 שלום | =1".terminalEscaped, "café ::1 😀 שלום | =1")
    }

    func testMarkdownEscapesItsSyntaxAndNeutralisesLineBreaks() {
        XCTAssertEqual(Hostile.markdown.markdownEscaped, "\\| \\# \\` \\* \\_ \\[ \\]")
        XCTAssertEqual(Hostile.forged.markdownEscaped, "ok\\r\\ndasaudit: COMPLIANT")
        XCTAssertEqual(Hostile.title.markdownEscaped, "\\e\\]0;pwned\\u{7}")
        XCTAssertEqual(Hostile.bidi.markdownEscaped, "\\u{202E}txt.exe")
        XCTAssertEqual("<b>$x$ ~s~ & \\".markdownEscaped, "\\<b\\>\\$x\\$ \\~s\\~ \\& \\\\")
        // A digest is a code span only when it is hex; anything else cannot close the span.
        XCTAssertEqual(String(repeating: "ab", count: 32).markdownDigest, "`" + String(repeating: "ab", count: 32) + "`")
        XCTAssertEqual("x` [l](http://evil.example) `".markdownDigest, "x\\` \\[l\\](http\\://evil.example) \\`")
        // No GFM autolink: www. and scheme:// broken by an escape, each run of @ a code span.
        XCTAssertEqual("www.a.example http://b/ a@b.example @@c".markdownEscaped,
                       "www\\.a.example http\\://b/ a`@`b.example `@@`c")
        XCTAssertEqual("ab:c 10.0.0.1:7077 fe80::1 wwww".markdownEscaped, "ab:c 10.0.0.1:7077 fe80::1 wwww", "nothing else changes")
        XCTAssertEqual("a\u{FFFE}b\u{FFFF}".markdownEscaped, "a\u{FFFD}b\u{FFFD}", "noncharacters, as in HTML")
    }

    func testCSVQuotesNeutralisesFormulasAndKeepsOneLinePerRow() {
        XCTAssertEqual("plain".csvField, "plain")
        XCTAssertEqual("a,b".csvField, "\"a,b\"")
        XCTAssertEqual("say \"hi\"".csvField, "\"say \"\"hi\"\"\"")
        XCTAssertEqual(Hostile.formula.csvField, "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"")
        XCTAssertEqual("+1".csvField, "'+1")
        XCTAssertEqual("-1".csvField, "'-1")
        XCTAssertEqual("@SUM(A1)".csvField, "'@SUM(A1)")
        XCTAssertEqual("\t=1".csvField, "'\\t=1")
        XCTAssertEqual("\r=1".csvField, "'\\r=1")
        XCTAssertEqual(Hostile.forged.csvField, "ok\\r\\ndasaudit: COMPLIANT")
        XCTAssertEqual(Hostile.title.csvField, "\\e]0;pwned\\u{7}")
        // Addresses, times and counts are left alone.
        XCTAssertEqual("::1".csvField, "::1")
        XCTAssertEqual("2026-11-27T00:11:55.661507000Z".csvField, "2026-11-27T00:11:55.661507000Z")
    }

    func testHTMLAndXMLShowControlsAndBidiOverridesAsVisibleEscapes() {
        XCTAssertEqual(Hostile.title.htmlEscaped, "\\e]0;pwned\\u{7}")
        XCTAssertEqual(Hostile.bidi.htmlEscaped, "\\u{202E}txt.exe")
        XCTAssertEqual(Hostile.forged.htmlEscaped, "ok\\r\\ndasaudit: COMPLIANT")
        XCTAssertEqual("a\u{FFFE}b".htmlEscaped, "a\u{FFFD}b")
    }

    func testReportsOfAHostileResultHoldNoRawControlCharacter() throws {
        let result = try everyFieldHostile()
        for format in ReportFormat.allCases where format != .json {
            let text = try format.render(result, color: false)
            // The only control characters are each format's own line ends (CRLF in CSV).
            let allowed: Set<UInt8> = format == .csv ? [0x0A, 0x0D] : [0x0A]
            let raw = text.unicodeScalars.filter { ($0.value < 0x20 && !allowed.contains(UInt8($0.value))) || ($0.value >= 0x7F && $0.visibleEscape != nil) }
            XCTAssertEqual(raw.map { String($0.value, radix: 16) }, [], "\(format): raw control characters")
            if format == .csv {
                XCTAssertFalse(text.contains("\r\n\r\n"))
                XCTAssertTrue(text.components(separatedBy: "\r\n").dropLast().allSatisfy { !$0.contains("\n") && !$0.contains("\r") })
            }
            XCTAssertFalse(text.contains("\ndasaudit: COMPLIANT"), "\(format): a forged line")
        }
        // JSON escapes the C0 controls itself, and DEL, the C1, line-separator and bidi
        // controls as `\u009b` (`JSONInvisibles`): before, those reached a terminal raw
        // from `--format json`. The data stays the data.
        let json = try JSONReport.render(result)
        let raw = json.unicodeScalars.filter { $0 != "\n" && $0.visibleEscape != nil }
        XCTAssertEqual(raw.map { String($0.value, radix: 16) }, [], "json: raw control characters")
        XCTAssertTrue(json.contains("\\u009b31m\\u007f") && json.contains("\\u202etxt.exe"))
        XCTAssertTrue(json.contains("ok\\u200b\\udb40\\udc41\\ufeff"), "format characters, above U+FFFF as a surrogate pair")
        let findings = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
        XCTAssertEqual(findings[0]["message"] as? String, result.findings[0].message)
    }

    func testEveryHostileFieldReachesTheReportsEscaped() throws {
        let result = try everyFieldHostile()
        let text = TextReport(color: false).render(result)
        XCTAssertTrue(text.contains("\\e]0;pwned\\u{7}"))
        XCTAssertTrue(text.contains("\\u{202E}txt.exe"))
        XCTAssertTrue(text.contains("ok\\u{200B}\\u{E0041}\\u{FEFF}"))
        let markdown = MarkdownReport.render(result)
        XCTAssertTrue(markdown.contains("- Policy SHA-256: " + Hostile.combined.markdownEscaped))
        XCTAssertFalse(markdown.contains("`" + Hostile.combined), "a hash field opens no raw code span")
        XCTAssertTrue(markdown.contains("\\| \\# \\` \\* \\_ \\[ \\]"))
        let csv = CSVReport.render(result)
        XCTAssertFalse(csv.contains(",=") || csv.contains(",\"=") || csv.contains(",-") || csv.contains(",+") || csv.contains(",@"),
                       "no cell starts a formula")
        let junit = JUnitReport.render(result)
        XCTAssertTrue(junit.contains("\\e[2J"))
        XCTAssertNoThrow(try parseJUnit(junit))
    }

    /// The cluster audit (nodes, waivers, every kind of row) with hostile text in every
    /// field an input reaches: paths, link type names, hashes, the command line, nodes,
    /// waivers, allowed ports, catalog keys, hints, clients, messages, remediations.
    private func everyFieldHostile() throws -> AuditResult {
        var result = try auditedCluster()
        let h = Hostile.combined
        result.tool.version = h
        for index in result.inputs.indices {
            result.inputs[index].path = h
            result.inputs[index].error = h
            result.inputs[index].linkTypeName = h
        }
        result.evidence?.commandLine.append(h)
        result.evidence?.policySha256 = h
        for index in result.evidence?.inputs.indices ?? 0..<0 {
            result.evidence?.inputs[index].path = h
            result.evidence?.inputs[index].sha256 = index == 0 ? h : nil
            result.evidence?.inputs[index].note = h
        }
        result.policy.profile = h
        result.policy.groups.append(h)
        result.policy.executorAllowed = h
        result.policy.executorBand = h
        result.policy.ephemeralRange = h
        result.policy.allowedPorts.append(try ResultCoding.decoder().decode(
            AllowedPortSummary.self, from: try JSONSerialization.data(withJSONObject: ["port": 1, "reason": h])))
        for index in result.policy.nodes.indices { result.policy.nodes[index].name = h }
        for index in result.policy.waivers.indices { result.policy.waivers[index].reason = h }
        for index in result.services.indices {
            result.services[index].node = h
            result.services[index].catalogKey = h
            result.services[index].alsoCatalogKeys = [h]
            result.services[index].hint = h
            result.services[index].sampleClients = [h]
        }
        for index in result.attempts.indices { result.attempts[index].catalogKey = h }
        for index in result.unusedOpenings.indices {
            result.unusedOpenings[index].node = h
            result.unusedOpenings[index].catalogKey = h
            result.unusedOpenings[index].group = h
            result.unusedOpenings[index].summary = h
        }
        for index in result.findings.indices {
            result.findings[index].node = h
            result.findings[index].message = h
            result.findings[index].remediation = h
            if result.findings[index].waiver != nil { result.findings[index].waiver?.reason = h }
        }
        XCTAssertTrue(result.findings.contains(where: \.isWaived), "the fixture has waived findings")
        XCTAssertFalse(result.attempts.isEmpty || result.unusedOpenings.isEmpty || result.policy.nodes.isEmpty)
        return result
    }
}
