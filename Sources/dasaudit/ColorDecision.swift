import Foundation

/// Whether the text report on standard output may use colour: only on a terminal, and not
/// when the user or the terminal says no: `--no-color`, `NO_COLOR` set (no-color.org), or
/// `TERM=dumb` (a terminal that does not understand escape sequences and would print them).
func colorAllowed(noColorFlag: Bool, isTerminal: Bool = isatty(STDOUT_FILENO) == 1,
                  environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
    !noColorFlag && isTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
}
