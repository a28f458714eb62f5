import Audit
import Foundation
import Policy
import XCTest

/// The repository's `captures/` directory.
let capturesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("captures")

func capture(_ name: String) -> String { capturesDirectory.appendingPathComponent(name).path }

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
