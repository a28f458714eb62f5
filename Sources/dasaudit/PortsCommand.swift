import ArgumentParser
import Foundation
import Policy

struct PortsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ports",
        abstract: "Print the ports the policy expects open.",
        discussion: """
        Lists every catalog port the cluster is expected to open under the offset and mode, \
        with its configuration key, and the allowed executor range.

        Example:
          dasaudit ports --offset 2 --mode cluster --cores 2
        """
    )

    @OptionGroup var policyOptions: PolicyOptions

    @Option(help: ArgumentHelp("Output format: text or json.", valueName: "format"))
    var format: OutputFormat = .text

    func validate() throws { _ = try policyOptions.makePolicy() }

    func run() throws {
        let policy = try policyOptions.makePolicy()
        let openings = policy.expectedEntries.map { entry in
            Opening(port: entry.port(offset: policy.offset), key: entry.key, group: entry.group.rawValue,
                    shifted: entry.shiftedByOffset, normallyBound: entry.normallyBound, summary: entry.summary)
        }.sorted { ($0.port, $0.key) < ($1.port, $1.key) }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            let document = ExpectedPorts(offset: policy.offset, mode: policy.mode.rawValue, cores: policy.coresPerNode,
                                         executorAllowed: "\(policy.executorAllowed)", executorBand: "\(policy.executorBand)",
                                         openings: openings)
            try write(String(decoding: try encoder.encode(document), as: UTF8.self) + "\n", to: nil)
        case .text:
            var lines = ["Expected openings: offset \(policy.offset), mode \(policy.mode.rawValue), \(policy.coresPerNode) core\(policy.coresPerNode == 1 ? "" : "s") per node"]
            let width = openings.map(\.key.count).max() ?? 0
            for opening in openings {
                let key = opening.key + String(repeating: " ", count: width - opening.key.count)
                let group = opening.group + String(repeating: " ", count: 13 - opening.group.count)
                lines.append("  \(String(opening.port).leftPadded(5))  \(key)  \(group)  \(opening.summary)"
                    + (opening.normallyBound ? "" : " [normally unbound]"))
            }
            lines.append("Executor ports allowed: \(policy.executorAllowed) on the Spark master (driver + \(policy.coresPerNode)), "
                + "\(policy.executorAllowed.lowerBound)-\(Int(policy.executorAllowed.upperBound) - 1) on a worker; "
                + "band watched for out-of-range executors: \(policy.executorBand)")
            try write(lines.joined(separator: "\n") + "\n", to: nil)
        }
    }

    struct Opening: Encodable {
        var port: UInt16
        var key: String
        var group: String
        var shifted: Bool
        var normallyBound: Bool
        var summary: String
    }

    struct ExpectedPorts: Encodable {
        var offset: Int
        var mode: String
        var cores: Int
        var executorAllowed: String
        var executorBand: String
        var openings: [Opening]
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
