import Audit
import Foundation
import Policy
import Reports
import XCTest

/// Unicode format characters (general category Cf) are invisible or reorder text, so in a
/// waiver's reason, an allowed port's reason or a capture's file name they could hide words
/// from the auditor who reads the report ("approved" with a zero-width space inside reads
/// as "approved" but is not the same reason; tag characters carry a whole hidden text).
/// Every output shows them as visible escapes, and JSON escapes them so that a result read
/// back holds the same strings.
final class InvisibleCharacterTests: XCTestCase {
    /// One of each kind the bug hunt found passing raw, and the bidirectional controls that
    /// were already escaped: soft hyphen, Arabic number sign, Mongolian vowel separator,
    /// zero-width space, ZWNJ, ZWJ, LRM, RLO, word joiner, an invisible operator, LRI, BOM,
    /// interlinear annotation anchor and terminator, and the tag characters "A" and cancel.
    static let formatCharacters: [Unicode.Scalar] = [
        "\u{AD}", "\u{600}", "\u{180E}", "\u{200B}", "\u{200C}", "\u{200D}", "\u{200E}", "\u{202E}", "\u{2060}",
        "\u{2062}", "\u{2066}", "\u{FEFF}", "\u{FFF9}", "\u{FFFB}", "\u{E0041}", "\u{E007F}",
    ]
    /// All of them, each after a letter, so the reason reads "ok" followed by letters.
    static let hidden = "ok" + formatCharacters.map { "x" + String($0) }.joined()
    /// `hidden` as a YAML double-quoted scalar's escapes, so the policy file stays ASCII.
    static let hiddenYAML = "ok" + formatCharacters.map { "x\\U" + String(format: "%08X", $0.value) }.joined()

    /// The format characters in `text`, as hex: what reached the reader raw.
    private func raw(_ text: String) -> [String] {
        text.unicodeScalars.filter { $0.properties.generalCategory == .format }.map { String($0.value, radix: 16) }
    }

    func testEveryFormatCharacterIsAFormatCharacterAndEscapedToItsValue() {
        for scalar in Self.formatCharacters {
            XCTAssertEqual(scalar.properties.generalCategory, .format, String(scalar.value, radix: 16))
            XCTAssertEqual(scalar.visibleEscape, "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}")
        }
        XCTAssertEqual("a\u{200B}b\u{E0041}".terminalEscaped, "a\\u{200B}b\\u{E0041}")
        XCTAssertEqual(JSONInvisibles.escaped("\"a\u{200B}b\u{E0041}\u{FEFF}\""), "\"a\\u200bb\\udb40\\udc41\\ufeff\"")
        // Letters, emoji and combining marks (not Cf) are kept.
        XCTAssertEqual("café 😀 e\u{301}".terminalEscaped, "café 😀 e\u{301}")
    }

    func testAReasonAndAFileNameWithFormatCharactersReachEveryReportEscaped() throws {
        let scratch = try scratchDirectory()
        let name = "das" + String(Self.formatCharacters.map(Character.init)) + ".pcap"
        let input = scratch.path(name)
        try FileManager.default.copyItem(atPath: capture("das-cluster-offset4-lo.pcap"), toPath: input)
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures")
        var policy = try String(contentsOf: fixtures.appendingPathComponent("cluster-waive-all-high.yaml"), encoding: .utf8)
        policy = policy.replacingOccurrences(of: "reason: Prometheus", with: "reason: \"\(Self.hiddenYAML)\"")
        policy += "allow:\n  - {port: 22, reason: \"\(Self.hiddenYAML)\"}\n"
        let policyPath = try scratch.file("policy.yaml", Data(policy.utf8))
        let formats = ["text", "md", "csv", "html", "junit"]
        let run = try runDasaudit(["audit", input, "--policy", policyPath, "--das-home", fixtures.appendingPathComponent("das-cluster-home").path,
                                   "--format", "json", "-o", scratch.path("audit.json")]
            + formats.flatMap { ["--report", "\($0):" + scratch.path("audit.\($0)")] })
        XCTAssertNotEqual(run.status, 2, run.stderr)
        XCTAssertEqual(raw(run.stderr), [], run.stderr)
        let escapedReason = "ok" + Self.formatCharacters.map { "x\\u{" + String($0.value, radix: 16, uppercase: true) + "}" }.joined()
        for format in formats {
            let text = try String(contentsOfFile: scratch.path("audit.\(format)"), encoding: .utf8)
            XCTAssertEqual(raw(text), [], format)
            // Markdown escapes nothing more in the reason (no Markdown syntax in it). The CSV
            // rows are services, with their capture points but no waivers.
            XCTAssertTrue(format == "csv" || text.contains(escapedReason), "\(format): the waiver's reason, visibly escaped")
            XCTAssertTrue(text.contains("das\\u{AD}\\u{600}\\u{180E}\\u{200B}"), "\(format): the file name, visibly escaped")
        }

        // JSON: escaped as \uXXXX (a surrogate pair above U+FFFF), and read back the same.
        let json = try Data(contentsOf: URL(fileURLWithPath: scratch.path("audit.json")))
        XCTAssertEqual(raw(String(decoding: json, as: UTF8.self)), [])
        XCTAssertTrue(String(decoding: json, as: UTF8.self).contains("x\\u200bx\\u200cx\\u200d"))
        XCTAssertTrue(String(decoding: json, as: UTF8.self).contains("x\\udb40\\udc41x\\udb40\\udc7f"))
        let result = try JSONReport.parse(json)
        XCTAssertEqual(result.inputs.first?.path, input)
        XCTAssertTrue(result.findings.contains { $0.waiver?.reason == Self.hidden })
        XCTAssertTrue(result.policy.allowedPorts.contains { $0.reason == Self.hidden })
        // render writes the result it read byte for byte as audit wrote it.
        let rendered = try runDasaudit(["render", scratch.path("audit.json"), "--format", "json"])
        XCTAssertEqual(rendered.stdout, String(decoding: json, as: UTF8.self))

        // The expected ports and the firewall rules the policy makes.
        for arguments in [["--policy", policyPath], ["--policy", policyPath, "--format", "json"],
                          ["--policy", policyPath, "--node", "das1", "--firewall", "nftables"],
                          ["--policy", policyPath, "--node", "das1", "--firewall", "iptables"]] {
            let ports = try runDasaudit(["ports"] + arguments)
            XCTAssertEqual(ports.status, 0, "\(arguments): \(ports.stderr)")
            XCTAssertEqual(raw(ports.stdout), [], "\(arguments)")
        }
        XCTAssertTrue(try runDasaudit(["ports", "--policy", policyPath]).stdout.contains(escapedReason))
    }
}
