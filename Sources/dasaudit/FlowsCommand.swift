import ArgumentParser
import Audit
import CaptureEngine
import Flows
import Foundation
import PcapKit
import Reports

/// `dasaudit flows`: every TCP connection of the captures, one record each, for people
/// and tools that want the evidence under an audit (docs/flows.md).
struct FlowsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flows",
        abstract: "List every TCP connection of the captures as NDJSON or CSV.",
        discussion: """
        One record per TCP connection, in the spirit of Zeek's conn.log: client, server and \
        how the server side was decided (handshake, policy, ephemeral, probe or unknown), state, \
        packets and bytes each way, first and last packet (RFC 3339, nanoseconds) and the \
        outermost VLAN id. The policy options matter only for connections caught mid-stream: \
        the side on a port the policy expects is the server. Fields: docs/flows.md.

        Each connection is written once it has ended (FIN or RST, then 5 s of capture time \
        quiet), or at the end for those still open, as Zeek writes conn.log: records come \
        out while a pipe is read, and memory grows with the connections open at once, up \
        to 262,144 (about 90 MB). Past that (a SYN flood, a scan) the least recently seen \
        are written before they end, and a warning says how many.

        Examples:
          dasaudit flows capture.pcap
          dasaudit flows captures/ --format csv --output connections.csv
          tcpdump -i any -w - tcp | dasaudit flows - --offset 2 --mode cluster

        Exit codes: 0 every input was read (a capture cut short is read up to the cut and \
        reported on standard error); 2 usage error, or an input that could not be used \
        (the connections of the other inputs are still written), or an --output that cannot \
        be written or is an input (checked before anything is read).
        """
    )

    @Argument(help: CaptureArguments.help)
    var inputs: [String]

    @OptionGroup var policyOptions: PolicyOptions

    @OptionGroup var filterOption: CaptureFilterOption
    @OptionGroup var deduplicateOption: DeduplicateOption
    @OptionGroup var vxlanPortOption: VXLANPortOption

    @Option(name: .customLong("format"),
            help: ArgumentHelp("Output format: ndjson (one JSON object per line) or csv (with a header line) (default: ndjson).",
                               valueName: "format"))
    var givenFormat: ConnectionExport.Format?

    /// The output format; `givenFormat` says whether the user chose it.
    var format: ConnectionExport.Format { givenFormat ?? .ndjson }

    @Option(name: [.short, .long], help: ArgumentHelp("Write the records to this file instead of standard output (replaced whole, never an input).",
                                                       valueName: "path"))
    var output: String?

    func validate() throws {
        try CaptureArguments.validate(inputs)
    }

    func run() throws {
        // The list is written as the reading goes: a stop ends the reading and gives up an
        // output whose reader takes nothing, together.
        let signals = StopSignals.readingWhileWriting(then: "the connections read are listed", quitting: "without the list")
        defer { withExtendedLifetime(signals) {} }
        // The policy first, here and not in `validate`: argument-parser wraps what `validate`
        // throws, and a policy error exited 1 instead of 2.
        var auditor = Auditor(policy: try policyOptions.makePolicy())
        auditor.captureFilter = filterOption.filter
        auditor.deduplicates = deduplicateOption.deduplicate
        auditor.vxlanPorts = vxlanPortOption.vxlanPorts
        let paths = CaptureArguments.expand(inputs)
        let plan = try OutputPlan.check(output: output, format: givenFormat?.rawValue, inputs: paths + policyOptions.files)
        var inputs: [InputSummary] = [], written = 0, splitAtCap: UInt64 = 0
        let format = self.format
        let wrote = write(to: plan.main) { sink in
            ConnectionExport.writeHeader(as: format, to: sink)
            (inputs, splitAtCap) = auditor.connections(paths: paths) { connections in
                ConnectionExport.writeRecords(connections, as: format, to: sink)
                written += connections.count
                // A round at a time, so that `tcpdump -w - | dasaudit flows -` shows each as it ends.
                sink.flush()
            }
        }
        if splitAtCap > 0 {
            printError("more than \(FlowLimits.listing.maxConnections) connections were open at once (a SYN flood, a scan): "
                       + "\(splitAtCap) of them, the least recently seen, were written before they ended; a later packet "
                       + "of one begins a second record", label: "warning")
        }
        CaptureArguments.reportProblems(inputs)
        CaptureArguments.warnOfOverlaps(inputs)
        guard wrote else { throw ExitCode(2) }
        if let output {
            printError("wrote \(written) connections to \(output)", label: "note")
        }
        if inputs.contains(where: \.isUnusable) { throw ExitCode(2) }
    }
}

extension ConnectionExport.Format: ExpressibleByArgument {}
