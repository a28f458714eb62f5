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
