import ArgumentParser
import Foundation
import PcapKit
import Reports

/// Writes what `produce` writes to a sink to a destination checked by `OutputPlan`, while
/// it is produced: through a 64 KiB `ByteSink` into an `OutputFile.Writer` (a file is
/// replaced atomically when it is whole, never followed through a link). Returns false
/// when it could not be written or produced, after printing the label and the reason; a
/// file is then left as it was.
func write(to destination: OutputPlan.Destination, _ produce: (ByteSink) throws -> Void) -> Bool {
    let writer: OutputFile.Writer
    do {
        writer = try OutputFile.Writer(destination.target)
    } catch {
        printError("\(destination.label): cannot write: \(error.reason)")
        return false
    }
    let sink = ByteSink { try writer.write($0) }
    do {
        try produce(sink)
    } catch {
        writer.discard()
        printError("\(destination.label): \(error)")
        return false
    }
    do {
        try sink.finish()
        try writer.finish()
        return true
    } catch let failure as OutputFile.Failure {
        printError("\(destination.label): cannot write: \(failure.reason)")
    } catch {
        printError("\(destination.label): cannot write: \(error)")
    }
    writer.discard()
    return false
}

/// Writes `text` to a destination checked by `OutputPlan`, as `write(to:_:)` does.
func write(_ text: String, to destination: OutputPlan.Destination) -> Bool {
    write(to: destination) { $0.write(text) }
}

/// Writes `text` to standard output (`path` nil or `-`) or to `path`, checked and written
/// as every output is, for a command whose only output is the one it prints.
func write(_ text: String, to path: String?) throws {
    let plan = try OutputPlan.check(main: path.map { "--output \($0)" } ?? OutputPlan.standardOutputLabel, path: path ?? "-", inputs: [])
    guard write(text, to: plan.main) else { throw ExitCode(2) }
}

/// Prints `dasaudit: error: message` on standard error, the message `terminalEscaped`:
/// messages carry file names, node names and text echoed from inputs, none of which may
/// reach the terminal as a control sequence or forge a line of its own.
func printError(_ message: String, label: String = "error") {
    StandardError.write(errorLine(message, label: label))
}

/// Prints what `printError` prints, but only if standard error takes it at once
/// (`StandardError.writeIfRoom`): for what must never wait on standard error's reader.
func printErrorIfRoom(_ message: String, label: String = "error") {
    StandardError.writeIfRoom(errorLine(message, label: label))
}

private func errorLine(_ message: String, label: String) -> String {
    "dasaudit: \(label): \(message.terminalEscaped)\n"
}
