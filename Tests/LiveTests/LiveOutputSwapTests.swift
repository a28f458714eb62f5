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
}
