import Foundation
import XCTest

/// A result read back by `render`, `diff` and `merge` must mean to dasaudit what it means to
/// every other JSON reader. Foundation's decoder keeps the first copy of a key given twice,
/// jq and Python the last: a real failing result (`diff-rogue-lo.pcap`, a rogue HTTP
/// server on 127.0.0.9:31338, at `--fail-on medium`) with a forged first `findings` and
/// `summary` put before its own was rendered COMPLIANT and diffed NOT WORSE, while jq read
/// the five high findings out of the same file. Such files are refused, naming the file and
/// the key, with exit 2.
final class AmbiguousResultTests: XCTestCase {
    private var scratch: ScratchDirectory!
    private var baseline = ""
    private var real = ""

    override func setUpWithError() throws {
        scratch = try scratchDirectory()
        baseline = scratch.path("baseline.json")
        real = scratch.path("rogue.json")
        for (input, output) in [("diff-baseline-lo.pcap", baseline), ("diff-rogue-lo.pcap", real)] {
            let run = try runDasaudit(["audit", capture(input), "--offset", "5", "--mode", "cluster", "--cores", "2",
                                       "--fail-on", "medium", "--format", "json", "--output", output])
            XCTAssertNotEqual(run.status, 2, run.stderr)
        }
    }

    /// The real result's text with `keys` (JSON members, comma-separated) put first in its
    /// top-level object.
    private func forged(_ name: String, putting keys: String, in text: String? = nil) throws -> String {
        let text = try text ?? String(contentsOfFile: real, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("{\n"))
        return try scratch.file(name, Data(("{\n" + keys + ",\n" + text.dropFirst(2)).utf8))
    }

    /// A first `findings` holding only the low and info findings and a first `summary`
    /// saying compliant, as a forger would write them.
    private func greenCopies() throws -> String {
        let result = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: real))) as? [String: Any])
        let findings = try XCTUnwrap(result["findings"] as? [[String: Any]])
        var summary = try XCTUnwrap(result["summary"] as? [String: Any])
        XCTAssertTrue(findings.contains { $0["severity"] as? String == "high" }, "the real result fails")
        summary["compliant"] = true
        func json(_ value: Any) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self) }
        return "\"findings\": \(try json(findings.filter { ["low", "info"].contains($0["severity"] as? String) })), "
            + "\"summary\": \(try json(summary))"
    }

    func testARealResultWithForgedFirstCopiesOfItsKeysIsRefusedByEveryCommandThatReadsIt() throws {
        let realText = try runDasaudit(["render", real, "--format", "text"])
        XCTAssertTrue(realText.stdout.contains("NOT COMPLIANT"), realText.stdout)
        XCTAssertEqual(try runDasaudit(["diff", baseline, real]).status, 1, "the real result is worse than the baseline")

        let forged = try forged("forged.json", putting: try greenCopies())
        let problem = "\(forged) is not a readable dasaudit result: findings: the key 'findings' is given twice in one object"
        for command in [["render", forged, "--format", "text"], ["render", forged, "--format", "junit"],
                        ["diff", baseline, forged], ["merge", forged, baseline, "--format", "json"]] {
            let run = try runDasaudit(command)
            XCTAssertEqual(run.status, 2, "\(command): \(run.stdout.prefix(300))")
            XCTAssertTrue(run.stderr.contains(problem), "\(command): \(run.stderr)")
            XCTAssertFalse(run.stdout.contains("COMPLIANT"), "\(command): no verdict is shown")
        }
    }

    func testAKeyGivenTwiceDeepInsideOrSpelledAsTheSameFieldIsNamedByItsPath() throws {
        let text = try String(contentsOfFile: real, encoding: .utf8)
        // The first finding's severity twice: "info" first (kept by Foundation), "high" after.
        let severity = try XCTUnwrap(text.range(of: "\"severity\" : \"high\""))
        let twice = try scratch.file("severity-twice.json", Data(text.replacingCharacters(
            in: severity, with: "\"severity\" : \"info\", \"severity\" : \"high\"").utf8))
        let firstHigh = try XCTUnwrap((JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["findings"] as? [[String: Any]])
            .firstIndex { $0["severity"] as? String == "high" }!
        // `summ\u0061ry` is `summary` escaped; `fail__on` is the decoder's field `failOn`, as `fail_on` is.
        let escaped = try forged("escaped.json", putting: #""summ\u0061ry": {}"#)
        let failOn = try XCTUnwrap(text.range(of: "\"fail_on\" : \"medium\""))  // the policy's, before the summary's
        let spelled = try scratch.file("spelled.json", Data(text.replacingCharacters(
            in: failOn, with: "\"fail__on\" : \"never\", \"fail_on\" : \"medium\"").utf8))
        let expected = [
            twice: "findings[\(firstHigh)].severity: the key 'severity' is given twice in one object",
            escaped: "summary: the key 'summary' is given twice in one object",
            spelled: "policy.fail_on: the keys 'fail__on' and 'fail_on' are one field to dasaudit's decoder and two to other JSON readers",
        ]
        for (path, problem) in expected {
            let run = try runDasaudit(["render", path])
            XCTAssertEqual(run.status, 2, path)
            XCTAssertTrue(run.stderr.contains("\(path) is not a readable dasaudit result: \(problem)"), run.stderr)
        }
    }

    func testAnUnpairedSurrogateInAStringIsNamedAsSuchAndAPairIsRead() throws {
        let text = try String(contentsOfFile: real, encoding: .utf8)
        let message = try XCTUnwrap(text.range(of: "\"message\" : \""))
        let lone = try scratch.file("lone.json", Data(text.replacingCharacters(in: message, with: #""message" : "\ud800x"#).utf8))
        let run = try runDasaudit(["render", lone])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("lone.json is not a readable dasaudit result: findings[0].message: the string holds "
            + "\\ud800 without the other half of its UTF-16 surrogate pair"), run.stderr)
        XCTAssertFalse(run.stderr.contains("the number is not a String"), run.stderr)

        let paired = try scratch.file("paired.json", Data(text.replacingCharacters(in: message, with: #""message" : "\ud83d\ude00 "#).utf8))
        let rendered = try runDasaudit(["render", paired, "--format", "json"])
        XCTAssertNotEqual(rendered.status, 2, rendered.stderr)
        XCTAssertTrue(rendered.stdout.contains("\"message\" : \"\u{1F600} "), "a surrogate pair is the character it encodes")
    }
}
