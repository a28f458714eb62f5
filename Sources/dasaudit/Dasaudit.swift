import ArgumentParser
import Audit
import Foundation
import Policy

struct Dasaudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dasaudit",
        abstract: "Audit a WSO2 DAS / Apache Spark cluster's TCP traffic against the ports it should use.",
        discussion: """
        Start with:
          dasaudit ports --offset 2 --mode cluster --cores 2     what should be open
          dasaudit audit capture.pcap --offset 2 --mode cluster   what the capture shows

        Exit codes: 0 compliant, 1 findings at or above --fail-on, 2 usage or input error.
        """,
        version: DasauditVersion.current,
        subcommands: [AuditCommand.self, MergeCommand.self, FlowsCommand.self, LiveCommand.self, InterfacesCommand.self, PortsCommand.self, RenderCommand.self,
                      ProfilesCommand.self]
    )

    /// Runs the command line; usage errors exit 2 (argument-parser's default is 64).
    static func runMain() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as PolicyError {
            printError("\(error)")
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code.rawValue == ExitCode.validationFailure.rawValue {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
