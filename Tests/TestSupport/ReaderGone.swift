import Foundation

/// How a program run by `runWithReaderGone` ended, and what it wrote on standard error.
public struct ReaderGoneRun: Sendable {
    /// `.exit`, or `.uncaughtSignal` (SIGPIPE's death, status 13).
    public var reason: Process.TerminationReason
    public var status: Int32
    /// Empty when standard error's reader was gone too.
    public var stderr: String
}

/// Runs `program` as `program ARGS | true` would, but every time alike: its standard output
/// is a pipe whose reader has gone before it starts, and with `stderrToo` its standard
/// error is that pipe as well (`2>&1 | true`).
public func runWithReaderGone(_ program: String, _ arguments: [String], stderrToo: Bool = false,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ReaderGoneRun {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    process.environment = environment
    let gone = Pipe(), errors = Pipe()
    try gone.fileHandleForReading.close()
    process.standardOutput = gone
    process.standardError = stderrToo ? gone : errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // The writing ends are the child's alone (Process may have closed them already).
    try? gone.fileHandleForWriting.close()
    try? errors.fileHandleForWriting.close()
    let errorText = stderrToo ? Data() : errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ReaderGoneRun(reason: process.terminationReason, status: process.terminationStatus,
                         stderr: String(decoding: errorText, as: UTF8.self))
}
