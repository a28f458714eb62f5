import ArgumentParser
import Audit
import Foundation
import Metrics
import PcapKit
import Reports
import Wire

/// What `dasaudit live` offers to watch a capture from outside while it runs: Prometheus
/// metrics over HTTP (`--metrics-listen`) or as a node_exporter textfile
/// (`--metrics-file`), and an NDJSON event stream (`--events`). docs/live.md, docs/events.md.
struct LiveWatchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Serve Prometheus metrics at http://ADDR:PORT/metrics while capturing; PORT alone listens on "
                                   + "127.0.0.1, [::1]:PORT on IPv6 loopback, 0.0.0.0:PORT everywhere. Updated every --interval.",
                               valueName: "addr:port"))
    var metricsListen: String?

    @Option(help: ArgumentHelp("Write the same metrics to this file every --interval (a temporary file renamed over it), "
                                   + "for node_exporter's textfile collector.", valueName: "path"))
    var metricsFile: String?

    @Option(help: ArgumentHelp("Write events as NDJSON to this file (appended to) or '-' for standard output: new-service, "
                                   + "finding, capture-loss (docs/events.md). Noticed every --interval.", valueName: "path"))
    var events: String?

    @Flag(help: "With --events, also write a snapshot event (the counts so far) every --interval.")
    var eventSnapshots = false

    func validate() throws {
        if let metricsListen, ListenAddress(metricsListen) == nil {
            throw ValidationError("--metrics-listen '\(metricsListen)' is not ADDR:PORT with a numeric address "
                + "(127.0.0.1:9464, [::1]:9464) or a PORT alone")
        }
        if eventSnapshots && events == nil { throw ValidationError("--event-snapshots adds to the --events stream; give --events too") }
    }

    /// The outputs these options add, checked like the reports (`OutputTarget`) and against
    /// them and `inputs`; every problem printed, and exit 2. `asUser` names the `--user`.
    func check(against plan: OutputPlan, inputs: [String], asUser user: String?) throws -> (metricsFile: OutputTarget?, events: OutputTarget?) {
        var problems: [String] = []
        func target(_ label: String, _ path: String?) -> OutputConflicts.Output? {
            guard let path else { return nil }
            do throws(OutputProblem) {
                return OutputConflicts.Output(label: label, target: try OutputTarget.checking(path))
            } catch {
                problems.append(OutputPlan.describe(error, of: label, asUser: user))
                return nil
            }
        }
        let metrics = target("--metrics-file \(metricsFile ?? "")", metricsFile)
        let eventOutput = target("--events \(events ?? "")", events)
        let planned = [plan.main] + plan.reports.map(\.destination)
        problems += OutputConflicts.find(outputs: planned.map { OutputConflicts.Output(label: $0.label, target: $0.target) }
                                             + [metrics, eventOutput].compactMap { $0 }, inputs: inputs)
        for problem in problems { printError(problem) }
        if !problems.isEmpty { throw ExitCode(2) }
        return (metrics?.target, eventOutput?.target)
    }
}

/// The watchers of one live run, fed every audit of the capture so far: the metrics server
/// and file, and the event stream. The event stream that fails (a full disk, a reader gone)
/// is reported once and stops, since a lost event cannot be told again; the capture goes
/// on, and the run exits 2 at the end. The metrics file is whole again with any later
/// update, so a failed one is reported once, tried again every interval (its recovery
/// said once too), and only a failed final update makes the run exit 2.
final class LiveWatch {
    private let server: MetricsServer?
    private let metricsFile: OutputTarget?
    private var eventStream: AppendStream?
    /// The signal that stopped the capture, once one did: it ends a write of events that
    /// waits on a reader taking nothing (`AppendStream.write`), as a signal ends the wait
    /// of any output once the capture is over (`OutputStop`).
    var stoppedBy: (@Sendable () -> String?)?
    private var tracker: LiveEventTracker
    private var metricsFileFailed = false
    /// Whether a watcher failed during the run.
    private(set) var failed = false

    init(_ options: LiveWatchOptions, targets: (metricsFile: OutputTarget?, events: OutputTarget?)) throws {
        tracker = LiveEventTracker(snapshots: options.eventSnapshots)
        metricsFile = targets.metricsFile
        if let events = targets.events {
            do throws(OutputFile.Failure) {
                eventStream = try AppendStream(events)
            } catch {
                printError("--events: \(error)")
                throw ExitCode(2)
            }
        }
        if let listen = options.metricsListen.flatMap(ListenAddress.init) {
            do {
                let server = try MetricsServer(address: listen)
                printError("serving metrics at http://\(server.address)/metrics", label: "note")
                self.server = server
            } catch {
                printError("--metrics-listen: \(error)")
                throw ExitCode(2)
            }
        } else {
            server = nil
        }
    }

    /// What the watchers serve themselves, for the auditor to leave unjudged
    /// (`OwnEndpoints`): the metrics listener, on the host's interface addresses when it
    /// listens on every address.
    var ownEndpoints: OwnEndpoints {
        var own = OwnEndpoints()
        if let address = server?.address {
            own.add(host: address.host, port: address.port, localAddresses: {
                HostAddresses.current().compactMap(IPAddress.init)
            }, reason: "dasaudit's own metrics endpoint (--metrics-listen)")
        }
        return own
    }

    /// Starts serving (after the capture is open and root is given up).
    func start(with result: AuditResult) {
        server?.update(PrometheusExposition.render(result))
        server?.start()
    }

    /// Feeds the audit of the capture so far (`final`: of the whole capture).
    func update(with result: AuditResult, final: Bool = false) {
        let exposition = server != nil || metricsFile != nil ? PrometheusExposition.render(result) : ""
        server?.update(exposition)
        if let metricsFile {
            do throws(OutputFile.Failure) {
                try OutputFile.write(exposition, to: metricsFile)
                if metricsFileFailed {
                    printError("--metrics-file: \(metricsFile.path ?? "") is written again", label: "note")
                    metricsFileFailed = false
                }
            } catch {
                if final {
                    printError("--metrics-file: \(error); it does not hold the final metrics")
                    failed = true
                } else if !metricsFileFailed {
                    printError("--metrics-file: \(error); tried again every --interval")
                }
                metricsFileFailed = true
            }
        }
        if let stream = eventStream {
            let lines = tracker.events(in: result, final: final).map { JSONInvisibles.escaped($0.line) }.joined()
            guard !lines.isEmpty else { return }
            do throws(OutputFile.Failure) {
                // A reader that takes nothing must not hold the capture past its stop, nor
                // the final audit: the signal that stopped the capture ends the wait.
                try stream.write(lines, stoppedBy: stoppedBy)
            } catch {
                printError("--events: \(error); no more events are written")
                eventStream = nil
                failed = true
            }
        }
    }
}
