import ArgumentParser
import Audit
import CaptureEngine
import Foundation
import PcapKit

struct LiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "live",
        abstract: "Capture on an interface and audit the traffic as it happens.",
        discussion: """
        Captures TCP traffic on a network interface (during a load test, say), shows a \
        status line on standard error every --interval, and when it stops (--duration, \
        --packets, Ctrl-C, SIGTERM or SIGHUP) writes the audit of everything captured, in every \
        requested format, exactly as `dasaudit audit` would. A second Ctrl-C quits at once.

        Packets libpcap dropped are in the coverage of every report; a capture that \
        dropped packets is never reported complete (a medium packets-dropped finding). \
        --write DIR keeps the raw packets as pcapng files, their SHA-256 in the report's \
        evidence; `dasaudit audit DIR` with the same policy gives the same services, and \
        the packets the capture lost, which each file records for its own time window \
        (--write-format pcap writes pcap files, which cannot record them; a --write name \
        ending in .pcap is refused unless --write-format is given). \
        --connections lists every connection in the JSON result, so that `dasaudit merge` \
        joins the results of several nodes, and of successive windows of one node.

        Capturing needs CAP_NET_RAW: run as root (--user drops root after the interface \
        is open), or give the capability to a copy only an admin group may run, not to \
        the installed binary every user may run (docs/live.md shows how).

        Examples:
          dasaudit live -i eth0 --offset 2 --duration 30m --write /var/tmp/evidence
          dasaudit live -i any --filter 'net 10.1.0.0/16' --report html:audit.html
          dasaudit interfaces

        Exit codes: 0 compliant; 1 findings at or above --fail-on; 2 usage error, an \
        interface that cannot be captured on, or evidence or a report that could not be written \
        (every output is checked before capturing, and again as the --user).
        """
    )

    @Option(name: [.short, .long], help: ArgumentHelp("The interface to capture on (see `dasaudit interfaces`; `any` for all: a packet "
                                                       + "forwarded through a bridge or a router counts once).",
                                                       valueName: "name"))
    var interface: String

    @Option(help: ArgumentHelp("A BPF capture filter in tcpdump's syntax, e.g. 'tcp and host 10.0.0.5'.", valueName: "bpf"))
    var filter: String?

    @OptionGroup var deduplicateOption: DeduplicateOption
    @OptionGroup var vxlanPortOption: VXLANPortOption

    // Numeric options are unconditional: `--snaplen -1` reaches the range check instead of
    // being taken for an unknown option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Bytes kept of each packet (the audit needs the headers only; the evidence files keep what is kept).",
                               valueName: "bytes"))
    var snaplen: Int32 = 262_144

    @Option(help: ArgumentHelp("The kernel capture buffer, as 64M or 1G. A larger buffer rides out bursts.",
                               valueName: "size"))
    var bufferSize = ByteCount(bytes: 32 << 20)

    @Flag(help: "Capture frames not addressed to this host too (a mirror or SPAN port).")
    var promiscuous = false

    @Flag(help: "Hand each packet over as it arrives instead of in batches: lower latency, more CPU.")
    var immediateMode = false

    @Option(help: ArgumentHelp("Stop after this long, as 90s, 10m or 2h (default: until Ctrl-C or SIGTERM).", valueName: "time"))
    var duration: TimeSpan?

    @Option(parsing: .unconditional, help: ArgumentHelp("Stop after this many packets.", valueName: "N"))
    var packets: UInt64?

    @Option(help: ArgumentHelp("How often the status line on standard error is updated.", valueName: "time"))
    var interval = TimeSpan(seconds: 10)

    @Option(help: ArgumentHelp("Keep the raw packets as capture files in this directory (created 0700 if missing; files "
                                   + "0600), named dasaudit-YYYYMMDD-HHMMSS-NNNN.pcapng. A symbolic link is refused.",
                               valueName: "dir"))
    var write: String?

    @Option(help: ArgumentHelp("The format of the --write files: pcapng (default) records the packets the capture lost in "
                                   + "each file, so an audit of the files says them; pcap cannot (files named .pcap). A --write "
                                   + "name ending in .pcap needs this option.",
                               valueName: "format"))
    var writeFormat: CaptureWriter.Format?

    @Flag(help: "Let --write DIR be a symbolic link (root's or your own; another user's is refused), followed to the directory it points at.")
    var writeFollowSymlink = false

    @Option(help: ArgumentHelp("With --write, start a new file before one passes this size, as 100M.", valueName: "size"))
    var rotateSize: ByteCount?

    @Option(parsing: .unconditional, help: ArgumentHelp("With --write, start a new file every N seconds of capture.", valueName: "N"))
    var rotateSeconds: Int64?

    @Option(help: ArgumentHelp("Run as this user once the interface is open, like tcpdump -Z; every output is checked again as "
                                   + "this user before capturing, so --write and the reports need places it may write."
                                   + UserSwitch.whereUsersComeFrom,
                               valueName: "name"))
    var user: String?

    @OptionGroup var policyOptions: PolicyOptions

    @OptionGroup var capturePointOption: CapturePointOption

    @OptionGroup var connectionsOption: ConnectionsOption

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup var watchOptions: LiveWatchOptions

    func validate() throws {
        try CaptureFilterOption.checkLength(filter)
        if write == nil && (rotateSize != nil || rotateSeconds != nil) {
            throw ValidationError("--rotate-size and --rotate-seconds rotate the files of --write DIR; give --write too")
        }
        if write == nil && writeFormat != nil { throw ValidationError("--write-format is the format of the files of --write DIR; give --write too") }
        try WriteFormatOption.check(write: write, format: writeFormat)
        if let rotateSeconds, rotateSeconds <= 0 { throw ValidationError("--rotate-seconds must be at least 1") }
        if packets == 0 { throw ValidationError("--packets must be at least 1") }
        if snaplen < 64 { throw ValidationError("--snaplen must be at least 64 bytes, to hold the TCP/IP headers over IPv4 (96 hold IPv6's too)") }
        if bufferSize.bytes > UInt64(Int32.max) { throw ValidationError("--buffer-size must be below 2G") }
    }

    func run() throws {
        var auditor = Auditor(policy: try policyOptions.makePolicy(), failOn: outputOptions.failOn,
                              auditTime: try AuditTimeOption.now())
        auditor.deduplicates = deduplicateOption.deduplicate
        auditor.vxlanPorts = vxlanPortOption.vxlanPorts
        var plan = try checkOutputs(asUser: nil)
        var watchTargets = try watchOptions.check(against: plan, inputs: policyOptions.files, asUser: nil)
        let capture = try orExit { try LiveCapture(captureSettings) }
        if let warning = capture.warning { printError("\(interface): \(warning)", label: "warning") }
        if let user {
            try orExit { try UserSwitch.become(user) }
            plan = try checkOutputs(asUser: user)
            watchTargets = try watchOptions.check(against: plan, inputs: policyOptions.files, asUser: user)
        }
        let writer = try write.map { directory in
            try orExit {
                try CaptureWriter(directory: directory, linkType: capture.linkType, snapshotLength: capture.snapshotLength,
                                  rotation: .init(maxBytes: rotateSize?.bytes, maxSeconds: rotateSeconds),
                                  startTime: Int64(Date().timeIntervalSince1970 * 1e9), format: writeFormat ?? .pcapng,
                                  interfaceName: interface, followLink: writeFollowSymlink)
            }
        }
        let watch = try LiveWatch(watchOptions, targets: watchTargets)
        // The metrics scraped are the audit's own traffic, not the cluster's.
        auditor.ownEndpoints = watch.ownEndpoints
        var live = try orExit {
            try LiveAudit(capture: capture, auditor: auditor, writer: writer, listingConnections: connectionsOption.connections)
        }
        watch.start(with: live.status().result!)
        watch.stoppedBy = { [control = live.control] in control.stopSignal }
        let signals = StopSignals.capturing(live.control)
        let statusLine = StatusLine(device: interface)
        printError("capturing on \(interface) (\(capture.linkTypeName)" + (filter.map { ", filter '\($0)'" } ?? "")
            + (write.map { ", writing to \($0)" } ?? "") + "); stop with Ctrl-C", label: "note")
        live.control.startTimers(duration: duration?.seconds, interval: interval.seconds)
        let reason = live.run(packetLimit: packets) { status in
            statusLine.show(status)
            if let result = status.result { watch.update(with: result) }
        }
        signals.writingOutputs()
        var result = live.finish()
        result.record(capturePoint: capturePointOption.point(or: .live(interface: interface)))
        watch.update(with: result, final: true)
        statusLine.end()
        StandardError.noteDroppedUpdates("status lines", while: "the capture")
        let drops = result.coverage.drops?.total ?? 0
        printError("stopped (\(reason)) after \(result.coverage.packets) packets, \(drops) dropped", label: "note")
        // A capture that failed midway is audited up to the failure, like a file cut short
        // (an incomplete-input finding); evidence that could not be kept whole is exit 2.
        CaptureArguments.reportProblems(Array(result.inputs.prefix(1)))
        if let failure = writer?.failure { printError("\(failure); the evidence stops at the last packet written") }
        let own = live.auditor.ownEndpoints.services(of: result)
        if let writer, let input = result.inputs.first,
           let unrecorded = Evidence.unrecorded(input, own: own, recordsDrops: writer.format == .pcapng) {
            printError("--write \(writer.directory): \(unrecorded)", label: "note")
        }
        let removed = writer?.removedFiles ?? []
        for path in removed {
            printError("--write: \(path) was removed during the capture (its directory deleted?): the packets written to it are lost")
        }
        result.evidence = try Evidence(ofLive: result, arguments: ProgramArguments.afterName, auditedAt: auditor.auditTime,
                                       written: writer?.files ?? [], writeFailure: writer?.failure,
                                       packetsWritten: writer?.packetsWritten ?? 0, removed: removed, own: own,
                                       recordsDrops: writer?.format == .pcapng)
        result.evidence?.captureFilter = filter
        if !(try outputOptions.deliver(result, to: plan)) || writer?.failure != nil || !removed.isEmpty || watch.failed {
            throw ExitCode(2)
        }
        withExtendedLifetime(signals) {}
        if !result.summary.compliant { throw ExitCode(1) }
    }

    /// Checks every output and the --write directory before anything is captured, as
    /// root and again as the --user (`asUser`), so a report that cannot be written costs
    /// the command line, not the capture.
    private func checkOutputs(asUser user: String?) throws -> OutputPlan {
        var problems: [String] = []
        if let write {
            do throws(OutputProblem) {
                try EvidenceDirectory.check(write, followLink: writeFollowSymlink)
            } catch {
                problems.append(OutputPlan.describe(error, of: "--write \(write)", asUser: user))
            }
        }
        return try outputOptions.plan(inputs: policyOptions.files, otherProblems: problems, asUser: user)
    }

    private var captureSettings: LiveCapture.Settings {
        var settings = LiveCapture.Settings(device: interface)
        settings.filter = filter
        settings.snapshotLength = snaplen
        settings.bufferSize = Int32(bufferSize.bytes)
        settings.promiscuous = promiscuous
        settings.immediate = immediateMode
        return settings
    }

    /// Runs `body`; an error it throws is printed as it says itself, and the run exits 2.
    private func orExit<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
    }
}
