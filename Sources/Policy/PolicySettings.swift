import Protocols

/// What one source says about the policy: the built-in profile, a policy file, a DAS
/// installation, the command line. Nil (or empty) means "not said", so sources layer:
/// profile < policy file < DAS installation < command-line options.
public struct PolicySettings: Sendable {
    public var profile: String?
    public var offset: Int?
    public var mode: SparkMode?
    public var cores: Int?
    public var groups: Set<CatalogGroup>?
    public var ephemeralRange: PortRange?
    public var portRetries: Int?
    /// Catalog keys moved to another base port (`spark.ui.port 4050` in spark-defaults.conf).
    public var basePorts: [String: UInt16] = [:]
    /// Deployment features said to be on or off (event-processor.xml's HA mode, or the
    /// policy file's `features`); a feature not said stays unknown.
    public var features: [DeploymentFeature: Bool] = [:]
    /// Catalog keys the installation says its node never binds although their feature is
    /// on: an HA worker binds no `ha.presenter.port` (event-processor.xml's `<nodeType>`).
    public var unboundKeys: Set<String> = []
    public var dependencies: [Dependency]?
    public var allowedPorts: [UInt16: String] = [:]
    /// The protocols allowed ports must speak, where stated (see `Policy.allowedProtocols`).
    public var allowedProtocols: [UInt16: ProtocolName] = [:]
    public var nodes: [Node]?
    /// The external Spark cluster's addresses, in mode `client` (`Policy.externalCluster`).
    public var externalCluster: [AddressPattern]?
    /// How Hazelcast members find each other (`Policy.hazelcastMembership`): the policy
    /// file's `membership:` and `multicast_port:`, or axis2.xml.
    public var hazelcastMembership: HazelcastMembership?
    public var waivers: [Waiver] = []
    /// The `scan:` section: when attempts are a port scan.
    public var scanThresholds: ScanThresholds?
    /// Port-like keys a DAS installation's files set that dasaudit does not read, in file
    /// order: noted on standard error and recorded in the result, never applied.
    public var ignoredSettings: [IgnoredSetting] = []
    /// What a DAS installation's files make the node do that dasaudit reads a particular
    /// way (`InstallationNote`): said on standard error, never a setting of their own.
    public var installationNotes: [InstallationNote] = []
    /// Where each field was said, keyed by its policy-file name (`offset`, `ports.KEY`,
    /// `allow.PORT`); a field without an origin came from code.
    public var origins: [String: SettingOrigin] = [:]

    public init() {}

    /// This with everything `other` says on top.
    public func overlaid(with other: PolicySettings) -> PolicySettings {
        var result = self
        result.profile = other.profile ?? profile
        result.offset = other.offset ?? offset
        result.mode = other.mode ?? mode
        result.cores = other.cores ?? cores
        result.groups = other.groups ?? groups
        result.ephemeralRange = other.ephemeralRange ?? ephemeralRange
        result.portRetries = other.portRetries ?? portRetries
        result.basePorts.merge(other.basePorts) { _, new in new }
        result.features.merge(other.features) { _, new in new }
        result.unboundKeys.formUnion(other.unboundKeys)
        result.dependencies = other.dependencies ?? dependencies
        // An entry replaces the earlier source's entry for its port whole: a later entry
        // without a protocol leaves the port unchecked rather than keeping the old protocol.
        for port in other.allowedPorts.keys {
            result.allowedPorts[port] = other.allowedPorts[port]
            result.allowedProtocols[port] = other.allowedProtocols[port]
        }
        result.nodes = other.nodes ?? nodes
        result.externalCluster = other.externalCluster ?? externalCluster
        result.hazelcastMembership = other.hazelcastMembership ?? hazelcastMembership
        result.waivers += other.waivers
        result.scanThresholds = other.scanThresholds ?? scanThresholds
        result.ignoredSettings += other.ignoredSettings
        result.installationNotes += other.installationNotes
        result.origins.merge(other.origins) { _, new in new }
        return result
    }

    /// The fields both this and `other` set to different values, which `overlaid(with:)`
    /// takes from `other`.
    public func overrides(by other: PolicySettings) -> [PolicyOverride] {
        var fields: [(String, String?, String?)] = [
            ("profile", profile, other.profile),
            ("offset", offset.map(String.init), other.offset.map(String.init)),
            ("mode", mode?.rawValue, other.mode?.rawValue),
            ("cores", cores.map(String.init), other.cores.map(String.init)),
            ("expect", groups.map(Self.text), other.groups.map(Self.text)),
            ("ephemeral_range", ephemeralRange?.description, other.ephemeralRange?.description),
            ("port_retries", portRetries.map(String.init), other.portRetries.map(String.init)),
            ("nodes", nodes.map { $0.map(\.name).joined(separator: ",") }, other.nodes.map { $0.map(\.name).joined(separator: ",") }),
        ]
        for feature in DeploymentFeature.allCases {
            fields.append(("features.\(feature.rawValue)", features[feature].map(Self.text), other.features[feature].map(Self.text)))
        }
        fields.append(("dependencies", dependencies.map(Self.text), other.dependencies.map(Self.text)))
        fields.append(("external_cluster", externalCluster.map(Self.text), other.externalCluster.map(Self.text)))
        fields.append(("membership", hazelcastMembership?.description, other.hazelcastMembership?.description))
        for key in basePorts.keys.sorted() { fields.append(("ports.\(key)", basePorts[key].map(String.init), other.basePorts[key].map(String.init))) }
        for port in allowedPorts.keys.sorted() {
            fields.append(("allow.\(port)", allowed(port)?.description, other.allowed(port)?.description))
        }
        return fields.compactMap { field, old, new in
            guard let old, let new, old != new else { return nil }
            return PolicyOverride(field: field, value: new, origin: other.origins[field],
                                  replacedValue: old, replacedOrigin: origins[field])
        }
    }

