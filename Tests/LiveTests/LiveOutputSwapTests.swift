import Foundation
import XCTest

/// A report or `--metrics-file` in a directory another user owns (made by `nobody` in a
/// sticky, world-writable directory), swapped by that user for a link while `dasaudit live`
/// runs as root: the files are still written in the directory that was checked at the
/// start, never where the link points (`OutputDirectories`). They used to follow the link:
/// the path was resolved again at every write.
final class LiveOutputSwapTests: XCTestCase {
    private var base = ""

    override func setUp() {
        base = NSTemporaryDirectory() + "dasaudit-swap-\(UUID().uuidString)"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: base)
    }

    /// Runs `command` (sh) as the user nobody, in `base`; its exit status.
    private func asNobody(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        process.arguments = ["-u", "nobody", "--", "sh", "-c", "cd '\(base)' && \(command)"]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func testADirectorySwappedForAnotherUsersLinkMidRunReceivesNothing() throws {
        let elsewhere = base + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(base, 0o1777), 0)
        XCTAssertEqual(try asNobody("mkdir sub"), 0)
        let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host 127.0.0.254", "--interval", "0.2s",
                                       "--duration", "4s", "--metrics-file", base + "/sub/m.prom",
                                       "--report", "json:\(base)/sub/final.json"])
        XCTAssertTrue(run.waitForError(containing: "capturing on"), run.stderr)
        usleep(1_500_000)
        XCTAssertEqual(try asNobody("mv sub sub.old && ln -s '\(elsewhere)' sub"), 0)
        XCTAssertEqual(run.finish().status, 1, "an audit of nothing, written: \(run.stderr)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere), [], "nothing where the link points")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: base + "/sub.old").sorted(), ["final.json", "m.prom"],
                       "written in the directory checked, no temporary file left")
    }

    /// The directory of every output is another user's link (made by `nobody` in a sticky
    /// directory, pointing at a directory of root's): each is refused before capturing,
    /// exit 2, naming the link, and nothing is written where it points. The directory is
    /// opened level by level with the link's owner read from the link itself
    /// (`DirectoryWalk`, raced in `OutputDirectoryRaceTests`).
    func testOutputsInAnotherUsersLinkedDirectoryAreRefusedAndNothingIsWrittenThere() throws {
        let elsewhere = base + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(base, 0o1777), 0)
        XCTAssertEqual(try asNobody("ln -s '\(elsewhere)' link"), 0)
        let refusal = "the path goes through \(base)/link, a symbolic link that belongs to another user"
        for output in [["--report", "json:\(base)/link/final.json"], ["--metrics-file", base + "/link/m.prom"],
                       ["--events", base + "/link/e.ndjson"], ["--write", base + "/link/evidence"],
                       ["--write", base + "/link/evidence", "--write-follow-symlink"]] {
            let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host 127.0.0.254", "--duration", "1s"] + output)
            XCTAssertEqual(run.finish(timeout: 10).status, 2, "\(output): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(refusal), "\(output): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("capturing on"), run.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: elsewhere), [], "nothing where the link points")
    }
}
