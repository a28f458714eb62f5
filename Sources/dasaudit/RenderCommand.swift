import ArgumentParser
import Audit
import Foundation
import Reports

/// Renders a saved JSON result again, in any format: the JSON is the contract, every other
/// report can be made from it later (for a ticket, after a merge, on another machine).
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a saved JSON result as text, HTML, CSV, Markdown or JUnit.",
        discussion: """
        Reads a result written by 'dasaudit audit --format json' (or --report json:PATH) and \
        writes it again in other formats. Nothing is audited again: the numbers, the verdict \
        and the evidence are those of the result.

        Examples:
          dasaudit render audit.json --report html:audit.html --report md:audit.md
          dasaudit render audit.json --format csv > services.csv

        Exit codes: 0 written; 2 the result could not be read or a report could not be written.
        """
    )

    @Argument(help: ArgumentHelp("A JSON result ('-' for standard input).", valueName: "result"))
    var resultPath: String

    @Option(name: .customLong("format"),
            help: ArgumentHelp("Format of standard output (or --output): text, json, html, csv, markdown or junit (default: text).",
                               valueName: "format"))
    var givenFormat: ReportFormat?

    /// The format of standard output (or `--output`); `givenFormat` says whether the user chose it.
    var format: ReportFormat { givenFormat ?? .text }

    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output (replaced whole, never the input).",
                                                       valueName: "path"))
    var output: String?

    @OptionGroup var reportOptions: ReportOptions

    func run() throws {
        let signals = StopSignals.quitting(without: "the reports")
        defer { withExtendedLifetime(signals) {} }
        let plan = try OutputPlan.check(output: output, format: givenFormat?.rawValue, reports: reportOptions.reports, inputs: [resultPath])
        let result = try SavedResult.read(resultPath)
        let reportsWritten = reportOptions.writeReports(of: result, to: plan.reports)
        guard write(to: plan.main, { try format.write(result, to: $0) }) else { throw ExitCode(2) }
        if !reportsWritten { throw ExitCode(2) }
    }
}
