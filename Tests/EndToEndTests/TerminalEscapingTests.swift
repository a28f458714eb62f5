import Foundation
import XCTest

/// What the command line prints holds no raw control character from its inputs: file
/// names (given, or listed from a directory), policy text echoed in errors, and the text
/// of a hostile result rendered for the terminal all come out as visible escapes.
final class TerminalEscapingTests: XCTestCase {
    private let hostileName = "x\u{1B}]0;pwned\u{07}\u{1B}[2J\r\ndasaudit: COMPLIANT\u{202E}"

    /// The control characters and bidi controls in `text`, other than line feeds.
    private func rawControls(_ text: String) -> [String] {
        text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n") || (0x7F..<0xA0).contains($0.value) || $0 == "\u{202E}" }
            .map { String($0.value, radix: 16) }
    }

    /// A directory removed when the test ends.
    private func temporaryDirectory() throws -> URL { try scratchDirectory().url }

    func testFileNamesReachStandardErrorEscaped() throws {
        let directory = try temporaryDirectory()
        try Data("not a capture".utf8).write(to: directory.appendingPathComponent(hostileName))
        try FileManager.default.copyItem(atPath: capture("spark-cluster-offset2-lo.pcap"),
                                         toPath: directory.appendingPathComponent("good.pcap").path)
        let listed = try runDasaudit(["audit", directory.path, "--offset", "2"])
        XCTAssertTrue(listed.stderr.contains("\\e]0;pwned\\u{7}\\e[2J\\r\\ndasaudit: COMPLIANT\\u{202E}: skipped"), listed.stderr)
        XCTAssertEqual(rawControls(listed.stderr), [])
        XCTAssertEqual(rawControls(listed.stdout), [])

        let missing = try runDasaudit(["audit", directory.appendingPathComponent(hostileName + ".pcap").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("\\e]0;pwned"), missing.stderr)
        XCTAssertEqual(rawControls(missing.stderr), [])
        XCTAssertEqual(rawControls(missing.stdout), [])
    }

    /// argument-parser's usage errors quote the value given; the usage text keeps its own
    /// line breaks, but the value is escaped.
    func testAUsageErrorQuotesTheValueEscaped() throws {
        let usage = try runDasaudit(["audit", "x.pcap", "--format", hostileName])
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.stderr.contains("\\e]0;pwned\\u{7}\\e[2J\\r\\ndasaudit: COMPLIANT\\u{202E}"), usage.stderr)
        XCTAssertTrue(usage.stderr.contains("\n  - json"), "the usage text keeps its own lines: \(usage.stderr)")
        XCTAssertEqual(rawControls(usage.stderr), [])
    }

