import ArgumentParser
import Audit
import Foundation
import Reports

/// `--report FORMAT:PATH`, repeatable: the reports one run writes besides what goes to
/// standard output. A request is checked when it is written, not when it is parsed, so a
/// typo in one report costs that report only: the audit still runs, the other reports are
/// still written, and the run exits 2 naming the bad one.
struct ReportOptions: ParsableArguments {
    @Option(name: .customLong("report"), parsing: .singleValue,
            help: ArgumentHelp("Also write a report: FORMAT:PATH, with FORMAT one of \(ReportFormat.acceptedNames). Repeatable.",
                               discussion: "Example: --report html:audit.html --report json:audit.json --report junit:audit.xml",
                               valueName: "format:path"))
    var reports: [ReportRequest] = []

    /// Writes every requested report of `result`. Returns false when any could not be
    /// written; each problem is printed, naming the request.
    func writeReports(of result: AuditResult) -> Bool {
        var allWritten = true
        for request in reports {
            do {
                let (format, path) = try request.resolve()
                try write(try format.render(result), to: path)
                if path != "-" { printError("wrote \(format.rawValue) report to \(path)", label: "note") }
            } catch is ExitCode {
                allWritten = false  // `write` has said which path and why
            } catch {
                printError("--report \(request.argument): \(error)")
                allWritten = false
            }
        }
        return allWritten
    }
}

/// One `--report` argument as given: `FORMAT:PATH`.
struct ReportRequest: ExpressibleByArgument {
    var argument: String

    init?(argument: String) { self.argument = argument }

    /// The format and the path, or why the argument names none.
    func resolve() throws -> (ReportFormat, String) {
        guard let colon = argument.firstIndex(of: ":") else {
            throw ReportRequestError("give FORMAT:PATH, for example html:audit.html")
        }
        let name = String(argument[..<colon]), path = String(argument[argument.index(after: colon)...])
        guard let format = ReportFormat(name: name) else {
            throw ReportRequestError("unknown report format '\(name)' (formats: \(ReportFormat.acceptedNames))")
        }
        guard !path.isEmpty else { throw ReportRequestError("no path after '\(name):'") }
        return (format, path)
    }
}

/// Why a `--report` argument could not be used.
struct ReportRequestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ReportFormat: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}
