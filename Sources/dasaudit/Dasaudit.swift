import ArgumentParser
import Audit
import CaptureEngine
import Foundation
import PcapKit
import Policy
import Reports

struct Dasaudit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dasaudit",
        abstract: "Audit a WSO2 DAS / Apache Spark cluster's TCP traffic against the ports it should use.",
        discussion: """
        Start with:
          dasaudit ports --offset 2 --mode cluster --cores 2      what should be open
          dasaudit audit capture.pcap --offset 2 --mode cluster  what the capture shows

        Exit codes: 0 compliant, 1 findings at or above --fail-on, 2 usage or input error.
        """,
        version: VersionText.render(version: DasauditVersion.current, commit: DasauditVersion.commit, libpcap: PcapLibrary.version),
        subcommands: [AuditCommand.self, DiffCommand.self, InferCommand.self, MergeCommand.self, FlowsCommand.self, LiveCommand.self, InterfacesCommand.self, PortsCommand.self, RenderCommand.self,
                      ProfilesCommand.self]
    )

    /// Runs the command line; usage errors exit 2 (argument-parser's default is 64).
    static func runMain() {
        // Before anything opens a descriptor, which would take a closed one's number.
        StandardStreams.reserveClosed()
        // The Swift runtime reads the arguments through /proc on Linux: without it mounted (a
        // chroot, a sandbox) it hands over none, and an empty command line would print the
        // help and exit 0, which a CI gate reads as compliant. A real exec always passes at
        // least the program's name.
        guard CommandLine.argc > 0 else {
            printError("cannot read its own command line: the Swift runtime reads it from /proc, which is not "
                       + "mounted here (mount it in the chroot or sandbox: mount -t proc proc /proc)")
            Foundation.exit(2)
        }
        if let problem = DescriptorLimit.ensure() {
            printError(problem)
            Foundation.exit(2)
        }
        LargeAllocations.returnToSystemWhenFreed()
        ProgramSignals.set()
        if let problem = unknownHelpTopic(ProgramArguments.afterName) {
            printError(problem)
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot(ProgramArguments.afterName)
            try command.run()
            if StandardError.lostMessages { Foundation.exit(2) }
        } catch let error as PolicyError {
            printError("\(error)")
            Foundation.exit(2)
        } catch {
            let code = exitCode(for: error)
            if code.rawValue == ExitCode.validationFailure.rawValue {
                // The usage text has real line breaks; what it quotes from the arguments
                // (a file name from a hostile directory, say) is escaped line by line.
                let lines = fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false)
                let message = lines.map { String($0).terminalEscaped }.joined(separator: "\n")
                StandardError.write(message + "\n")
                Foundation.exit(2)
            }
            // Messages lost outrank findings, as a report not written does.
            if StandardError.lostMessages && code == .failure { Foundation.exit(2) }
            if code == .success, case let text = fullMessage(for: error), !text.isEmpty {
                Foundation.exit(printCleanExit(text))
            }
            exit(withError: error)
        }
    }

    /// Prints what argument-parser's clean exits print on standard output (the help, the
    /// version, a completion script) as every output is written: a write that fails (a
    /// full disk under `> /etc/bash_completion.d/dasaudit`, `/dev/full`) is said and is
    /// exit 2, where argument-parser's own `print` exited 0 and left the file cut short.
    /// Returns the exit code.
    static func printCleanExit(_ text: String) -> Int32 {
        do {
            try write(text + "\n", to: nil)
            return 0
        } catch {
            return 2
        }
    }

    /// Why `dasaudit help TOPIC...` names no command, or nil. argument-parser shows the
    /// general help for an unknown topic and exits 0, so a typo would look like an answer.
    static func unknownHelpTopic(_ arguments: [String]) -> String? {
        guard arguments.first == "help", arguments.dropFirst().first != "help" else { return nil }  // help help: its own help
        var command: ParsableCommand.Type = Dasaudit.self
        for topic in arguments.dropFirst().prefix(while: { !$0.hasPrefix("-") }) {
            let subcommands = command.configuration.subcommands
            guard let next = subcommands.first(where: { $0._commandName == topic }) else {
                if command != Dasaudit.self { return "help: '\(command._commandName)' has no subcommand '\(topic)'" }
                let names = subcommands.map { $0._commandName }
                return "help: no command '\(topic)'; the commands are \(names.joined(separator: ", "))"
            }
            command = next
        }
        return nil
    }
}
