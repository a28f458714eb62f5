import ArgumentParser
import Policy

/// The policy options shared by every command that needs a policy.
struct PolicyOptions: ParsableArguments {
    @Option(name: [.customLong("offset"), .customLong("port-offset")],
            help: ArgumentHelp("The cluster's port offset (carbon.xml <Ports><Offset>, or -DportOffset).",
                               discussion: "Every catalog port except those marked unshifted moves by it. Example: --offset 2 puts the Spark master on 7079.",
                               valueName: "N"))
    var offset: Int = 0

    @Option(help: ArgumentHelp("The Spark mode: local (DAS default), cluster (DAS runs a Spark standalone cluster) or client (external Spark).",
                               valueName: "mode"))
    var mode: SparkMode = .local

    @Option(help: ArgumentHelp("Cores each node gives Spark: the master may use 12000+offset..+N, a worker 12000+offset..+N-1.",
                               valueName: "N"))
    var cores: Int = 1

    @Option(help: ArgumentHelp("Client (ephemeral) port range, used to tell the server of a connection caught mid-stream.",
                               valueName: "LOW-HIGH"))
    var ephemeralRange: String = "32768-60999"

    func makePolicy() throws -> Policy {
        guard let range = PortRange(parsing: ephemeralRange) else {
            throw ValidationError("--ephemeral-range '\(ephemeralRange)' is not a port range like 32768-60999")
        }
        let policy = Policy(offset: offset, mode: mode, coresPerNode: cores, ephemeralRange: range)
        if let problem = policy.validationErrors().first {
            throw ValidationError(problem)
        }
        return policy
    }
}

extension SparkMode: ExpressibleByArgument {}
