import XCTest

/// The help of every command, as `dasaudit help COMMAND` prints it on an 80-column
/// terminal: defaults that read like the options, each said once, examples that fit.
final class CommandLineHelpTests: XCTestCase {
    static let commands = ["", "audit", "diff", "infer", "merge", "flows", "live", "interfaces", "ports", "render", "profiles"]

    func help(_ command: String) throws -> String {
        let run = try runDasaudit(["help"] + (command.isEmpty ? [] : [command]), environment: ["COLUMNS": "80"])
        XCTAssertEqual(run.status, 0, "help \(command): \(run.stderr)")
        return run.stdout
    }

    func testDefaultsReadLikeTheOptions() throws {
        let live = try help("live").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  +", with: " ",
                                                                                                    options: .regularExpression)
        XCTAssertTrue(live.contains("(default: 32 MiB)"), live)
        XCTAssertTrue(live.contains("(default: 10s)"), live)
        XCTAssertFalse(live.contains("ByteCount("), live)
        XCTAssertFalse(live.contains("TimeSpan("), live)
    }

    /// `--format json` names the contract each command writes: `diff` named the result's.
    func testTheJSONFormatNamesTheContractItWrites() throws {
        func flat(_ command: String) throws -> String {
            try help(command).replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  +", with: " ", options: .regularExpression)
        }
        XCTAssertTrue(try flat("diff").contains("diff writes dasaudit.diff/1"))
        XCTAssertTrue(try flat("audit").contains("json (the dasaudit.result/1 contract"))
    }

    /// An option that argument-parser gives a `(default: ...)` mentions no default of its own.
    func testNoDefaultIsPrintedTwice() throws {
        for command in Self.commands {
            var blocks: [String] = []
            for line in try help(command).split(separator: "\n") {
                if line.hasPrefix("  -") || line.hasPrefix("  <") || blocks.isEmpty || !line.hasPrefix("   ") {
                    blocks.append("")
                }
                blocks[blocks.count - 1] += line.trimmingCharacters(in: .whitespaces) + " "
            }
            for block in blocks where block.contains("(default: ") {
                XCTAssertEqual(block.lowercased().components(separatedBy: "default").count - 1, 1, "help \(command): \(block)")
            }
        }
    }

    /// Example lines fit 80 columns: argument-parser wraps a longer one, and its second
    /// half starts at the margin, where it no longer reads as part of a command.
    func testExampleLinesFitEightyColumns() throws {
        var examples = 0
        for command in Self.commands {
            var inExamples = false
            for line in try help(command).components(separatedBy: "\n") {
                if line == "Examples:" || line == "Start with:" { inExamples = true; continue }
                if line.isEmpty { inExamples = false }
                guard inExamples else { continue }
                examples += 1
                XCTAssertTrue(line.hasPrefix("  "), "help \(command): an example wrapped: '\(line)'")
                XCTAssertLessThanOrEqual(line.count, 80, "help \(command): '\(line)'")
            }
        }
        XCTAssertGreaterThan(examples, 15)
    }

    /// The README documents these; each shell's script completes the commands.
    func testCompletionScriptsAreGenerated() throws {
        for shell in ["bash", "zsh", "fish"] {
            let run = try runDasaudit(["--generate-completion-script", shell])
            XCTAssertEqual(run.status, 0, "\(shell): \(run.stderr)")
            XCTAssertTrue(run.stdout.contains("ports") && run.stdout.contains("firewall"), shell)
        }
    }

    func testHelpForAnUnknownCommandIsAnError() throws {
        let run = try runDasaudit(["help", "nosuch"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stdout, "")
        XCTAssertEqual(run.stderr, "dasaudit: error: help: no command 'nosuch'; the commands are audit, diff, infer, merge, flows, "
            + "live, interfaces, ports, render, profiles\n")
        let nested = try runDasaudit(["help", "audit", "nosuch"])
        XCTAssertEqual(nested.status, 2)
        XCTAssertEqual(nested.stderr, "dasaudit: error: help: 'audit' has no subcommand 'nosuch'\n")
        XCTAssertEqual(try runDasaudit(["help", "ports"]).status, 0)
        XCTAssertEqual(try runDasaudit(["help", "help"]).status, 0)
    }

    /// The help, the version and the completion scripts written to a disk that is full
    /// (`/dev/full`, the kernel's real disk-full device): exit 2 and the reason, as every
    /// other output. Until December 2026 they exited 0, so the README's install step
    /// `--generate-completion-script bash >/etc/bash_completion.d/dasaudit` on a full /etc
    /// "succeeded" with a script cut at 12 KiB that every new shell then failed to read.
    func testTheHelpVersionAndCompletionScriptsOnAFullDiskAreExitTwo() throws {
        for arguments in [["--generate-completion-script", "bash"], ["--generate-completion-script", "zsh"], ["--version"],
                          ["help", "audit"]] {
            let quoted = ([dasauditBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
            let run = try runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "exec \(quoted) >/dev/full"],
                                     environment: ProcessInfo.processInfo.environment)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("standard output: cannot write: No space left on device"), "\(arguments): \(run.stderr)")
        }
        let script = try runDasaudit(["--generate-completion-script", "bash"])
        XCTAssertEqual(script.status, 0, script.stderr)
        XCTAssertTrue(script.stdout.hasSuffix("complete -o filenames -F _dasaudit dasaudit\n"),
                      "written whole where there is room: \(script.stdout.suffix(200))")
    }
}
