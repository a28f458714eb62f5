import Foundation
import XCTest

/// Where `render`, `diff` and `merge` read a saved result from: a file, a FIFO or
/// `<(...)`, `-` or `/dev/stdin`, all read as a stream to their end; and what they say,
/// exit 2, when the input holds no result (a directory, nothing, a missing file).
final class SavedResultInputTests: XCTestCase {
    private var scratch: ScratchDirectory!
    private var result = ""

    override func setUpWithError() throws {
        scratch = try scratchDirectory()
        result = scratch.path("result.json")
        let audit = try runDasaudit(["audit", capture("diff-baseline-lo.pcap"), "--offset", "5", "--connections",
                                     "--format", "json", "--output", result])
        XCTAssertEqual(audit.status, 1, audit.stderr)
    }

    func testAResultIsReadFromAFIFOAndFromStandardInputAsFromItsFile() throws {
        let rendered = try runDasaudit(["render", result])
        XCTAssertEqual(rendered.status, 0, rendered.stderr)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: result))
        let fifoPath = scratch.path("result.fifo")
        fifo(at: fifoPath, carrying: bytes)
        for (label, run) in [("FIFO", try runDasaudit(["render", fifoPath])), ("-", try runDasaudit(["render", "-"], stdin: bytes)),
                             ("/dev/stdin", try runDasaudit(["render", "/dev/stdin"], stdin: bytes))] {
            XCTAssertEqual(run.status, 0, "\(label): \(run.stderr)")
            XCTAssertEqual(run.stdout, rendered.stdout, label)
        }
        let diff = try runDasaudit(["diff", result, "-"], stdin: bytes)
        XCTAssertEqual(diff.status, 0, diff.stderr)
        let merge = try runDasaudit(["merge", "-", "--offset", "5", "--format", "json"], stdin: bytes)
        XCTAssertNotEqual(merge.status, 2, merge.stderr)
        XCTAssertTrue(merge.stdout.contains("\"schema\" : \"dasaudit.result/1\""), merge.stderr)
    }

    /// A result that lists one service, one attempted endpoint or one finding twice (edited
    /// by hand, or hostile) is refused by every reader: exit 2, the file, the field and the
    /// endpoint or finding named, and no output written. Before, it was read: `diff` and
    /// `render` showed the last copy of the service, and a finding listed twice counted
    /// twice (a copy in the current result was a new finding, the diff WORSE).
    func testAServiceOrAFindingListedTwiceIsRefusedByEveryReader() throws {
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: result))) as? [String: Any])
        let services = try XCTUnwrap(json["services"] as? [[String: Any]]), findings = try XCTUnwrap(json["findings"] as? [[String: Any]])
        let service = try XCTUnwrap(services.first), finding = try XCTUnwrap(findings.first)
        let endpoint = "\(service["address"] ?? ""):\(service["port"] ?? "")"
        func edited(_ name: String, _ key: String, _ list: [[String: Any]]) throws -> String {
            var copy = json
            copy[key] = list
            return try scratch.file(name, try JSONSerialization.data(withJSONObject: copy, options: [.sortedKeys]))
        }
        let cases = [
            (try edited("service-twice.json", "services", services + [service]),
             "services[\(services.count)]: \(endpoint) is listed twice (also services[0]): an audit lists each server endpoint once"),
            (try edited("finding-twice.json", "findings", [finding] + findings),
             "findings[1]: the \(finding["severity"] ?? "") \(finding["kind"] ?? "") finding"),
        ]
        for (path, problem) in cases {
            let out = scratch.path("out-\(URL(fileURLWithPath: path).lastPathComponent)")
            for command in [["render", path], ["merge", path, "--offset", "5"], ["diff", result, path], ["diff", path, result]] {
                let run = try runDasaudit(command + ["--output", out])
                XCTAssertEqual(run.status, 2, "\(command): \(run.stderr)")
                XCTAssertTrue(run.stderr.contains("\(path) is not a readable dasaudit result: \(problem)"), "\(command): \(run.stderr)")
                XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(command): nothing written")
            }
        }
    }

    func testStandardInputIsOneResultAtMost() throws {
        let run = try runDasaudit(["merge", "-", "-"], stdin: Data())
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("standard input ('-') can be read only once"), run.stderr)
    }

    func testAnInputWithoutAResultIsNamedWithWhatItIs() throws {
        let empty = try scratch.file("empty.json", Data())
        let missing = scratch.path("missing.json")
        let expected = [
            scratch.url.path: "a directory, not a JSON result",
            empty: "empty (0 bytes), not a JSON result",
            "/dev/null": "empty (0 bytes), not a JSON result",
            missing: "no such file",
        ]
        for (path, problem) in expected {
            for command in [["render", path], ["merge", path], ["diff", result, path]] {
                let run = try runDasaudit(command)
                XCTAssertEqual(run.status, 2, "\(command): \(run.stderr)")
                XCTAssertTrue(run.stderr.contains("\(path) is not a readable dasaudit result: \(problem)\n"), "\(command): \(run.stderr)")
            }
        }
    }
}