    private static func text(_ groups: Set<CatalogGroup>) -> String { groups.map(\.rawValue).sorted().joined(separator: ",") }
    private static func text(_ on: Bool) -> String { on ? "on" : "off" }
    private static func text(_ dependencies: [Dependency]) -> String { dependencies.map(\.name).joined(separator: ",") }
    private static func text(_ addresses: [AddressPattern]) -> String { addresses.map(\.description).joined(separator: ",") }

    /// The policy these settings describe, or the reasons they cannot be one.
    public func makePolicy() throws -> Policy {
        let name = profile ?? Profile.default.name
        guard let profile = Profile.named(name) else {
            let suggestion = EditDistance.suggestion(for: name, among: Profile.all.map(\.name))
            throw (origins["profile"] ?? SettingOrigin(source: "profile")).error("unknown profile '\(name.escapedForMessage)'; "
                + suggestion + "the built-in profiles are " + Profile.all.map(\.name).joined(separator: ", "))
        }
        var policy = Policy(
            profile: profile, offset: offset ?? 0, mode: mode, coresPerNode: cores ?? 1, groups: groups,
            ephemeralRange: ephemeralRange ?? .linuxEphemeral, portRetries: portRetries ?? 16,
            allowedPorts: allowedPorts, nodes: nodes ?? [], waivers: waivers, features: features,
            dependencies: dependencies ?? [])
        policy.allowedProtocols = allowedProtocols
        if let externalCluster {
            // Said for any other mode, it would limit nothing: no executor calls a driver back.
            guard policy.mode == .client else {
                throw (origins["external_cluster"] ?? SettingOrigin(source: "external_cluster")).error(
                    "external_cluster is for mode client, where the executors run on an external Spark cluster and call "
                    + "the driver back; the mode is \(policy.mode.rawValue)")
            }
            policy.externalCluster = externalCluster
        }
        if let hazelcastMembership { policy.hazelcastMembership = hazelcastMembership }
        policy.unboundKeys = unboundKeys
        policy.ignoredSettings = ignoredSettings
        if let scanThresholds { policy.scanThresholds = scanThresholds }
        // A UI's HTTPS port follows the UI's (moveBasePort) unless set itself: set after it.
        let order = { (key: String) in (SparkHTTPSPorts.isConnectorKey(key) ? 1 : 0, key) }
        for (key, port) in basePorts.sorted(by: { order($0.key) < order($1.key) }) {
            // A UI's HTTPS port under a Spark 1.x profile (das-3.x): Spark 1.x has none to move.
            if SparkHTTPSPorts.isConnectorKey(key), !policy.catalog.contains(where: { SparkHTTPSPorts.isConnectorKey($0.key) }) {
                continue
            }
            guard policy.catalog.contains(where: { $0.key == key }) else {
                let origin = origins["ports.\(key)"] ?? SettingOrigin(source: "ports")
                let suggestion = EditDistance.suggestion(for: key, among: policy.catalog.map(\.key))
                throw origin.error("'\(key.escapedForMessage)' is not a catalog key of profile \(profile.name); \(suggestion)"
                    + "expected one of " + policy.catalog.map(\.key).joined(separator: ", "))
            }
            policy.moveBasePort(of: key, to: port)
        }
        if let problem = policy.coresProblem {
            throw (origins["cores"] ?? SettingOrigin(source: "cores")).error(problem)
        }
        if let problem = policy.offsetProblem {
            throw (origins["offset"] ?? SettingOrigin(source: "offset")).error(problem)
        }
        if let problem = policy.validationErrors().first {
            throw PolicyError(source: "policy", message: problem)
        }
        return policy
    }
}

extension Policy {
    /// Moves a catalog entry to another base port; a web UI's HTTPS connector follows its
    /// UI (port + 400, `SparkHTTPSPorts`), and the Spark 1.6 driver actor system and the
    /// cluster-deploy-mode driver follow `spark.driver.port` (each binds driver port + 1, or
    /// any free port when the driver port is 0: `SparkEnv`, `DriverWrapper`). The shuffle
    /// service's port, Spark's unshifted 7337 while no configuration sets it, is shifted by
    /// the offset once set, as DAS shifts every `spark.*.port` its file sets
    /// (`Catalog.shuffleService`).
    public mutating func moveBasePort(of key: String, to port: UInt16) {
        for index in catalog.indices where catalog[index].key == key {
            catalog[index].basePort = port
            if key == Catalog.shuffleServiceKey { catalog[index].shiftedByOffset = true }
        }
        for connector in SparkHTTPSPorts.connectors where connector.uiKey == key {
            moveBasePort(of: connector.key, to: SparkHTTPSPorts.derivedPort(from: port))
        }
        if key == "spark.driver.port" {
            let next: UInt16 = port == 0 ? 0 : UInt16(clamping: Int(port) + 1)
            moveBasePort(of: "sparkDriverActorSystem", to: next)
            moveBasePort(of: Catalog.clusterDeployDriverKey, to: next)
        }
    }
}

/// A policy source that cannot be used: where (a file and line, or an option) and why.
public struct PolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file path, or the name of the setting.
    public var source: String
    public var line: Int?
    public var message: String

    public init(source: String, line: Int? = nil, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }

    public var description: String {
        line.map { "\(source):\($0): \(message)" } ?? "\(source): \(message)"
    }
}
