import ArgumentParser
import Policy

/// The policy options shared by every command that needs a policy. Sources layer, later
/// winning: the profile, `--policy FILE`, `--das-home DIR`, then the single options
/// (`--offset` wins over carbon.xml, as `-DportOffset` does in DAS).
struct PolicyOptions: ParsableArguments {
    @Option(name: .customLong("policy"),
            help: ArgumentHelp("A YAML policy file: profile, offset, mode, cores, nodes and roles, allowed ports, waivers (docs/policy.md).",
                               valueName: "file"))
    var policyFile: String?

    @Option(help: ArgumentHelp("A built-in profile: das (default), das-3.0, das-3.1, das-3.2, spark. See `dasaudit profiles`.",
                               valueName: "name"))
    var profile: String?

    @Option(help: ArgumentHelp("A DAS installation to read the offset, Spark mode, cores and ports from (carbon.xml, spark-defaults.conf, event-processor.xml).",
                               valueName: "dir"))
    var dasHome: String?

    // Unconditional: `--offset -1` reaches the range check (and its message) instead of
    // being taken for an unknown option.
    @Option(name: [.customLong("offset"), .customLong("port-offset")], parsing: .unconditional,
            help: ArgumentHelp("The cluster's port offset (carbon.xml <Ports><Offset>, or -DportOffset), or auto (audit only: "
                                   + "the offset the captures fit best, as 'dasaudit infer' finds it). Default 0.",
                               discussion: "Every catalog port except those marked unshifted moves by it. Example: --offset 2 puts the Spark master on 7079.",
                               valueName: "N"))
    var offset: OffsetOption?

    @Option(help: ArgumentHelp("The Spark mode: local (DAS default), cluster (DAS runs a Spark standalone cluster) or client (external Spark).",
                               valueName: "mode"))
    var mode: SparkMode?

    // Unconditional too, as every numeric option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Cores each node gives Spark (default 1): the master may use 12000+offset..+N, a worker 12000+offset..+N-1.",
                               valueName: "N"))
    var cores: Int?

    @Option(help: ArgumentHelp("Client (ephemeral) port range, used to tell the server of a connection caught mid-stream. Default 32768-60999.",
                               valueName: "LOW-HIGH"))
    var ephemeralRange: String?

    @Option(name: .customLong("allow"),
            help: ArgumentHelp("Allow a port beyond the catalog, with the reason (repeatable). Example: --allow '22:operator ssh'.",
                               valueName: "port:reason"))
    var allowedPorts: [String] = []

    /// The policy all sources describe; throws a `PolicyError` naming the bad source.
    /// Where a later source overrides a field an earlier one set, a note on standard
    /// error says which value won ("offset 2 from --offset overrides 5 from policy.yaml:3"),
    /// unless `notes` is false (a second call for the same command line); so does one for
    /// each port-like key of `--das-home` that dasaudit does not read.
    /// `autoOffset` is the offset `--offset auto` stands for, found from the captures.
    func makePolicy(notes: Bool = true, autoOffset: Int? = nil) throws -> Policy {
        var sources: [PolicySettings] = []
        let policyFileSettings = try policyFile.map { try PolicyFile.load(path: $0) }
        if let policyFileSettings { sources.append(policyFileSettings) }
        let commandLine = try commandLineSettings(autoOffset: autoOffset)
        if let dasHome {
            // The offset the node runs with: --offset (-DportOffset) over carbon.xml's, and a
            // policy file's for a carbon.xml placeholder (DASInstallation.read).
            let installation = try DASInstallation.read(home: dasHome, commandLineOffset: commandLine.offset,
                                                        policyFileOffset: policyFileSettings?.offset)
            // Each port-like key the installation sets and dasaudit does not read, said
            // rather than dropped: its port is not expected, whatever the file pins.
            if notes { for ignored in installation.ignoredSettings { printError("\(ignored)", label: "note") } }
            // And how it read what the node does beyond the catalog (InstallationNote).
            if notes { for note in installation.installationNotes { printError("\(note)", label: "note") } }
            sources.append(installation)
        }
        sources.append(commandLine)
        var settings = PolicySettings()
        for source in sources {
            if notes { for override in settings.overrides(by: source) { printError("\(override)", label: "note") } }
            settings = settings.overlaid(with: source)
        }
        return try settings.makePolicy()
    }

    private func commandLineSettings(autoOffset: Int?) throws -> PolicySettings {
        var settings = PolicySettings()
        settings.profile = profile
        switch offset {
        case .number(let value): settings.offset = value
        case .auto:
            guard let autoOffset else {
                throw PolicyError(source: "--offset", message: "auto is found from captures, so only 'audit' takes it; give a number")
            }
            settings.offset = autoOffset
        case nil: break
        }
        settings.mode = mode
        settings.cores = cores
        let given = [("profile", "--profile", profile != nil), ("offset", "--offset", offset != nil),
                     ("mode", "--mode", mode != nil), ("cores", "--cores", cores != nil)]
        for (field, option, isGiven) in given where isGiven { settings.origins[field] = SettingOrigin(source: option) }
        if let ephemeralRange {
            guard let range = PortRange(parsing: ephemeralRange) else {
                throw PolicyError(source: "--ephemeral-range", message: "'\(ephemeralRange.escapedForMessage)' is not a port range like 32768-60999")
            }
            settings.ephemeralRange = range
            settings.origins["ephemeral_range"] = SettingOrigin(source: "--ephemeral-range")
        }
        for allowed in allowedPorts {
            let parts = allowed.split(separator: ":", maxSplits: 1)
            if parts.count == 2, !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
               !(1...65535).contains(Int(parts[0]) ?? 0) {
                throw PolicyError(source: "--allow", message: "'\(allowed.escapedForMessage)': port \(parts[0]) is out of range 1-65535")
            }
            guard parts.count == 2, let port = UInt16(parts[0]), port > 0, !parts[1].isEmpty else {
                throw PolicyError(source: "--allow", message: "'\(allowed.escapedForMessage)' is not PORT:REASON, like '22:operator ssh'")
            }
            if let problem = ReasonRules.problem(with: String(parts[1])) { throw PolicyError(source: "--allow", message: problem) }
            if let earlier = settings.allowed(port) {
                throw PolicyError(source: "--allow", message: ("port \(port) is allowed twice, by \(earlier) and by "
                    + "\(AllowedPort(reason: String(parts[1]))); a port takes one --allow").escapedForMessage)
            }
            settings.allowedPorts[port] = String(parts[1])
            settings.origins["allow.\(port)"] = SettingOrigin(source: "--allow")
        }
        return settings
    }
}

/// `--mode Cluster` is `--mode cluster`: choices are accepted in any letter case.
extension SparkMode: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
