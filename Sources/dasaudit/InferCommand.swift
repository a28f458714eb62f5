import ArgumentParser
import Audit
import CaptureEngine
import Foundation
import Policy
import Reports
import Wire

/// `dasaudit infer CAPTURE...`: a commented YAML policy drafted from traffic
/// (`PolicyInference`), to review and then audit with (docs/infer.md).
struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Draft a commented YAML policy from captures: profile, offset, mode, cores, nodes and roles.",
        discussion: """
        Reads the captures as 'audit' does, finds the profile and port offset that explain \
        the most server ports, the Spark mode, the cores from the executor ports, and each \
        host's roles from the catalog ports it serves. Hosts whose ports fit another offset, \
        ports nothing explains and the dependencies seen are written as comments. The draft \
        loads with --policy as it is; review it first. See docs/infer.md.

        Examples:
          dasaudit infer capture.pcap --output policy.yaml
          dasaudit audit capture.pcap --policy policy.yaml

        Exit codes: 0 written; 2 an input that cannot be read (the draft is still written \
        from the others, and not at all when none can be read) or an output that cannot be \
        written (checked before reading).
        """
    )

    @Argument(help: CaptureArguments.help)
    var inputs: [String]

    @OptionGroup var filterOption: CaptureFilterOption
    @OptionGroup var vxlanPortOption: VXLANPortOption

    @Option(name: [.short, .long], help: ArgumentHelp("Write the policy to this file instead of standard output (replaced whole, never an input).",
                                                       valueName: "path"))
    var output: String?

    func validate() throws {
        try CaptureArguments.validate(inputs)
    }

    func run() throws {
        let signals = StopSignals.reading(then: "the draft of what was read follows", quitting: "without the draft")
        defer { withExtendedLifetime(signals) {} }
        let paths = CaptureArguments.expand(inputs)
        let plan = try OutputPlan.check(output: output, format: nil, inputs: paths)
        let (inference, result) = Self.infer(paths: paths, filter: filterOption.filter,
                                                 vxlanPorts: vxlanPortOption.vxlanPorts)
        signals.writingOutputs()
        CaptureArguments.reportProblems(result.inputs)
        CaptureArguments.warnOfOverlaps(result.inputs)
        let usable = result.inputs.filter { !$0.isUnusable }
        if usable.isEmpty { throw ExitCode(2) }  // nothing to draft from: no draft
        if result.services.isEmpty {
            printError("no TCP server carried traffic in the captures: the draft holds the defaults only", label: "warning")
        }
        guard write(InferredPolicyYAML.render(inference, inputs: usable.map(\.path)), to: plan.main) else { throw ExitCode(2) }
        printError("offset \(inference.offset) (confidence \(inference.confidenceWord)), mode \(inference.mode.rawValue), "
            + "cores \(inference.cores), \(inference.hosts.count) host\(inference.hosts.count == 1 ? "" : "s")" + (inference.misfits.isEmpty ? ""
                : "; at another offset: " + inference.misfits.map { "\($0.address) (\($0.offset))" }.joined(separator: ", ")),
            label: "note")
        if !inference.clientsNotRead.isEmpty {
            printError("\(inference.clientsNotRead.count) service\(inference.clientsNotRead.count == 1 ? " has" : "s have") more than "
                + "\(PolicyInference.clientsReadPerService) clients; the draft read the lowest addresses of each, and names no "
                + "client above them (listed in the draft)", label: "note")
        }
        if result.inputs.contains(where: \.isUnusable) { throw ExitCode(2) }
    }

    /// Reads `paths` once (on `threads` cores; nil: all), every TCP server endpoint kept
    /// whatever its port, and drafts the policy that fits them; also what was read from
    /// each input. `clientsPerService`: the client addresses of each service read, lowest
    /// first: the draft's bound (`PolicyInference.clientsReadPerService`), so that each node
    /// that used a server is named; the offset alone (`--offset auto`) needs none of them.
    static func infer(paths: [String], filter: String?, vxlanPorts: VXLANPorts, threads: Int? = nil,
                      clientsPerService: Int = PolicyInference.clientsReadPerService) -> (PolicyInference, AuditResult) {
        var auditor = Auditor(policy: Policy(mode: .cluster), failOn: .never)
        auditor.sampleClientsPerService = clientsPerService
        auditor.captureFilter = filter
        auditor.vxlanPorts = vxlanPorts
        let result = auditor.audit(paths: paths, threads: threads)
        return (PolicyInference(services: result.services.map(PolicyInference.Service.init)), result)
    }
}
