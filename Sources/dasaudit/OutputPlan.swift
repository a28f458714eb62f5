import ArgumentParser
import Foundation
import PcapKit
import Reports

/// Every output of one run, checked before any input is read, so a bad `--report` or
/// `--output` costs nothing but the command line: not a long audit, not a live capture.
///
/// Each output must have a known format and a path that can be written (`OutputTarget`),
/// and none may be an input or the file of another output, nor may two of them write to
/// standard output (`OutputConflicts`). Every problem is printed, naming the option as
/// given, and the run exits 2.
struct OutputPlan {
    /// One output: the option as the user typed it, and where it goes.
    struct Destination {
        var label: String
        var target: OutputTarget
    }

    /// A `--report` request that passed the checks.
    struct Report {
        var format: ReportFormat
        var destination: Destination
    }

    /// Standard output, or `--output`.
    var main: Destination

    /// The main output's name when it is standard output with no `--format` given.
    static let standardOutputLabel = "standard output"
    /// The `--report` files, in the order given.
    var reports: [Report] = []

    /// Checks the main output, `output` (`-` or nil for standard output), as
    /// `check(main:path:...)` does. It is named as the user gave it: `--output PATH`, else
    /// "the --format json output" when `format` was given with `--format`, else "standard
    /// output" (`dasaudit flows CAPTURE | head`: "standard output: cannot write: Broken pipe").
    static func check(output: String?, format: String?, reports: [ReportRequest] = [], inputs: [String],
                      otherProblems: [String] = [], asUser user: String? = nil) throws -> OutputPlan {
        let label = output.map { "--output \($0)" } ?? format.map { "the --format \($0) output" } ?? standardOutputLabel
        return try check(main: label, path: output ?? "-",
                  reports: reports, inputs: inputs, otherProblems: otherProblems, asUser: user)
    }

    /// Checks the main output (`label` and `path`, `-` for standard output), the reports and
    /// the problems already found (`--write`), against each other and the `inputs`. `asUser`
    /// names the `--user` the checks ran as, for the messages.
    static func check(main label: String, path: String, reports: [ReportRequest] = [], inputs: [String],
                      otherProblems: [String] = [], asUser user: String? = nil) throws -> OutputPlan {
        // From here on a file size limit (ulimit -f) makes a write fail with EFBIG, which
        // the checks' trial write and OutputFile report (and clean up after), instead of
        // killing the process, at the check or midway.
        signal(SIGXFSZ, SIG_IGN)
        var problems = otherProblems
        func target(_ label: String, _ path: String) -> OutputTarget? {
            do throws(OutputProblem) {
                return try OutputTarget.checking(path)
            } catch {
                problems.append(describe(error, of: label, asUser: user))
                return nil
            }
        }
        let mainTarget = target(label, path)
        var plan = OutputPlan(main: Destination(label: label, target: mainTarget ?? .standardOutput))
        for request in reports {
            let label = "--report \(request.argument)"
            do {
                let (format, path) = try request.resolve()
                if let target = target(label, path) {
                    plan.reports.append(Report(format: format, destination: Destination(label: label, target: target)))
                }
            } catch {
                problems.append("\(label): \(error)")
            }
        }
        let checked = (mainTarget == nil ? [] : [plan.main]) + plan.reports.map(\.destination)
        problems += OutputConflicts.find(outputs: checked.map { OutputConflicts.Output(label: $0.label, target: $0.target) },
                                         inputs: inputs)
        for problem in problems { printError(problem) }
        if !problems.isEmpty { throw ExitCode(2) }
        return plan
    }

    /// A problem with the output `label` as printed, saying which user the check ran as.
    static func describe(_ problem: OutputProblem, of label: String, asUser user: String?) -> String {
        "\(label): \(problem)" + (user.map { " (as --user \($0))" } ?? "")
    }
}

extension PolicyOptions {
    /// The policy file the run reads, if any: an input like the captures, never written over.
    var files: [String] { policyFile.map { [$0] } ?? [] }
}
