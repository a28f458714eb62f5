import Foundation
import XCTest

/// The built `dasaudit` binary: the test runner sits in the build directory beside it.
let dasauditPath: String = {
    let runner = Bundle.main.bundleURL
    let candidates = [runner, runner.deletingLastPathComponent()].map { $0.appendingPathComponent("dasaudit").path }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
}()

/// A `dasaudit` process as a user runs it, watched while it runs: its standard error is
/// collected as it comes, so a test can wait for "capturing on" before it drives traffic,
/// send it signals, and read its output once it has exited.
// Unchecked Sendable: its reader threads touch the output state only under `lock`.
final class DasauditProcess: @unchecked Sendable {
    let process = Process()
    private let errorPipe = Pipe()
    private let outputPipe = Pipe()
    private let lock = NSCondition()
    private var errorText = ""
    private var outputData = Data()
    private var outputDone = false
    private var errorDone = false
    private var outputStarted = false

    /// Starts `program` (dasaudit), through `launcher` if given (`setpriv ...`), with
    /// `arguments`. With `readOutput` false, standard output is not read until the process
    /// exits and its pipe holds only 4 KiB, so a large report blocks the process writing it.
    /// `input`: its standard input (a pipe's read end from another program); /dev/null by default.
    init(_ arguments: [String], program: String = dasauditPath, launcher: [String]? = nil, readOutput: Bool = true,
         input: FileHandle? = nil) throws {
        let command = (launcher ?? []) + [program] + arguments
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        process.standardInput = input ?? FileHandle.nullDevice
        if !readOutput { _ = fcntl(outputPipe.fileHandleForWriting.fileDescriptor, 1031 /* F_SETPIPE_SZ */, 4096) }
        try process.run()
        let errors = errorPipe.fileHandleForReading
        Thread.detachNewThread { [lock] in
            while true {
                let chunk = errors.availableData
                lock.lock()
                self.errorText += String(decoding: chunk, as: UTF8.self)
                self.errorDone = chunk.isEmpty
                lock.broadcast()
                lock.unlock()
                if chunk.isEmpty { return }
            }
        }
        if readOutput { startReadingOutput() }
    }

    private func startReadingOutput() {
        lock.lock()
        outputStarted = true
        lock.unlock()
        let output = outputPipe.fileHandleForReading
        Thread.detachNewThread { [lock] in
            let data = output.readDataToEndOfFile()
            lock.lock()
            self.outputData = data
            self.outputDone = true
            lock.broadcast()
            lock.unlock()
        }
    }

    var stderr: String {
        lock.lock()
        defer { lock.unlock() }
        return errorText
    }

    /// Waits until standard error contains `text`; false after `timeout` seconds.
    @discardableResult
    func waitForError(containing text: String, timeout: TimeInterval = 15) -> Bool {
        waitForError(timeout: timeout) { $0.contains(text) }
    }

    /// Waits until standard error satisfies `condition`; false after `timeout` seconds.
    func waitForError(timeout: TimeInterval = 15, until condition: (String) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        lock.lock()
        defer { lock.unlock() }
        while !condition(errorText) {
            if !lock.wait(until: deadline) { return condition(errorText) }
        }
        return true
    }

    func signal(_ number: Int32) {
        kill(process.processIdentifier, number)
    }

    /// Waits for the process to exit (killing it after `timeout` seconds, which fails the
    /// test) and returns its exit status and standard output.
    func finish(timeout: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line) -> (status: Int32, stdout: String) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            XCTFail("dasaudit did not stop within \(timeout) s; stderr:\n\(stderr)", file: file, line: line)
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        lock.lock()
        let reading = outputDone || outputStarted
        lock.unlock()
        if !reading { startReadingOutput() }
        lock.lock()
        while !outputDone || !errorDone { lock.wait() }
        lock.unlock()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self))
    }
}

/// Runs `dasaudit` to the end: its exit status, standard output and standard error.
func runDasaudit(_ arguments: [String], program: String = dasauditPath,
                 launcher: [String]? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let run = try DasauditProcess(arguments, program: program, launcher: launcher)
    let (status, stdout) = run.finish()
    return (status, stdout, run.stderr)
}
