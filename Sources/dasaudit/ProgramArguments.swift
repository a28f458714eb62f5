import PathBytes

/// The command line, every byte of every argument kept (`PathBytes`). Swift's
/// `CommandLine.arguments` replaces bytes that are not UTF-8 with U+FFFD, so a capture
/// named `cap-M\xFCller.pcap` (a Latin-1 name) became a name no file has, and a report
/// path a file other than the one asked for.
enum ProgramArguments {
    /// The arguments after the program's name.
    static let afterName: [String] = (1..<max(1, Int(CommandLine.argc))).compactMap { index in
        CommandLine.unsafeArgv[index].map { String(pathCString: $0) }
    }
}
