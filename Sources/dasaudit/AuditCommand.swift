import ArgumentParser
import Audit
import Foundation
import Reports

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit recorded captures against the DAS/Spark port policy.",
        discussion: """
        Reads each capture (pcap or pcapng; '-' for standard input) in order as one capture, \
        works out the server side of every TCP connection, classifies each server port \
        against the catalog under the offset, and reports unexpected ports, unused openings \
        and executor traffic outside the allowed 1200x range.

        Examples:
          dasaudit audit capture.pcap --offset 2 --mode cluster --cores 2
          dasaudit audit capture.pcapng --format json --output audit.json
          tcpdump -i eth0 -w - | dasaudit audit -

        Exit codes: 0 compliant; 1 findings at or above --fail-on; 2 usage or input error \
        (an input that cannot be read; the other inputs are still audited).
        """
    )

    @Argument(help: ArgumentHelp("Capture files to audit, read in order as one capture ('-' is standard input).",
                                 valueName: "capture"))
    var inputs: [String]

    @OptionGroup var policyOptions: PolicyOptions

    @Option(help: ArgumentHelp("Format of standard output (or --output): text (a terminal summary), json (the dasaudit.result/1 contract), html, csv, markdown or junit.",
                               valueName: "format"))
    var format: ReportFormat = .text

    @Option(name: [.short, .long], help: ArgumentHelp("Write the report to this file instead of standard output.",
                                                       valueName: "path"))
    var output: String?

    @OptionGroup var reportOptions: ReportOptions

    @Option(help: ArgumentHelp("Fail (exit 1) on findings of this severity or above: high, medium, low, info or never.",
                               valueName: "severity"))
    var failOn: FailThreshold = .medium

    @Flag(help: "Never colour the text report (colour is used only on a terminal, and never when NO_COLOR is set).")
    var noColor = false

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one capture file (or '-' for standard input)") }
        if inputs.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input ('-') can be read only once") }
    }

    func run() throws {
        let auditor = Auditor(policy: try policyOptions.makePolicy(), failOn: failOn)
        var result = auditor.audit(paths: inputs)
        result.evidence = try Evidence(of: result, arguments: Array(CommandLine.arguments.dropFirst()))
        for input in result.inputs {
            if let error = input.error { printError(error) }
        }
        let useColor = format == .text && !noColor && output == nil && isatty(STDOUT_FILENO) == 1
            && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let reportsWritten = reportOptions.writeReports(of: result)
        try write(try format.render(result, color: useColor), to: output)
        if let output {
            printError("wrote \(format.rawValue) report to \(output): "
                + (result.summary.compliant ? "compliant" : "not compliant") + " (--fail-on \(failOn.rawValue))", label: "note")
        }
        if !reportsWritten || result.inputs.contains(where: { $0.linkType == nil || ($0.error != nil && $0.packets == 0) }) {
            throw ExitCode(2)
        }
        if !result.summary.compliant { throw ExitCode(1) }
    }
}

enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json
}

extension FailThreshold: ExpressibleByArgument {}
