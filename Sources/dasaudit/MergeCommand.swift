import ArgumentParser
import Audit
import Flows
import Foundation
import Reports

/// Merges the JSON results of several nodes into one cluster audit under one policy.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the JSON results of several nodes into one cluster audit.",
        discussion: """
        Each node audits its own traffic with '--connections' and ships its JSON result; \
        'merge' folds their connections into one set of services and audits them under the \
        policy given here (the same options as 'audit'; without any, under the policy the \
        results share, refusing results of different policies). A connection cut by two time \
        windows of one capture point is joined; a connection captured at both of its ends \
        (two capture points) is counted once: the same two endpoints and the same client \
        initial sequence number, or, without a captured handshake, times that overlap within \
        --skew. Any grouping and order of merges gives the same result as one merge of all. \
        See docs/merge.md.

        Examples:
          dasaudit audit node1.pcap --connections --format json -o node1.json
          dasaudit merge node1.json node2.json node3.json --offset 2 --mode cluster
          dasaudit merge results/*.json --policy cluster.yaml --format json -o all.json

        A result that cannot be read (not JSON, cut short, another schema, a value no audit \
        writes) or has no connections section is named in the merged result with the reason, \
        the others merged without it, and the exit code is 2; results that cannot be merged \
        together (different policies without a policy option, one capture point's captures of \
        the same time, one capture in two results) are refused, exit 2, nothing written.

        Exit codes: 0 compliant; 1 findings at or above --fail-on; 2 a result that cannot be \
        read or has no connections section (the others merged and written), results that \
        cannot be merged together, none readable, an output that cannot be written or is an \
        input (checked before anything is read), or a usage error.
        """
    )

    @Argument(help: ArgumentHelp("JSON results of 'dasaudit audit --connections --format json' ('-' for standard input, once).", valueName: "result"))
    var results: [String]

    @OptionGroup var policyOptions: PolicyOptions

    // Unconditional, as every numeric option: `--skew -1` reaches the range check.
    @Option(name: .customLong("skew"), parsing: .unconditional,
            help: ArgumentHelp("Seconds the nodes' clocks may differ by, for connections whose handshake a capture point missed "
                                   + "(with it, the client's initial sequence number matches them whatever the clocks).", valueName: "seconds"))
    var skewText = DecimalNumber(2)

    /// `--skew` in seconds.
    var skew: Double { skewText.value }

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        if results.isEmpty { throw ValidationError("give at least one JSON result") }
        try CaptureArguments.validateStandardInputOnce(results)
        if !(0...3600).contains(skew) { throw ValidationError("--skew must be between 0 and 3600 seconds, not \(skewText)") }
    }

    func run() throws {
        let signals = StopSignals.quitting(without: "the merged result")
        defer { withExtendedLifetime(signals) {} }
        let results = CaptureArguments.readOnce(self.results)
        let plan = try outputOptions.plan(inputs: results + policyOptions.files)
        // A result that cannot be read or merged is named in the merged result, the others
        // merged without it, and the exit code is 2 (docs/merge.md, "A result it cannot read").
        var parsed: [AuditResult] = [], names: [String] = [], unreadable: [UnreadableResult] = []
        for path in results {
            switch SavedResult.attempt(path) {
            case .success(let result):
                if let problem = ResultMerger.unmergeableProblem(result, name: path) {
                    unreadable.append(UnreadableResult(path: path, error: problem))
                } else {
                    parsed.append(result)
                    names.append(path)
                }
            case .failure(let problem): unreadable.append(problem)
            }
        }
        for problem in unreadable { printError(problem.error) }
        if parsed.isEmpty {
            printError("no result could be merged: nothing to write")
            throw ExitCode(2)
        }
        if !unreadable.isEmpty {
            printError("merging the other \(parsed.count) result\(parsed.count == 1 ? "" : "s") without "
                + "\(unreadable.count == 1 ? "it" : "those \(unreadable.count)"): the merged result names "
                + "\(unreadable.count == 1 ? "it" : "them") as an input that could not be read, and is not compliant", label: "note")
        }
        // Without a policy option, the policy the results share (docs/merge.md).
        let policy = policyOptions.givesAny ? try policyOptions.makePolicy() : try AuditResult.sharedPolicy(of: parsed, names: names)
        if !policyOptions.givesAny { printError("no policy option: merging under the results' own policy (\(parsed[0].policy.brief))", label: "note") }
        let auditor = Auditor(policy: policy, failOn: outputOptions.failOn, auditTime: try AuditTimeOption.now())
        for (path, result) in zip(names, parsed) where !result.policy.hasSameSettings(as: auditor.policy) {
            printError("\(path) was audited under another policy (offset \(result.policy.offset), mode \(result.policy.mode.rawValue), "
                + "cores \(result.policy.cores)); its connections are audited again under this one", label: "note")
        }
        let result: AuditResult, observations: MergeObservations
        do {
            (result, observations) = try ResultMerger(skew: Int64(skew * 1e9)).mergedResult(
                of: parsed, names: names, unreadable: unreadable, auditor: auditor, arguments: ProgramArguments.afterName)
        } catch let error as ResultMerger.MergeError {
            printError("\(error)")
            throw ExitCode(2)
        }
        // Windows of one node audited without --capture-point are different points to merge
        // (results that share a point's name are its windows: ResultMerger.refuseSharedPoints).
        let namedAfterFiles = Set(parsed.compactMap { $0.capturePoints?.first { $0.basis == .fileName }?.name }).sorted()
        if namedAfterFiles.count > 1 {
            printError("\(namedAfterFiles.count) capture points are named after their files (\(namedAfterFiles.prefix(3).joined(separator: ", "))"
                + "\(namedAfterFiles.count > 3 ? ", ..." : "")): merged as different capture points; time windows of one node are "
                + "joined only when audited with one --capture-point", label: "note")
        }
        for (point, inputs) in NoTraffic.silentPoints(of: result.inputs) {
            printError(NoTraffic.pointMessage(point, inputs: inputs) + " (a no-traffic finding)", label: "note")
        }
        printNotes(observations, countedLow: result.coverage.connectionsCountedLow ?? 0)
        if !(try outputOptions.deliver(result, to: plan)) || !unreadable.isEmpty { throw ExitCode(2) }
        if !result.summary.compliant { throw ExitCode(1) }
    }

    /// The `--skew` that matches connections across a clock offset of `offsetSeconds`: the
    /// offset and the default's tolerance on top (not the `--skew` given: with 32 given and
    /// a 45 s offset, 47 is enough, not 77).
    static func skewMatching(offsetSeconds: Double) -> Int {
        Int((offsetSeconds + Double(ResultMerger.defaultSkew) / 1e9).rounded())
    }

    /// What the matching learnt (docs/merge.md): the clocks' offsets, which the result
    /// cannot show, and the connections whose counts are lower bounds
    /// (`coverage.connections_counted_low`, which every report states too).
    func printNotes(_ observations: MergeObservations, countedLow low: UInt64) {
        let nanoseconds = Int64(skew * 1e9), offsets = observations.clockOffsets(beyond: nanoseconds)
        // Offsets that moved the windows compared (within --skew, at most 2 s, once taken out).
        let corrected = !observations.clockOffsets(beyond: min(nanoseconds, ResultMerger.defaultSkew)).isEmpty
        if low > 0 {
            printError("\(low) connection\(low == 1 ? " was" : "s were") seen at two capture points whose windows each reach "
                + "past the other's (one started capturing later, the other stopped earlier"
                + (corrected ? "; compared with the clocks' offsets, measured from the handshakes both ends saw, taken out" : "") + "): "
                + "their packet and byte counts, the larger sighting's, are a lower bound", label: "note")
        }
        for offset in offsets {
            let seconds = Double(offset.nanoseconds.magnitude) / 1e9
            let (ahead, behind) = offset.nanoseconds > 0 ? (offset.second, offset.first) : (offset.first, offset.second)
            printError("capture point \(ahead)'s clock is \(String(format: "%.1f", seconds)) s ahead of \(behind)'s (the median "
                + "over \(offset.connections) connection\(offset.connections == 1 ? "" : "s") both saw the handshake of): connections "
                + "either saw without one are matched within --skew \(String(format: "%g", skew)) s only; give --skew "
                + "\(Self.skewMatching(offsetSeconds: seconds))", label: "note")
        }
    }
}
