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

        Exit codes: 0 compliant; 1 findings at or above --fail-on; 2 a result that cannot be \
        read or has no connections section, an output that cannot be written or is an input \
        (checked before anything is read), or a usage error.
        """
    )

    @Argument(help: ArgumentHelp("JSON results of 'dasaudit audit --connections --format json' ('-' for standard input, once).", valueName: "result"))
    var results: [String]

    @OptionGroup var policyOptions: PolicyOptions

    @Option(help: ArgumentHelp("Seconds the nodes' clocks may differ by, for connections whose handshake a capture point missed "
                                   + "(with it, the client's initial sequence number matches them whatever the clocks).", valueName: "seconds"))
    var skew: Double = 2

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        if results.isEmpty { throw ValidationError("give at least one JSON result") }
        try CaptureArguments.validateStandardInputOnce(results)
        if !(skew >= 0 && skew <= 3600) { throw ValidationError("--skew must be between 0 and 3600 seconds") }
    }

    func run() throws {
        let results = CaptureArguments.readOnce(self.results)
        let plan = try outputOptions.plan(inputs: results + policyOptions.files)
        let parsed = try results.map(SavedResult.read)
        // Without a policy option, the policy the results share (docs/merge.md).
        let policy = policyOptions.givesAny ? try policyOptions.makePolicy() : try AuditResult.sharedPolicy(of: parsed, names: results)
        if !policyOptions.givesAny { printError("no policy option: merging under the results' own policy (\(parsed[0].policy.brief))", label: "note") }
        let auditor = Auditor(policy: policy, failOn: outputOptions.failOn)
        for (path, result) in zip(results, parsed) where !result.policy.hasSameSettings(as: auditor.policy) {
            printError("\(path) was audited under another policy (offset \(result.policy.offset), mode \(result.policy.mode.rawValue), "
                + "cores \(result.policy.cores)); its connections are audited again under this one", label: "note")
        }
        // Windows of one node audited without --capture-point are different points to merge.
        let namedAfterFiles = parsed.compactMap { $0.capturePoints?.first { $0.basis == .fileName }?.name }
        if namedAfterFiles.count > 1 {
            printError("\(namedAfterFiles.count) results have capture points named after their files (\(namedAfterFiles.prefix(3).joined(separator: ", "))"
                + "\(namedAfterFiles.count > 3 ? ", ..." : "")): merged as different capture points; time windows of one node are "
                + "joined only when audited with one --capture-point", label: "note")
        }
        let result: AuditResult
        do {
            result = try ResultMerger(skew: Int64(skew * 1e9)).mergedResult(
                of: parsed, names: results, auditor: auditor, arguments: Array(CommandLine.arguments.dropFirst()))
        } catch let error as ResultMerger.MergeError {
            printError("\(error)")
            throw ExitCode(2)
        }
        if !(try outputOptions.deliver(result, to: plan)) { throw ExitCode(2) }
        if !result.summary.compliant { throw ExitCode(1) }
    }
}
