import Foundation
import PcapKit
import TestSupport
import XCTest

/// The safe writer under the command line (`OutputTarget`, `OutputFile`, `OutputConflicts`,
/// `RepeatedInputs`), on real files: what is refused, what is replaced, what is kept.
final class OutputFileTests: XCTestCase {
    private func entries(_ scratch: ScratchDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted()
    }

    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testTargetsAreCheckedWithTheProblemInWords() throws {
        let scratch = try scratchDirectory()
        XCTAssertEqual(try OutputTarget.checking("-"), .standardOutput)
        XCTAssertEqual(try OutputTarget.checking(scratch.path("new.html")), .replacedFile(path: scratch.path("new.html")))
        XCTAssertEqual(try OutputTarget.checking("/dev/null"), .stream(path: "/dev/null"))
        XCTAssertEqual(try OutputTarget.checking("/dev/stdout"), .stream(path: "/dev/stdout"))
        let problems: [(String, String)] = [
            ("/nonexistent-dasaudit/a.html", "directory /nonexistent-dasaudit does not exist"),
            (scratch.url.path, "\(scratch.url.path) is a directory"),
            (scratch.url.path + "/", "\(scratch.url.path)/ names a directory, not a file"),
            (try scratch.file("plain", Data()) + "/a.html", "\(scratch.path("plain")) is not a directory"),
            ("", "the path is empty"),
        ]
        for (path, problem) in problems {
            XCTAssertThrowsError(try OutputTarget.checking(path), path) { XCTAssertEqual("\($0)", problem) }
        }
    }

    /// A directory where no file can be made passed the check (root may write any
    /// directory by its mode, and `access` said so) and failed after the whole audit. The
    /// check now creates and writes a trial file there, as the writer will, and removes it.
    func testADirectoryThatTakesNoNewFileIsRefusedByATrialThatLeavesNothingBehind() throws {
        let scratch = try scratchDirectory()
        let problems: [(String, String)] = [
            ("/proc/x.html", "directory /proc does not take new files (its file system makes none)"),
            ("/sys/x.json", "directory /sys is not writable"),
        ]
        for (path, problem) in problems {
            XCTAssertThrowsError(try OutputTarget.checking(path), path) { XCTAssertEqual("\($0)", problem) }
        }
        XCTAssertEqual(try OutputTarget.checking(scratch.path("new.html")), .replacedFile(path: scratch.path("new.html")))
        XCTAssertEqual(try entries(scratch), [], "the trial file is removed")
        // A read-only mount of a directory root could otherwise write.
        let readOnly = try readOnlyMount(of: try scratch.file("rw/keep", Data()).replacingOccurrences(of: "/keep", with: ""))
        XCTAssertThrowsError(try OutputTarget.checking(readOnly + "/a.html")) {
            XCTAssertEqual("\($0)", "directory \(readOnly) is not writable (read-only file system)")
        }
    }

    func testAFileIsReplacedWholeWithNothingLeftBehind() throws {
        let scratch = try scratchDirectory()
        let path = try scratch.file("report.json", Data(String(repeating: "old and longer ", count: 100).utf8))
        try OutputFile.write("new", to: OutputTarget.checking(path))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new", "truncated, no old tail")
        XCTAssertEqual(try entries(scratch), ["report.json"], "no temporary file left")
        let fresh = scratch.path("fresh.json")
        try OutputFile.write("{}", to: OutputTarget.checking(fresh))
        let mask = umask(0o022)
        umask(mask)
        XCTAssertEqual(try mode(fresh), 0o644 & ~Int(mask))
    }

