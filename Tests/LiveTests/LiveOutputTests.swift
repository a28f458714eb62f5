import Foundation
import Reports
import TestSupport
import XCTest

/// `dasaudit live` checks every output before it captures, so a typo in a report path
/// costs the command line and not a 30-minute load test: bad reports, a `--write` that is
/// a link, and, under `--user`, places the user may not write.
final class LiveOutputTests: XCTestCase {
    var directory = ""

    override func setUp() {
        directory = NSTemporaryDirectory() + "dasaudit-live-outputs-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o755])
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `live` on loopback with no end of its own: only a failed check stops it at once.
    private func liveRun(_ arguments: [String]) throws -> (status: Int32, stderr: String, seconds: TimeInterval) {
        let start = Date()
        let run = try DasauditProcess(["live", "-i", "lo", "--filter", "host 127.3.2.1"] + arguments)
        let (status, _) = run.finish(timeout: 5)
        return (status, run.stderr, Date().timeIntervalSince(start))
    }

    func testABadReportExitsTwoAtOnceBeforeCapturing() throws {
        let cases: [([String], String)] = [
            (["--report", "html:/nonexistent-dasaudit/a.html"], "--report html:/nonexistent-dasaudit/a.html: directory /nonexistent-dasaudit does not exist"),
            (["--report", "htlm:\(directory)/a.html"], "--report htlm:\(directory)/a.html: unknown report format 'htlm'"),
            (["-o", directory], "--output \(directory): \(directory) is a directory"),
            (["--format", "json", "--report", "json:-"], "--report json:-: standard output is already written by the --format json output"),
            // Root may write /proc and /sys by their modes, so these passed the check and
            // failed only after the capture; the check's trial file finds them now.
            (["--report", "html:/proc/x.html"], "--report html:/proc/x.html: directory /proc does not take new files (its file system makes none)"),
            (["-o", "/sys/x.json"], "--output /sys/x.json: directory /sys is not writable"),
        ]
        for (arguments, message) in cases {
            let run = try liveRun(arguments)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertLessThan(run.seconds, 1, "\(arguments): checked before capturing")
            XCTAssertTrue(run.stderr.contains("dasaudit: error: \(message)"), run.stderr)
            XCTAssertFalse(run.stderr.contains("capturing on"), run.stderr)
        }
    }

    func testAReportOnAReadOnlyMountExitsTwoBeforeCapturingAndLeavesNothing() throws {
        let readOnly = try readOnlyMount(of: directory)
        let run = try liveRun(["--report", "html:\(readOnly)/a.html", "--duration", "0.5s"])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertLessThan(run.seconds, 1, "checked before capturing")
        XCTAssertTrue(run.stderr.contains("dasaudit: error: --report html:\(readOnly)/a.html: directory \(readOnly) is not writable "
            + "(read-only file system)"), run.stderr)
        XCTAssertFalse(run.stderr.contains("capturing on"), run.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    func testALinkedWriteDirectoryIsRefusedUnlessFollowed() throws {
        let real = directory + "/real", link = directory + "/evidence"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        let refused = try liveRun(["--write", link])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertLessThan(refused.seconds, 1)
        XCTAssertTrue(refused.stderr.contains("--write \(link): \(link) is a symbolic link; captures are not written through "
            + "a link unless --write-follow-symlink is given"), refused.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: real), [])
        let followed = try liveRun(["--write", link, "--write-follow-symlink", "--duration", "0.3s"])
        XCTAssertEqual(followed.status, 1, "ran; captured nothing, so not compliant (no-traffic): \(followed.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: real)
        XCTAssertEqual(files.count, 1)
        let mode = try FileManager.default.attributesOfItem(atPath: real + "/" + files[0])[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
    }

    func testEvidenceIsPrivateAndTheDirectoryMadeIs0700() throws {
        let evidence = directory + "/new/evidence"
        let run = try liveRun(["--write", evidence, "--duration", "0.3s"])
        XCTAssertEqual(run.status, 1, "ran; captured nothing, so not compliant (no-traffic): \(run.stderr)")
        for level in [directory + "/new", evidence] {
            let mode = try FileManager.default.attributesOfItem(atPath: level)[.posixPermissions] as? NSNumber
            XCTAssertEqual(mode?.intValue, 0o700, level)
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: evidence) {
            let mode = try FileManager.default.attributesOfItem(atPath: evidence + "/" + file)[.posixPermissions] as? NSNumber
            XCTAssertEqual(mode?.intValue, 0o600, file)
        }
    }

    func testUnderUserEveryOutputIsCheckedAsThatUserBeforeCapturing() throws {
        // `directory` is root's, 0755: root may write in it, nobody may not.
        let cases: [([String], String)] = [
            (["--report", "html:\(directory)/a.html"], "--report html:\(directory)/a.html: directory \(directory) is not writable (as --user nobody)"),
            (["-o", "\(directory)/a.txt"], "--output \(directory)/a.txt: directory \(directory) is not writable (as --user nobody)"),
            (["--write", "\(directory)/evidence"], "--write \(directory)/evidence: cannot create \(directory)/evidence: directory \(directory) is not writable (as --user nobody)"),
        ]
        for (arguments, message) in cases {
            let run = try liveRun(["--user", "nobody"] + arguments)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertLessThan(run.seconds, 1, "\(arguments): checked before capturing")
            XCTAssertTrue(run.stderr.contains("dasaudit: error: \(message)"), run.stderr)
            XCTAssertFalse(run.stderr.contains("capturing on"), run.stderr)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    /// A report under a directory the --user cannot enter (`/root`, 0700) got "/root/a.html:
    /// permission denied", which named neither the directory nor the reason, while
    /// docs/live.md showed another message. Now both say which directory, and that it is the
    /// user who cannot enter it; the message in the docs is the one printed.
    func testUnderUserADirectoryTheUserCannotEnterIsNamedAsTheDocsSay() throws {
        let closed = directory + "/closed"
        try FileManager.default.createDirectory(atPath: closed + "/sub", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: closed)
        let message = { (path: String, closed: String) in
            "--report html:\(path): directory \(closed) cannot be entered, so \(path) cannot be written (as --user nobody)"
        }
        for path in [closed + "/a.html", closed + "/sub/a.html"] {
            let run = try liveRun(["--user", "nobody", "--report", "html:\(path)"])
            XCTAssertEqual(run.status, 2, run.stderr)
            XCTAssertLessThan(run.seconds, 1, "checked before capturing")
            XCTAssertTrue(run.stderr.contains("dasaudit: error: " + message(path, closed)), run.stderr)
        }
        let evidence = try liveRun(["--user", "nobody", "--write", closed + "/sub/evidence"])
        XCTAssertEqual(evidence.status, 2, evidence.stderr)
        XCTAssertTrue(evidence.stderr.contains("dasaudit: error: --write \(closed)/sub/evidence: directory \(closed) cannot be entered, "
            + "so \(closed)/sub/evidence cannot be written (as --user nobody)"), evidence.stderr)
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/live.md")
        XCTAssertTrue(try String(contentsOf: docs, encoding: .utf8).replacingOccurrences(of: "\n", with: " ")
            .contains("`" + message("/root/a.html", "/root") + "`"), "docs/live.md quotes the message as printed")
    }

    func testStandardOutputAndErrorWithTheirReaderGoneAreWriteErrorsAndTheAuditIsStillWritten() throws {
        // `live ... --report text:- 2>&1 | head -2`, once head has gone: the status lines and
        // the text report fail to be written, and the run goes on to write its JSON.
        let audit = directory + "/audit.json"
        let run = try runWithReaderGone(dasauditPath, ["live", "-i", "lo", "--filter", "host 127.3.2.1", "--duration", "1s",
                                                       "--interval", "0.2s", "--format", "json", "-o", audit,
                                                       "--report", "text:-"], stderrToo: true)
        XCTAssertEqual(run.reason, .exit, "not killed by SIGPIPE")
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: audit))).coverage.packets, 0)
    }
}