    func testPolicyTextEchoedInAnErrorIsEscaped() throws {
        let policy = try temporaryDirectory().appendingPathComponent("policy.yaml")
        // An unknown key is echoed in the error message.
        try Data("\"\\e]0;pwned\\a\\e[2J\": 1\n".utf8).write(to: policy)
        let run = try runDasaudit(["audit", capture("spark-cluster-offset2-lo.pcap"), "--policy", policy.path])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("unknown key '\\e]0;pwned\\u{7}\\e[2J'"), run.stderr)
        XCTAssertEqual(rawControls(run.stderr), [], run.stderr)
    }

    func testAHostileResultRendersEscapedOnTheTerminal() throws {
        let directory = try temporaryDirectory()
        let json = directory.appendingPathComponent("audit.json")
        let audit = try runDasaudit(["audit", capture("spark-cluster-offset2-lo.pcap"), "--offset", "2", "--mode", "cluster",
                                     "--format", "json", "--output", json.path])
        XCTAssertNotEqual(audit.status, 2, audit.stderr)
        var result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: json)) as? [String: Any])
        var findings = try XCTUnwrap(result["findings"] as? [[String: Any]])
        findings[0]["message"] = hostileName
        result["findings"] = findings
        var inputs = try XCTUnwrap(result["inputs"] as? [[String: Any]])
        inputs[0]["path"] = hostileName
        inputs[0]["error"] = hostileName
        result["inputs"] = inputs
        var services = try XCTUnwrap(result["services"] as? [[String: Any]])
        services[0]["hint"] = hostileName
        result["services"] = services
        try JSONSerialization.data(withJSONObject: result).write(to: json)
        for format in ["text", "md", "csv"] {
            let run = try runDasaudit(["render", json.path, "--format", format])
            XCTAssertTrue(run.stdout.contains(format == "md" ? "\\e\\]0;pwned" : "\\e]0;pwned"), format)
            XCTAssertEqual(rawControls(run.stdout.replacingOccurrences(of: "\r\n", with: "\n")), [], format)
            XCTAssertEqual(rawControls(run.stderr), [], format)
        }
    }

    /// JSON on standard output (audit, render, diff, ports) holds no raw C1 or bidi
    /// control: a capture named with U+009B (CSI) and U+202E, and an allow reason and a
    /// saved result's name with U+202E, are written `\u009b`, `\u202e`, and read back as the same text. Before,
    /// JSON escaped only U+0000-U+001F and both reached the terminal raw.
    func testJSONOnATerminalHoldsNoRawC1OrBidiControl() throws {
        let directory = try temporaryDirectory()
        let name = "das\u{9B}2J\u{202E}txt.pcap"
        let path = directory.appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: capture("spark-cluster-offset2-lo.pcap"), toPath: path)
        let policy = directory.appendingPathComponent("policy.yaml")
        try Data("offset: 2\nmode: cluster\nallow:\n  - port: 22\n    reason: \"operator\\u202Essh\"\n".utf8).write(to: policy)
        let audit = try runDasaudit(["audit", path, "--policy", policy.path, "--format", "json"])
        XCTAssertNotEqual(audit.status, 2, audit.stderr)
        XCTAssertTrue(audit.stdout.contains("das\\u009b2J\\u202etxt.pcap"), audit.stdout)
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
        let inputs = try XCTUnwrap(result["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.first?["path"] as? String, path, "the data stays the data")
        let json = directory.appendingPathComponent("audit\u{202E}.json")
        try Data(audit.stdout.utf8).write(to: json)
        let runs = [audit, try runDasaudit(["render", json.path, "--format", "json"]),
                    try runDasaudit(["diff", json.path, json.path, "--format", "json"]),
                    try runDasaudit(["ports", "--policy", policy.path, "--format", "json"])]
        for run in runs {
            XCTAssertEqual(rawControls(run.stdout), [], run.stdout)
            XCTAssertTrue(run.stdout.contains("\\u202e"), run.stdout)
        }
    }

    /// `ports` printed a policy's reasons raw: a bidi control reordered its line.
    func testPortsPrintsAPolicysReasonsEscaped() throws {
        let policy = try temporaryDirectory().appendingPathComponent("policy.yaml")
        try Data("allow:\n  - port: 22\n    reason: \"operator\\u202Essh\"\n".utf8).write(to: policy)
        let run = try runDasaudit(["ports", "--policy", policy.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("  allowed  "), run.stdout)
        XCTAssertTrue(run.stdout.contains("operator\\u{202E}ssh [not shifted]\n"), run.stdout)
        XCTAssertEqual(rawControls(run.stdout), [])
    }

    /// A reason given with `--allow` is refused for a control character, as in a policy
    /// file: `ports` printed it raw, an escape sequence set the window title.
    func testAnAllowReasonWithAControlCharacterIsRefused() throws {
        let refused = [("\u{1B}]0;PWN\u{07}\u{1B}[31mred", #"the reason '\e]0;PWN\u{7}\e[31mred' contains '\e'"#),
                       ("a\nb", #"the reason 'a\nb' contains '\n'"#)]
        for (reason, message) in refused {
            let run = try runDasaudit(["ports", "--allow", "22:" + reason])
            XCTAssertEqual(run.status, 2, run.stderr)
            XCTAssertEqual(run.stdout, "")
            XCTAssertTrue(run.stderr.contains("--allow: \(message); a reason is one line of text without control characters"),
                          run.stderr)
            XCTAssertEqual(rawControls(run.stderr), [], run.stderr)
        }
    }
}
