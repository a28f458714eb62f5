import Foundation
@testable import PcapKit
import XCTest

/// A report's directory that another user (the real `nobody`) swaps with a link of its
/// own, as fast as the kernel lets it (`renameat2` with `RENAME_EXCHANGE`, so the name
/// always exists), while root checks and opens it (`OutputTarget.checking`). The check
/// and the open are one step (`OutputDirectories`): each level is opened relative to the
/// one above with `O_NOFOLLOW`, and a link is read from the very link whose owner was
/// checked. Until December 2026 the levels were checked with `lstat` and the directory
/// then opened by its path, following whatever link had been put there in between.
final class OutputDirectoryRaceTests: XCTestCase {
    func testADirectorySwappedWithAnotherUsersLinkIsNeverOpenedThroughIt() throws {
        let scratch = try scratchDirectory()
        let base = scratch.url.path, elsewhere = scratch.path("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
        XCTAssertEqual(chmod(base, 0o1777), 0)
        let swapper = Process()
        swapper.executableURL = URL(fileURLWithPath: "/usr/sbin/runuser")
        swapper.arguments = ["-u", "nobody", "--", "python3", "-c", """
            import ctypes, os
            os.chdir("\(base)")
            libc = ctypes.CDLL(None, use_errno=True)
            os.mkdir("sub"); os.symlink("\(elsewhere)", "link"); open("ready", "w").close()
            while not os.path.exists("stop"):
                for _ in range(200):
                    if libc.renameat2(-100, b"sub", -100, b"link", 2) != 0:
                        raise SystemExit("renameat2: " + os.strerror(ctypes.get_errno()))
            """]
        try swapper.run()
        defer {
            FileManager.default.createFile(atPath: base + "/stop", contents: nil)
            swapper.waitUntilExit()
        }
        while !FileManager.default.fileExists(atPath: base + "/ready") && swapper.isRunning { usleep(1000) }
        XCTAssertTrue(swapper.isRunning, "the swapper runs")

        var elsewhereStatus = stat()
        XCTAssertEqual(stat(elsewhere, &elsewhereStatus), 0)
        var opened = 0, refused = 0, throughTheLink = 0
        // A new spelling of the directory each time (`sub/./.`), so each check opens it anew.
        for dots in 0..<600 {
            let directory = base + "/sub" + String(repeating: "/.", count: dots)
            do {
                _ = try OutputTarget.checking(directory + "/audit.html")
            } catch {
                refused += 1
                continue
            }
            opened += 1
            var status = stat()
            let descriptor = try XCTUnwrap(OutputDirectories.descriptor(of: directory))
            XCTAssertEqual(fstat(descriptor, &status), 0)
            if status.st_dev == elsewhereStatus.st_dev && status.st_ino == elsewhereStatus.st_ino { throughTheLink += 1 }
        }
        XCTAssertEqual(throughTheLink, 0, "of \(opened) checks that passed, \(throughTheLink) opened where the link points")
        XCTAssertGreaterThan(opened, 0, "the directory was found in place (\(refused) refused)")
        XCTAssertGreaterThan(refused, 0, "the link was found in place (\(opened) passed)")
    }
}