    /// A name of 236-255 bytes failed at the rename's temporary file (`.NAME.RANDOM.tmp`,
    /// past the system's 255), after the whole audit; any name the system takes works.
    func testANameAsLongAsTheSystemTakesIsWritten() throws {
        let scratch = try scratchDirectory()
        for name in [String(repeating: "a", count: 255), String(repeating: "é", count: 127) + "a"] {
            let path = try scratch.file(name, Data("old".utf8))
            try OutputFile.write("new", to: OutputTarget.checking(path))
            XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "new")
            try OutputFile.write("fresh", to: OutputTarget.checking(scratch.path(String(name.dropLast()) + "b")))
        }
        XCTAssertEqual(try entries(scratch).count, 4, "no temporary file left")
    }

    func testAReplacedFileKeepsItsPermissions() throws {
        let scratch = try scratchDirectory()
        let path = try scratch.file("private.html", Data("old".utf8))
        XCTAssertEqual(chmod(path, 0o600), 0)
        try OutputFile.write("new", to: OutputTarget.checking(path))
        XCTAssertEqual(try mode(path), 0o600)
    }

    func testALinkAtThePathIsReplacedAndItsTargetKeepsItsContent() throws {
        let scratch = try scratchDirectory()
        let precious = try scratch.file("root-owned.conf", Data("precious\n".utf8))
        let link = scratch.path("audit.html")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: precious)
        try OutputFile.write("<html>", to: OutputTarget.checking(link))
        XCTAssertEqual(try String(contentsOfFile: precious, encoding: .utf8), "precious\n")
        let type = try FileManager.default.attributesOfItem(atPath: link)[.type] as? FileAttributeType
        XCTAssertEqual(type, .typeRegular, "the link itself was replaced")
        XCTAssertEqual(try String(contentsOfFile: link, encoding: .utf8), "<html>")
        // A link to a device outside /dev is not followed either: it becomes a file.
        let toNull = scratch.path("to-null")
        try FileManager.default.createSymbolicLink(atPath: toNull, withDestinationPath: "/dev/null")
        XCTAssertEqual(try OutputTarget.checking(toNull), .replacedFile(path: toNull))
    }

    func testAPathThroughAnotherUsersLinkIsRefused() throws {
        let scratch = try scratchDirectory()
        let elsewhere = scratch.path("elsewhere")
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: false)
        let shared = scratch.path("shared"), own = scratch.path("own")
        try FileManager.default.createSymbolicLink(atPath: shared, withDestinationPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: own, withDestinationPath: elsewhere)
        let nobody = try XCTUnwrap(getpwnam("nobody")).pointee
        XCTAssertEqual(lchown(shared, nobody.pw_uid, nobody.pw_gid), 0)
        XCTAssertThrowsError(try OutputTarget.checking(shared + "/audit.html")) {
            XCTAssertEqual("\($0)", "the path goes through \(shared), a symbolic link that belongs to another user")
        }
        XCTAssertThrowsError(try EvidenceDirectory.check(shared + "/evidence", followLink: false))
        XCTAssertEqual(try OutputTarget.checking(own + "/audit.html"), .replacedFile(path: own + "/audit.html"), "root's own link")
    }

    func testAFailedWriteKeepsTheLastGoodFileAndRemovesTheTemporaryOne() throws {
        let scratch = try scratchDirectory()
        let path = try scratch.file("report.html", Data("last good report".utf8))
        // Files may not grow past 1 KiB for this process: the write fails with EFBIG.
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var saved = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
        var limited = saved
        limited.rlim_cur = 1024
        XCTAssertEqual(setrlimit(Int32(RLIMIT_FSIZE.rawValue), &limited), 0)
        defer {
            setrlimit(Int32(RLIMIT_FSIZE.rawValue), &saved)
            signal(SIGXFSZ, previousHandler)
        }
        XCTAssertThrowsError(try OutputFile.write(String(repeating: "x", count: 100_000), to: .replacedFile(path: path))) {
            XCTAssertTrue("\($0)".hasPrefix("cannot write \(path): "), "\($0)")
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "last good report")
        XCTAssertEqual(try entries(scratch), ["report.html"])
        // A rename that fails (the path became a directory) leaves nothing either.
        let directory = scratch.path("became-a-directory")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: directory + "/inside", withIntermediateDirectories: false)
        XCTAssertThrowsError(try OutputFile.write("x", to: .replacedFile(path: directory)))
        XCTAssertEqual(try entries(scratch), ["became-a-directory", "report.html"])
    }

    func testAnotherUsersFIFOIsRefusedAndAWorldWritableModeIsNotKept() throws {
        let scratch = try scratchDirectory()
        let fifo = scratch.path("report.fifo")
        XCTAssertEqual(mkfifo(fifo, 0o666), 0)
        XCTAssertEqual(try OutputTarget.checking(fifo), .stream(path: fifo))
        let nobody = try XCTUnwrap(getpwnam("nobody")).pointee
        XCTAssertEqual(chown(fifo, nobody.pw_uid, nobody.pw_gid), 0)
        XCTAssertThrowsError(try OutputTarget.checking(fifo)) { XCTAssertEqual("\($0)", "\(fifo) is a FIFO that belongs to another user") }
        let open = try scratch.file("open.json", Data("{}".utf8))
        XCTAssertEqual(chmod(open, 0o666), 0)
        try OutputFile.write("[]", to: OutputTarget.checking(open))
        XCTAssertEqual(try mode(open), 0o664)
    }

    func testADeviceIsWrittenInPlaceAndAFullOneSaysSo() throws {
        try OutputFile.write("discarded", to: OutputTarget.checking("/dev/null"))
        XCTAssertThrowsError(try OutputFile.write("x", to: OutputTarget.checking("/dev/full"))) {
            XCTAssertEqual("\($0)", "cannot write /dev/full: No space left on device")
        }
    }

    func testAnOutputThatIsAnInputIsRefusedByNameLinkOrHardLink() throws {
        let scratch = try scratchDirectory()
        let input = try scratch.file("a.pcap", Data("capture".utf8))
        let hardLink = scratch.path("hard.pcap"), symbolic = scratch.path("soft.pcap")
        XCTAssertEqual(link(input, hardLink), 0)
        try FileManager.default.createSymbolicLink(atPath: symbolic, withDestinationPath: input)
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(scratch.url.path)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        func problems(output: String, input: String) throws -> [String] {
            OutputConflicts.find(outputs: [.init(label: "-o \(output)", target: try OutputTarget.checking(output))], inputs: [input])
        }
        XCTAssertEqual(try problems(output: "./a.pcap", input: "a.pcap"), ["-o ./a.pcap: this is the input a.pcap; an input is never written over"])
        XCTAssertEqual(try problems(output: input, input: "a.pcap").count, 1)
        XCTAssertEqual(try problems(output: "hard.pcap", input: "a.pcap").count, 1, "a hard link is the same file")
        XCTAssertEqual(try problems(output: "a.pcap", input: "soft.pcap").count, 1, "the input reaches it through a link")
        XCTAssertEqual(try problems(output: "soft.pcap", input: "a.pcap"), [], "the link is replaced, the input is untouched")
        XCTAssertEqual(try problems(output: "other.json", input: "a.pcap"), [])
    }

    func testTwoOutputsOfOneFileOrTwoOnStandardOutputAreRefusedButDevNullIsShared() throws {
        let scratch = try scratchDirectory()
        let path = scratch.path("a.json")
        let outputs: [OutputConflicts.Output] = [
            .init(label: "--format json", target: .standardOutput),
            .init(label: "--report json:\(path)", target: try OutputTarget.checking(path)),
            .init(label: "--report html:\(path)", target: try OutputTarget.checking(path)),
            .init(label: "--report json:-", target: .standardOutput),
            .init(label: "--report csv:/dev/null", target: try OutputTarget.checking("/dev/null")),
            .init(label: "--report md:/dev/null", target: try OutputTarget.checking("/dev/null")),
        ]
        XCTAssertEqual(OutputConflicts.find(outputs: outputs, inputs: []), [
            "--report html:\(path): the same file as --report json:\(path)",
            "--report json:-: standard output is already written by --format json",
        ])
    }

    func testARepeatedInputIsReadOnceWhereItFirstAppears() throws {
        let scratch = try scratchDirectory()
        let a = try scratch.file("captures/a.pcap", Data("a".utf8))
        let b = try scratch.file("captures/b.pcap", Data("b".utf8))
        let hard = scratch.path("captures/hard.pcap")
        XCTAssertEqual(link(a, hard), 0)
        let dotted = scratch.url.path + "/captures/./a.pcap"
        let inputs = RepeatedInputs([a, "-", b, dotted, a, hard])
        XCTAssertEqual(inputs.paths, [a, "-", b])
        XCTAssertEqual(inputs.repeats, [.init(path: dotted, sameAs: a), .init(path: a, sameAs: a), .init(path: hard, sameAs: a)])
        // The command line refuses "-" twice before this; the file standard input is, is one input.
        XCTAssertEqual(RepeatedInputs(["-", "-"]).paths, ["-"])
    }
}
