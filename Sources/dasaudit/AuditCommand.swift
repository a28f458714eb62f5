import ArgumentParser
import Audit
import CaptureEngine
import Foundation
import PcapKit
import Reports
import Wire

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Audit recorded captures against the DAS/Spark port policy.",
        discussion: """
        Reads each capture (pcap or pcapng; '-' for standard input) in order as one capture, \
        works out the server side of every TCP connection, classifies each server port \
        against the catalog under the offset, and reports unexpected ports, unused openings \
        and executor traffic outside the allowed 1200x range. TCP inside VXLAN, Geneve, \
        GRE, ERSPAN or IP-in-IP (a capture on an underlay) is audited by its inner packets.

        Examples:
          dasaudit audit capture.pcap --offset 2 --mode cluster --cores 2
          dasaudit audit capture.pcapng --format json --output audit.json
          tcpdump -i eth0 -w - | dasaudit audit -
          tcpdump -i eth0 -s 256 -w - 'tcp or udp port 4789' | dasaudit audit -

        Ctrl-C (SIGINT), SIGTERM or SIGHUP stops the reading, and the audit of what was read \
        follows in every requested format: a pipe ends with what its writer (tcpdump, stopped \
        by the same Ctrl-C) sends within a second; a file, or a pipe whose writer goes on, is \
        cut, an incomplete input (a medium incomplete-input finding). A second quits at once, \
        without the reports.

        Exit codes: 0 compliant; 1 findings at or above --fail-on; 2 usage or input error \
        (an input that cannot be read; the other inputs are still audited), or an output \
        that cannot be written: outputs are checked before anything is read, and one that \
        is an input, or is named twice, is refused. An input named twice is read once.
        """
    )

    @Argument(help: CaptureArguments.help)
    var inputs: [String]

    @OptionGroup var policyOptions: PolicyOptions

    @OptionGroup var filterOption: CaptureFilterOption
    @OptionGroup var deduplicateOption: DeduplicateOption
    @OptionGroup var vxlanPortOption: VXLANPortOption

    @OptionGroup var capturePointOption: CapturePointOption

    @OptionGroup var outputOptions: OutputOptions

    // Unconditional, as every numeric option: `--threads -1` reaches the range check.
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Cores to use, 1-1024 (default: all). Inputs are read at once, one per core, and merged as if read in order; "
            + "1 reads, tracks, hashes and ends the audit on one thread, one input after another.",
        valueName: "n"))
    var threads: Int?

    /// The values `--threads` takes: at least one thread, and a bound past any machine's
    /// cores (a count near Int.max overflowed the reader's arithmetic).
    static let threadsRange = 1...1024

    @OptionGroup var connectionsOption: ConnectionsOption

    @Flag(help: "Print the time of each stage on standard error at the end: packet loop, end stage (services, findings), evidence hash, output; and the CPU time of the tracking thread, of the evidence hash and of all threads.")
    var timings = false

    func validate() throws {
        try CaptureArguments.validate(inputs)
        if let threads, !Self.threadsRange.contains(threads) {
            throw ValidationError("--threads \(threads) is outside \(Self.threadsRange.lowerBound)-\(Self.threadsRange.upperBound)")
        }
        // Checked before anything is read: read for the offset, a FIFO would have nothing left for the audit.
        for input in inputs where policyOptions.offset == .auto {
            guard let kind = SinglePassInput.kind(of: input) else { continue }
            throw ValidationError("--offset auto reads the captures twice (to find the offset, then to audit), so not "
                + (input == "-" ? kind : "\(input), \(kind)")
                + ", which can be read only once: give --offset N, or save the capture to a file")
        }
    }

    func run() throws {
        let signals = StopSignals.reading(then: "the audit of what was read follows", quitting: "without the reports")
        defer { withExtendedLifetime(signals) {} }
        let paths = CaptureArguments.expand(inputs)
        // With auto, the policy's other problems first, before the captures are read for the offset.
        if policyOptions.offset == .auto { _ = try policyOptions.makePolicy(notes: false, autoOffset: 0) }
        let plan = try outputOptions.plan(inputs: paths + policyOptions.files)
        let autoOffset = policyOptions.offset == .auto
            ? try Self.inferOffset(paths: paths, filter: filterOption.filter, vxlanPorts: vxlanPortOption.vxlanPorts,
                                   threads: threads)
            : nil
        var auditor = Auditor(policy: try policyOptions.makePolicy(autoOffset: autoOffset), failOn: outputOptions.failOn,
                              auditTime: try AuditTimeOption.now())
        auditor.captureFilter = filterOption.filter
        auditor.deduplicates = deduplicateOption.deduplicate
        auditor.vxlanPorts = vxlanPortOption.vxlanPorts
        let hashing = InputHashing(paths: paths)  // alongside the reading
        let progress = ProgressBar.onStandardError(paths: paths)
        let stageTimings = timings ? StageTimings() : nil
        // Named before the reading: the gaps between the inputs are the point's (`CaptureGaps`).
        let capturePoint = capturePointOption.point(or: .files(paths))
        var result = auditor.audit(paths: paths, threads: readingThreads(paths: paths), connections: connectionsOption.connections, hashing: hashing,
                                   progress: progress.map { bar -> @Sendable (ReadProgress) -> Void in { bar.report($0) } },
                                   timings: stageTimings, capturePoint: capturePoint.name)
        progress?.finish()
        StandardError.noteDroppedUpdates("progress updates", while: "the reading")
        result.record(capturePoint: capturePoint)
        result.evidence = try Evidence(of: result, arguments: ProgramArguments.afterName,
                                       auditedAt: auditor.auditTime, hashed: hashing.wait())
        signals.writingOutputs()  // the reading and its hashes are over
        result.evidence?.captureFilter = filterOption.filter
        let audited = result.inputs
        result.evidence?.noteStoppedReading(of: audited)
        stageTimings?.end(.evidence)
        stageTimings?.hashingCPU = hashing.cpuSeconds
        CaptureArguments.reportProblems(result.inputs)
        CaptureArguments.warnOfOverlaps(result.inputs)
        let reportsWritten = try outputOptions.deliver(result, to: plan)
        if let stageTimings {
            stageTimings.end(.output)
            StandardError.write(stageTimings.cpuLine + "\n" + stageTimings.line + "\n")
        }
        if !reportsWritten || result.inputs.contains(where: \.isUnusable) {
            throw ExitCode(2)
        }
        if !result.summary.compliant { throw ExitCode(1) }
    }

    /// `--threads`, or all cores, within what the open-file limit allows
    /// (`DescriptorLimit.readingThreads`); a `--threads` cut down is said in a note.
    private func readingThreads(paths: [String]) -> Int? {
        guard let bound = DescriptorLimit.readingThreads(), paths.count > 1 else { return threads }
        guard (threads ?? ProcessInfo.processInfo.activeProcessorCount) > bound else { return threads }
        if let threads { printError("--threads \(threads): the open-file limit allows \(bound) reading at once", label: "note") }
        return bound
    }

    /// `--offset auto`: the offset `dasaudit infer` finds in the captures (a first read of
    /// them; the audit reads them again under it), said in a note. A stop during that first
    /// read (Ctrl-C) cuts it, the offset is found in what was read, and the audit reads each
    /// input up to the same point (`InputStop.replay`): what the offset was found in,
    /// incomplete as a stop during the audit leaves it. `threads`: as many cores as the
    /// audit's (`--threads`), so that both readings read the inputs in the same order.
    static func inferOffset(paths: [String], filter: String?, vxlanPorts: VXLANPorts, threads: Int?) throws -> Int {
        let (inference, read) = InferCommand.infer(paths: paths, filter: filter, vxlanPorts: vxlanPorts, threads: threads,
                                                   clientsPerService: ServiceSummary.sampleClientCount)
        let stop = InputStop.signal.map { " in what was read before \($0) stopped the reading" } ?? ""
        printError("--offset auto: offset \(inference.offset) (\(inference.supportingServices) services on its catalog ports, "
            + "confidence \(inference.confidenceWord))\(stop)", label: "note")
        if InputStop.signal != nil { InputStop.replay(firstReadingCuts(read.inputs)) }
        return inference.offset
    }

    /// Where a stop left each input of the first read that it did not read whole, by the
    /// bytes of its path (`InputStop.replay`).
    private static func firstReadingCuts(_ inputs: [InputSummary]) -> [[UInt8]: InputStop.Cut] {
        var cuts: [[UInt8]: InputStop.Cut] = [:]
        for input in inputs {
            if input.error == InputStop.notRead(input.path) {
                cuts[Array(input.path.utf8)] = .notRead
            } else if input.error == InputStop.cut(input.path, packetsRead: input.packets) {
                cuts[Array(input.path.utf8)] = .after(packets: input.packets)
            }
        }
        return cuts
    }
}

enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case text, json
}

/// `--fail-on HIGH` is `--fail-on high`: severities are accepted in any letter case.
extension FailThreshold: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
