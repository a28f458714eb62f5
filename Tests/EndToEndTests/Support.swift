import Audit
import Foundation
import Policy
import TestSupport
import XCTest

/// The repository's `captures/` directory.
let capturesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("captures")

func capture(_ name: String) -> String { capturesDirectory.appendingPathComponent(name).path }

extension Auditor {
    /// The audit of the bundled capture `name`, of the packets `filter` matches: on a capture
    /// of every interface, `ifindex 3` is what that interface alone saw.
    func audit(bundled name: String, filter: String) -> AuditResult {
        var auditor = self
        auditor.captureFilter = filter
        return auditor.audit(paths: [capture(name)])
    }
}

/// The bundled captures that hold no TCP segment to track (VXLAN cut at 96 bytes, where no
/// inner TCP header fits; a node's tcpdump file that captured nothing; HTTP cut at 40 bytes,
/// where no TCP header fits): tests that read
/// every capture expect traffic from the others.
let capturesWithoutTCP: Set<String> = ["tunnel-vxlan-underlay-s96.pcap", "nodes-n2-empty.pcap", "http-cut-s40-lo.pcap"]

/// The built `dasaudit` binary, next to the test bundle.
let dasauditBinary: URL = {
    var directory = Bundle.main.bundleURL
    for _ in 0..<3 where !FileManager.default.fileExists(atPath: directory.appendingPathComponent("dasaudit").path) {
        directory = directory.deletingLastPathComponent()
    }
    return directory.appendingPathComponent("dasaudit")
}()

struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `dasaudit` with `arguments`, feeding `stdin` if given, with `NO_COLOR` set and
/// `environment` on top of the test's own.
func runDasaudit(_ arguments: [String], stdin: Data? = nil, environment extra: [String: String] = [:]) throws -> CommandResult {
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment.merge(extra) { _, new in new }
    return try runProgram(dasauditBinary, arguments, stdin: stdin, environment: environment)
}

/// Runs `program` with `arguments` in `environment`, feeding `stdin` if given, and waits
/// for it to exit.
func runProgram(_ program: URL, _ arguments: [String], stdin: Data? = nil, environment: [String: String]) throws -> CommandResult {
    let process = Process()
    process.executableURL = program
    process.arguments = arguments
    process.environment = environment
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try process.run()
    if let stdin {
        // Feed stdin from another thread so a full pipe cannot block the reads below.
        let writer = input.fileHandleForWriting
        Thread.detachNewThread {
            writer.write(stdin)
            try? writer.close()
        }
    }
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: String(decoding: stderr, as: UTF8.self))
}

extension AuditResult {
    /// "address:port" → service, for assertions by endpoint.
    var servicesByEndpoint: [String: ServiceSummary] {
        Dictionary(uniqueKeysWithValues: services.map { ("\($0.address):\($0.port)", $0) })
    }
}

/// Runs the dasaudit binary as the user `nobody` through `runuser`: tests run as root, who
/// can read any file, so "unreadable" can only be shown as another user. Where that is
/// impossible (not root, no runuser, or nobody cannot execute the test binary) the test is
/// skipped with the reason, except under CI (the `CI` variable set), where the skip would
/// hide an untested refusal and fails the test instead.
func runDasauditAsNobody(_ arguments: [String], mentioning path: String) throws -> CommandResult {
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser") else {
        throw unavailable("needs root and runuser to read as another user")
    }
    let run = try runProcess("/usr/sbin/runuser", ["-u", "nobody", "--", dasauditBinary.path] + arguments)
    if run.stderr.contains("Permission denied") && !run.stderr.contains(path) {
        throw unavailable("nobody cannot run the test binary here: \(run.stderr)")
    }
    return run
}


extension XCTestCase {
    /// A path in the temporary directory, unique to this call, removed when the test ends.
    func temporary(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dasaudit-\(UUID().uuidString)-\(name)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }
}
