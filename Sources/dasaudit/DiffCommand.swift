import ArgumentParser
import Audit
import Foundation
import Reports

/// `dasaudit diff BASELINE CURRENT`: what changed between two saved results of the same
/// cluster (`ResultDiff`), in any report format, failing when a new finding is at or
/// above `--fail-on`, for CI that keeps last week's audit as the baseline.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two saved JSON results: services new or vanished, changes, findings new or resolved.",
        discussion: """
        Both results are JSON written by 'dasaudit audit --format json' (or --report json:PATH). \
        A service is its server endpoint; client ports, timestamps and traffic counts are not \
        compared, so two captures of an unchanged cluster give no change. Results audited \
        under different policies (nodes, allowed ports, waivers, features...) are compared all \
        the same, and every format says in which fields the policies differ (a warning too). \
        See docs/diff.md.

        Examples:
          dasaudit diff baseline.json today.json
          dasaudit diff base.json now.json --report md:diff.md --report junit:diff.xml

        Exit codes: 0 nothing got worse; 1 a new finding, or one no longer waived, at or \
        above --fail-on, or a current audit that saw nothing (no-traffic, new or not); 2 a result that cannot be read or an output that \
        cannot be written (outputs are checked before the results are read).
        """
    )

    @Argument(help: ArgumentHelp("The earlier JSON result ('-' for standard input).", valueName: "baseline"))
    var baselinePath: String

    @Argument(help: ArgumentHelp("The later JSON result ('-' for standard input).", valueName: "current"))
    var currentPath: String

    /// The audit's output options: --format, --output, --report, --fail-on (a new finding
    /// at or above it fails the diff).
    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        if baselinePath == "-" && currentPath == "-" {
            throw ValidationError("only one of the two results can be read from standard input")
        }
    }

    func run() throws {
        let signals = StopSignals.quitting(without: "the diff")
        defer { withExtendedLifetime(signals) {} }
        let plan = try outputOptions.plan(inputs: [baselinePath, currentPath])
        // Both are read (and both problems printed) before giving up.
        let baseline = Result { try SavedResult.read(baselinePath) }, current = Result { try SavedResult.read(currentPath) }
        guard case .success(let before) = baseline, case .success(let after) = current else { throw ExitCode(2) }
        let diff = ResultDiff(baseline: before, at: baselinePath, current: after, at: currentPath,
                              failOn: outputOptions.failOn)
        if !diff.policyChanges.isEmpty {
            // Said where a CI log shows it too, since the exit status cannot say it.
            let fields = diff.policyChanges.map(\.field).joined(separator: ", ")
            printError("\(baselinePath) and \(currentPath) were audited under different policies (\(fields)): services and "
                + "findings may be new, resolved or changed by the policy, not by the traffic", label: "warning")
        }
        let reportsWritten = outputOptions.reportOptions.writeReports(to: plan.reports) { try $1.write(DiffReport.render(diff, as: $0)) }
        guard write(try DiffReport.render(diff, as: outputOptions.format), to: plan.main) else { throw ExitCode(2) }
        if !reportsWritten { throw ExitCode(2) }
        if diff.worse { throw ExitCode(1) }
    }
}
