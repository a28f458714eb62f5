import ArgumentParser
import Foundation
import PcapKit
import Reports

/// Writes `text` to a destination checked by `OutputPlan` (`OutputFile`: a file is
/// replaced atomically, never followed through a link). Returns false when it could not
/// be written, after printing the path and the reason.
func write(_ text: String, to destination: OutputPlan.Destination) -> Bool {
    do {
        try OutputFile.write(text, to: destination.target)
        return true
    } catch {
        printError("\(destination.label): cannot write: \(error.reason)")
        return false
    }
}

/// Writes `text` to standard output (`path` nil or `-`) or to `path`, checked and written
/// as every output is, for a command whose only output is the one it prints.
func write(_ text: String, to path: String?) throws {
    let plan = try OutputPlan.check(main: path.map { "--output \($0)" } ?? "standard output", path: path ?? "-", inputs: [])
    guard write(text, to: plan.main) else { throw ExitCode(2) }
}

/// Prints `dasaudit: error: message` on standard error, the message `terminalEscaped`:
/// messages carry file names, node names and text echoed from inputs, none of which may
/// reach the terminal as a control sequence or forge a line of its own.
func printError(_ message: String, label: String = "error") {
    FileHandle.standardError.write(Data("dasaudit: \(label): \(message.terminalEscaped)\n".utf8))
}
