import ArgumentParser
import Audit
import Foundation
import Reports

/// Where an audit result goes and when it fails, shared by `audit` and `live`: the
/// format of standard output (or `--output`), the `--report` files, `--fail-on`, and
/// colour.
struct OutputOptions: ParsableArguments {
    @Option(name: .customLong("format"),
            help: ArgumentHelp("Format of standard output (or --output): text (a terminal summary), json (the dasaudit.result/1 contract; diff writes dasaudit.diff/1), html, csv, markdown or junit (default: text).",
                               valueName: "format"))
    var givenFormat: ReportFormat?

    /// The format of standard output (or `--output`); `givenFormat` says whether the user chose it.
    var format: ReportFormat { givenFormat ?? .text }

    @Option(name: [.short, .long], help: ArgumentHelp("Write the report to this file instead of standard output (replaced whole, never an input).",
                                                       valueName: "path"))
    var output: String?

    @OptionGroup var reportOptions: ReportOptions

    @Option(help: ArgumentHelp("Fail (exit 1) on findings of this severity or above: high, medium, low, info or never.",
                               valueName: "severity"))
    var failOn: FailThreshold = .medium

    @Flag(help: "Never colour the text report (colour is used only on a terminal, and never when NO_COLOR is set).")
    var noColor = false

    /// Checks every output (`OutputPlan`) before anything is read: exits 2 naming each
    /// problem. `inputs` are the files the run reads, never to be written over.
    func plan(inputs: [String], otherProblems: [String] = [], asUser user: String? = nil) throws -> OutputPlan {
        try OutputPlan.check(output: output, format: givenFormat?.rawValue, reports: reportOptions.reports, inputs: inputs,
                             otherProblems: otherProblems, asUser: user)
    }

    /// Writes every `--report`, then the report to standard output or `--output`, to the
    /// destinations of `plan`. Returns false when a `--report` could not be written (each
    /// problem is printed); throws `ExitCode(2)` when the main report cannot be.
    func deliver(_ result: AuditResult, to plan: OutputPlan) throws -> Bool {
        let useColor = format == .text && output == nil && colorAllowed(noColorFlag: noColor)
        let reportsWritten = reportOptions.writeReports(of: result, to: plan.reports)
        guard write(to: plan.main, { try format.write(result, to: $0, color: useColor) }) else { throw ExitCode(2) }
        if let output {
            printError("wrote \(format.rawValue) report to \(output): "
                + (result.summary.compliant ? "compliant" : "not compliant") + " (--fail-on \(failOn.rawValue))", label: "note")
        }
        return reportsWritten
    }
}
