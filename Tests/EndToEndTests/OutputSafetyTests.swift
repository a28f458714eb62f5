import Audit
import Foundation
import Reports
import TestSupport
import XCTest

/// What `dasaudit` refuses to write, through the binary as a user runs it: an output that
/// is an input, two outputs of one file, a bad report found only after the audit, a link
/// followed to someone else's file, and an input read twice.
final class OutputSafetyTests: XCTestCase {
    let sharedCapture = capture("spark-cluster-offset2-lo.pcap")
    let policy = ["--offset", "2", "--mode", "cluster", "--cores", "2"]

    /// A copy of the shared capture in `scratch`, as `name`.
    private func copy(into scratch: ScratchDirectory, as name: String = "a.pcap") throws -> String {
        try scratch.file(name, try Data(contentsOf: URL(fileURLWithPath: sharedCapture)))
    }

    /// Runs `dasaudit` in `directory` with standard input open and never written: a run that
    /// reads its input (`-`) before checking its outputs hangs until killed after `timeout`.
    private func runWithStandardInputHeld(_ arguments: [String], timeout: TimeInterval = 10) throws
        -> (status: Int32, stderr: String, seconds: TimeInterval) {
        let process = Process()
        process.executableURL = dasauditBinary
        process.arguments = arguments
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let start = Date()
        try process.run()
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
            if process.isRunning { process.terminate() }
        }
        let text = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        withExtendedLifetime(input) {}
        return (process.terminationStatus, String(decoding: text, as: UTF8.self), Date().timeIntervalSince(start))
    }

    func testOutputOverTheInputIsRefusedAndTheCaptureKept() throws {
        let scratch = try scratchDirectory()
        let input = try copy(into: scratch)
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        XCTAssertEqual(link(input, scratch.path("hard.pcap")), 0)
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(scratch.url.path)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        for (inputName, output) in [("a.pcap", "a.pcap"), ("a.pcap", "./a.pcap"), ("./a.pcap", input), ("a.pcap", "hard.pcap"),
                                    (scratch.url.path, "a.pcap")] {
            let run = try runDasaudit(["audit", inputName, "-o", output] + policy)
            XCTAssertEqual(run.status, 2, "\(inputName) -o \(output): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("--output \(output): this is the input "), run.stderr)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: input)), before, "\(inputName) -o \(output)")
        }
        let report = try runDasaudit(["audit", "a.pcap", "--report", "pcap:a.pcap", "--report", "json:./a.pcap"] + policy)
        XCTAssertEqual(report.status, 2)
        XCTAssertTrue(report.stderr.contains("--report json:./a.pcap: this is the input a.pcap; an input is never written over"),
                      report.stderr)
        let flows = try runDasaudit(["flows", "a.pcap", "-o", "a.pcap"])
        XCTAssertEqual(flows.status, 2, flows.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: input)), before)
    }

    func testABadReportFailsBeforeAnyInputIsRead() throws {
        let run = try runWithStandardInputHeld(["audit", "-", "--report", "html:/nonexistent-dasaudit/a.html"] + policy)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertLessThan(run.seconds, 5, "it waited for the input instead of failing at once")
        XCTAssertEqual(run.stderr, "dasaudit: error: --report html:/nonexistent-dasaudit/a.html: directory /nonexistent-dasaudit does not exist\n")
        for command in [["flows", "-"], ["render", "-"]] {
            let other = try runWithStandardInputHeld(command + ["-o", "/nonexistent-dasaudit/out"])
            XCTAssertEqual(other.status, 2, "\(command): \(other.stderr)")
            XCTAssertEqual(other.stderr, "dasaudit: error: --output /nonexistent-dasaudit/out: directory /nonexistent-dasaudit does not exist\n")
        }
    }

    /// `--report html:/proc/x.html` passed the check (root may write /proc by its mode) and
    /// failed after the audit had read everything. The trial file the check now writes
    /// finds it before the first byte of input; a file size limit too.
    func testAReportWhereNoFileCanBeWrittenFailsBeforeAnyInputIsRead() throws {
        let run = try runWithStandardInputHeld(["audit", "-", "--report", "html:/proc/x.html", "-o", "/sys/x.json"] + policy)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertLessThan(run.seconds, 5, "it waited for the input instead of failing at once")
        XCTAssertEqual(run.stderr, "dasaudit: error: --output /sys/x.json: directory /sys is not writable\n"
            + "dasaudit: error: --report html:/proc/x.html: directory /proc does not take new files (its file system makes none)\n")
        let scratch = try scratchDirectory()
        let limited = try runProgram(URL(fileURLWithPath: "/bin/sh"),
                                     ["-c", "ulimit -f 0; exec \"$0\" \"$@\" </dev/null", dasauditBinary.path, "audit", "-",
                                      "--report", "html:" + scratch.path("a.html")] + policy, environment: [:])
        XCTAssertEqual(limited.status, 2, limited.stderr)
        XCTAssertEqual(limited.stderr, "dasaudit: error: --report html:\(scratch.path("a.html")): a new file in directory "
            + "\(scratch.url.path) cannot be written: File too large\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path), [], "the trial file is removed")
    }

    /// A report path that is a file mounted over another (`mount --bind`, as a container's
    /// single-file volume, `docker run -v $PWD/audit.json:/out/audit.json`), from the same
    /// file system and from another: the report is renamed over its path, which a mount
    /// point refuses (EBUSY), so it is refused before any input is read. Until December 2026
    /// it passed the check and failed after the whole audit ("Device or resource busy").
    func testAReportPathThatIsAMountPointIsRefusedBeforeAnyInputIsRead() throws {
        let scratch = try scratchDirectory()
        let disk = scratch.path("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        guard mount("tmpfs", disk, "tmpfs", 0, "size=64k") == 0 else {
            throw unavailable("a mount of the test's own needs mount(2): \(String(cString: strerror(errno)))")
        }
        defer { umount2(disk, Int32(MNT_DETACH)) }
        for source in [scratch.path("kept.json"), disk + "/kept.json"] {
            XCTAssertTrue(FileManager.default.createFile(atPath: source, contents: Data("kept\n".utf8)))
            let report = scratch.path("audit.json")
            XCTAssertTrue(FileManager.default.createFile(atPath: report, contents: nil))
            XCTAssertEqual(mount(source, report, nil, UInt(MS_BIND), nil), 0, String(cString: strerror(errno)))
            defer { umount2(report, Int32(MNT_DETACH)) }
            let run = try runWithStandardInputHeld(["audit", "-", "--format", "json", "-o", report] + policy)
            XCTAssertEqual(run.status, 2, run.stderr)
            XCTAssertLessThan(run.seconds, 5, "it waited for the input instead of failing at once")
            XCTAssertTrue(run.stderr.contains("--output \(report): \(report) is a mount point"), run.stderr)
            XCTAssertEqual(try String(contentsOfFile: source, encoding: .utf8), "kept\n")
        }
    }

    func testEveryProblemIsNamedAndNothingIsWritten() throws {
        let scratch = try scratchDirectory()
        let good = scratch.path("good.html")
        let run = try runDasaudit(["audit", sharedCapture, "--format", "json"] + policy + [
            "--report", "htm:\(scratch.path("typo.html"))", "--report", "html:\(scratch.url.path)", "--report", "nocolon",
            "--report", "html:\(good)", "--report", "md:\(good)", "--report", "json:-",
        ])
        XCTAssertEqual(run.status, 2)
        let expected = [
            "--report htm:\(scratch.path("typo.html")): unknown report format 'htm' (formats: text, json, html, csv, md (markdown), junit)",
            "--report html:\(scratch.url.path): \(scratch.url.path) is a directory",
            "--report nocolon: give FORMAT:PATH, for example html:audit.html",
            "--report md:\(good): the same file as --report html:\(good)",
            "--report json:-: standard output is already written by the --format json output",
        ]
        XCTAssertEqual(run.stderr, expected.map { "dasaudit: error: \($0)\n" }.joined())
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path), [])
    }

    func testALinkAtTheReportPathIsReplacedAndTheFileItPointedAtKeepsItsContent() throws {
        let scratch = try scratchDirectory()
        // A root-owned file (the tests run as root in CI) that another user pointed a link at.
        let precious = try scratch.file("shadow", Data("root:x:0:0\n".utf8))
        let link = scratch.path("audit.html")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: precious)
        let outputLink = scratch.path("audit.json")
        try FileManager.default.createSymbolicLink(atPath: outputLink, withDestinationPath: precious)
        let run = try runDasaudit(["audit", sharedCapture, "--report", "html:\(link)", "--format", "json", "-o", outputLink] + policy)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(try String(contentsOfFile: precious, encoding: .utf8), "root:x:0:0\n")
        XCTAssertTrue(try String(contentsOfFile: link, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(try JSONReport.parse(Data(contentsOf: URL(fileURLWithPath: outputLink))).services.count, 19)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted(),
                       ["audit.html", "audit.json", "shadow"], "no temporary file left")
    }

    /// `-o` with a 245-byte name passed the check before reading, then failed when the
    /// audit was done: its temporary file's name was past the system's 255 bytes.
    func testAReportWithTheLongestNameIsWrittenAfterTheAudit() throws {
        let scratch = try scratchDirectory()
        let report = scratch.path(String(repeating: "a", count: 245) + ".txt")
        let run = try runDasaudit(["audit", try copy(into: scratch), "-o", report] + policy)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(try String(contentsOfFile: report, encoding: .utf8).hasSuffix("NOT COMPLIANT: 7 findings at or above --fail-on medium\n"))
    }

    func testAReportIsReplacedWholeAndKeepsItsPermissions() throws {
        let scratch = try scratchDirectory()
        let path = try scratch.file("audit.md", Data(String(repeating: "an older, longer report\n", count: 5000).utf8))
        XCTAssertEqual(chmod(path, 0o640), 0)
        let run = try runDasaudit(["audit", sharedCapture, "--report", "md:\(path)"] + policy)
        XCTAssertEqual(run.status, 1, run.stderr)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertFalse(text.contains("an older, longer report"), "no tail of the old file")
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue, 0o640)
    }

    func testDevStdoutIsStandardOutputEvenWhenThatIsAFile() throws {
        let scratch = try scratchDirectory()
        let redirected = scratch.path("out.txt")
        let run = try runProcess(dasauditBinary.path, ["audit", sharedCapture, "-o", "/dev/stdout"] + policy, stdout: redirected)
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(try String(contentsOfFile: redirected, encoding: .utf8).contains("NOT COMPLIANT"))
        let link = try FileManager.default.attributesOfItem(atPath: "/dev/stdout")[.type] as? FileAttributeType
        XCTAssertEqual(link, .typeSymbolicLink, "/dev/stdout is still the system's link")
        let twice = try runProcess(dasauditBinary.path, ["audit", sharedCapture, "--report", "json:/dev/stdout"] + policy,
                                   stdout: redirected)
        XCTAssertEqual(twice.status, 2)
        XCTAssertTrue(twice.stderr.contains("--report json:/dev/stdout: standard output is already written by the run's main output "
            + "(give it --output FILE to free standard output)"),
                      twice.stderr)
    }

    func testAWriteThatFailsSaysWhyInWordsAndExitsTwo() throws {
        let run = try runDasaudit(["audit", sharedCapture, "-o", "/dev/full"] + policy)
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("--output /dev/full: cannot write: No space left on device"), run.stderr)
        XCTAssertFalse(run.stderr.contains("NSCocoaErrorDomain"), run.stderr)
        let render = try runDasaudit(["render", "/nonexistent-dasaudit.json"])
        XCTAssertFalse(render.stderr.contains("NSCocoaErrorDomain"), render.stderr)
    }

    /// `dasaudit flows CAPTURE | head`: the output is named as the command line gave it,
    /// standard output, not a `--format` that was never given. Before: "the --format ndjson
    /// output: cannot write: Broken pipe".
    func testStandardOutputWithItsReaderGoneIsNamedAsGiven() throws {
        let cases: [([String], String)] = [
            (["flows", capture("das-offset3-lo.pcap")], "dasaudit: error: standard output: cannot write: Broken pipe\n"),
            (["flows", capture("das-offset3-lo.pcap"), "--format", "csv"],
             "dasaudit: error: the --format csv output: cannot write: Broken pipe\n"),
            (["audit", capture("das-offset3-lo.pcap")] + policy, "dasaudit: error: standard output: cannot write: Broken pipe\n"),
            (["infer", capture("das-offset3-lo.pcap")], "dasaudit: error: standard output: cannot write: Broken pipe\n"),
        ]
        for (arguments, message) in cases {
            let run = try runWithReaderGone(dasauditBinary.path, arguments)
            XCTAssertEqual(run.reason, .exit, "not killed by SIGPIPE")
            XCTAssertEqual(run.status, 2, run.stderr)
            XCTAssertEqual(run.stderr, message, "\(arguments)")
        }
    }

    func testStandardOutputWithItsReaderGoneIsAWriteErrorAndTheOtherReportsAreWritten() throws {
        let scratch = try scratchDirectory()
        let report = scratch.path("audit.md")
        // `dasaudit audit ... --format json | true`: SIGPIPE would end the run unannounced.
        let run = try runWithReaderGone(dasauditBinary.path, ["audit", capture("das-offset3-lo.pcap"), "--format", "json",
                                                              "--report", "md:\(report)"] + policy)
        XCTAssertEqual(run.reason, .exit, "not killed by SIGPIPE")
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("the --format json output: cannot write: Broken pipe"), run.stderr)
        XCTAssertTrue(try String(contentsOfFile: report, encoding: .utf8).contains("NOT COMPLIANT"), "the other report is written")
    }

    func testAReportCutShortLeavesTheLastGoodOneAndNoTemporaryFile() throws {
        let scratch = try scratchDirectory()
        let html = try scratch.file("audit.html", Data("the last good report".utf8))
        let markdown = scratch.path("audit.md")
        // Files may not grow past 16 KiB: the HTML report (about 57 KB) cannot be written,
        // the Markdown one (about 9 KB) can.
        let run = try runProcess("/usr/bin/prlimit", ["--fsize=16384", dasauditBinary.path, "audit", sharedCapture,
                                                     "--report", "html:\(html)", "--report", "md:\(markdown)"] + policy)
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("--report html:\(html): cannot write: File too large"), run.stderr)
        XCTAssertEqual(try String(contentsOfFile: html, encoding: .utf8), "the last good report")
        XCTAssertTrue(try String(contentsOfFile: markdown, encoding: .utf8).contains("NOT COMPLIANT"), "the other report is written")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted(), ["audit.html", "audit.md"])
    }

    func testTheSameInputTwiceIsReadOnceWithANote() throws {
        let scratch = try scratchDirectory()
        let input = try copy(into: scratch)
        let once = try runDasaudit(["audit", input, "--format", "json"] + policy)
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(scratch.url.path)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        for arguments in [["a.pcap", "a.pcap"], ["a.pcap", "./a.pcap"], [scratch.url.path, "a.pcap"]] {
            let twice = try runDasaudit(["audit"] + arguments + ["--format", "json"] + policy)
            XCTAssertEqual(twice.status, once.status, twice.stderr)
            XCTAssertTrue(twice.stderr.contains("\(arguments[1]): the same file as "), twice.stderr)
            XCTAssertTrue(twice.stderr.contains("; read once"), twice.stderr)
            let (single, double) = (try JSONReport.parse(Data(once.stdout.utf8)), try JSONReport.parse(Data(twice.stdout.utf8)))
            XCTAssertEqual(double.coverage.packets, single.coverage.packets, "\(arguments)")
            XCTAssertEqual(double.services.map(\.packets), single.services.map(\.packets), "\(arguments)")
            XCTAssertEqual(double.inputs.count, 1, "\(arguments)")
        }
    }

    func testAFileThatIsAlsoStandardInputIsReadOnce() throws {
        let scratch = try scratchDirectory()
        let input = try copy(into: scratch)
        let once = try runDasaudit(["audit", input, "--format", "json"] + policy)
        let twice = try runProcess("/bin/sh", ["-c", "input=$1; shift; exec \"$0\" \"$@\" < \"$input\"",
                                               dasauditBinary.path, input, "audit", "-", input, "--format", "json"] + policy)
        XCTAssertEqual(twice.status, once.status, twice.stderr)
        XCTAssertTrue(twice.stderr.contains("\(input): the same file as -; read once"), twice.stderr)
        let (single, double) = (try JSONReport.parse(Data(once.stdout.utf8)), try JSONReport.parse(Data(twice.stdout.utf8)))
        XCTAssertEqual(double.coverage.packets, single.coverage.packets)
        XCTAssertEqual(double.inputs.count, 1)
    }

    func testMergeAndRenderRefuseToWriteOverTheirInputs() throws {
        let scratch = try scratchDirectory()
        let result = scratch.path("node.json")
        XCTAssertEqual(try runDasaudit(["audit", sharedCapture, "--connections", "--format", "json", "-o", result] + policy).status, 1)
        let before = try Data(contentsOf: URL(fileURLWithPath: result))
        let merge = try runDasaudit(["merge", result, "--format", "json", "-o", result] + policy)
        XCTAssertEqual(merge.status, 2, merge.stderr)
        XCTAssertTrue(merge.stderr.contains("--output \(result): this is the input \(result)"), merge.stderr)
        let render = try runDasaudit(["render", result, "--report", "json:\(result)"])
        XCTAssertEqual(render.status, 2, render.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: result)), before)
        // One result named twice is merged once.
        let once = try runDasaudit(["merge", result, "--format", "csv"] + policy)
        let twice = try runDasaudit(["merge", result, result, "--format", "csv"] + policy)
        XCTAssertEqual(twice.stdout, once.stdout)
        XCTAssertTrue(twice.stderr.contains("\(result): the same file as \(result); read once"), twice.stderr)
    }
}
