import ArgumentParser
import Audit
import Foundation
import Reports

/// `--report FORMAT:PATH`, repeatable: the reports one run writes besides what goes to
/// standard output. Every request is checked before any input is read (`OutputPlan`), so a
/// typo costs nothing but the command line; a report that fails when it is written (a
/// full disk) costs that report only: the others are still written and the run exits 2.
struct ReportOptions: ParsableArguments {
    @Option(name: .customLong("report"), parsing: .singleValue,
            help: ArgumentHelp("Also write a report: FORMAT:PATH, with FORMAT one of \(ReportFormat.acceptedNames). Repeatable. "
                                   + "Checked before anything is read; replaced whole, never through a link, never over an input.",
                               discussion: "Example: --report html:audit.html --report json:audit.json --report junit:audit.xml",
                               valueName: "format:path"))
    var reports: [ReportRequest] = []

    /// Writes `result` as each planned report. Returns false when any could not be
    /// written; each problem is printed, naming the request.
    func writeReports(of result: AuditResult, to reports: [OutputPlan.Report]) -> Bool {
        writeReports(to: reports) { try $0.write(result, to: $1) }
    }

    /// Writes each planned report as `produce` writes it to a sink in the report's format
    /// (a result, or a diff), while it is produced. Returns false when any could not be
    /// written, each problem printed.
    func writeReports(to reports: [OutputPlan.Report], produce: (ReportFormat, ByteSink) throws -> Void) -> Bool {
        var allWritten = true
        for report in reports {
            guard write(to: report.destination, { try produce(report.format, $0) }) else {
                allWritten = false
                continue
            }
            if let path = report.destination.target.path { printError("wrote \(report.format.rawValue) report to \(path)", label: "note") }
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
