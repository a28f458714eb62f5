import Foundation
import Policy
import Protocols

/// The policy a result was audited under, read back from its `policy` section: what
/// `dasaudit merge` audits under when no policy option is given. Merging at the default
/// offset 0 results audited at offset 2 would call every service of the cluster
/// unexpected; asking for the policy again when every result already names the same one
/// is a chance to give the wrong one.
extension AuditResult {
    /// The one policy all `results` (named by `names` in errors) were audited under.
    /// Throws a `PolicyError` when they name different policies (offset, mode, cores,
    /// profile, groups, nodes, allowed ports, waivers, moved base ports, deployment features
    /// or dependencies; `fail_on`, whether a waiver had expired on the day of each audit
    /// and the installations' unread keys do not count), or when the policy cannot be read
    /// back whole. The policy carries every result's unread keys.
    public static func sharedPolicy(of results: [AuditResult], names: [String]) throws -> Policy {
        guard let first = results.first else { throw PolicyError(source: "merge", message: "no result to take a policy from") }
        let reference = try first.policy.comparable()
        for (index, result) in results.enumerated().dropFirst() {
            let other = try result.policy.comparable()
            guard other != reference else { continue }
            let difference = result.policy.brief != first.policy.brief ? "\(result.policy.brief) against \(first.policy.brief)"
                : PolicySummary.differences(other, reference)
            throw PolicyError(source: "merge", message: "\(names[index]) was audited under another policy than \(names[0]) "
                + "(\(difference)); give the policy to merge under (--policy, --offset, --mode, --cores, ...)")
        }
        do {
            var policy = try first.policy.rebuiltPolicy()
            // Every result's unread installation keys, once each: the nodes' files may differ.
            var seen = Set<IgnoredSetting>()
            policy.ignoredSettings = results.flatMap { $0.policy.ignoredSettings }.filter { seen.insert($0).inserted }
            return policy
        } catch let error as PolicyError {
            throw PolicyError(source: names[0], message: "its policy section cannot be audited under again (\(error.message)); "
                + "give the policy to merge under (--policy, --offset, --mode, --cores, ...)")
        }
    }
}

extension PolicySummary {
    /// "offset 2, mode cluster, cores 2, profile das": the settings that differ most often.
    public var brief: String { "offset \(offset), mode \(mode.rawValue), cores \(cores), profile \(profile)" }

    /// The installation keys this section records as unread (`ignored_keys`).
    var ignoredSettings: [IgnoredSetting] {
        (ignoredKeys ?? []).map { IgnoredSetting(key: $0.key, value: $0.value, origin: SettingOrigin(source: $0.file, line: $0.line)) }
    }

    /// The fields in which two sections (`comparable()`) differ, each with its two values
    /// (cut when long, `PolicyChange.shown`): "ephemeral_range 40000-60999 against
    /// 32768-60999". What a refusal names when offset, mode, cores and profile (`brief`) are
    /// equal: the policies differ in another field (allowed ports, waivers, nodes), and
    /// naming only those four showed two equal texts as different policies.
    static func differences(_ section: Data, _ reference: Data) -> String {
        changes(section, reference).map(\.brief).joined(separator: ", ")
    }

    /// The canonical JSON of the section without what depends on the run rather than the
    /// policy: the `--fail-on` threshold, whether waivers had expired on the audit's day and
    /// the installation's unread keys.
    func comparable() throws -> Data {
        // What each node's installation left unread is no part of the policy: results of
        // nodes with their own spark-defaults.conf still merge (as their digests agree).
        var summary = withoutIgnoredKeys
        summary.failOn = .medium
        // Results from before features and dependencies were recorded said none.
        summary.features = features ?? [:]
        summary.dependencies = dependencies ?? []
        for index in summary.waivers.indices { summary.waivers[index].expired = false }
        return try ResultCoding.encoder(canonical: true).encode(summary)
    }

    /// The policy this section describes. Throws a `PolicyError` for a value that names no
    /// policy, or when the policy it gives does not write this section back (a field a
    /// hand-edited section changed, or one an older version did not record).
    public func rebuiltPolicy() throws -> Policy {
        func fail(_ message: String) -> PolicyError { PolicyError(source: "policy", message: message) }
        guard let basePorts else { throw fail("it does not record the moved base ports (base_ports)") }
        var settings = PolicySettings()
        settings.profile = profile
        settings.offset = offset
        settings.mode = mode
        settings.cores = cores
        settings.groups = Set(try groups.map { name in
            guard let group = CatalogGroup(rawValue: name) else { throw fail("unknown group '\(name)'") }
            return group
        })
        guard let ephemeral = PortRange(parsing: ephemeralRange) else { throw fail("ephemeral_range '\(ephemeralRange)' is not a port range") }
        settings.ephemeralRange = ephemeral
        // The band is the executor base plus the larger of spark.port.maxRetries and the cores
        // (a policy without a band, the spark profile's unpinned, keeps the default retries).
        if let executorBand {
            guard let band = PortRange(parsing: executorBand) else { throw fail("executor_band '\(executorBand)' is not a port range") }
            settings.portRetries = min(Int(band.upperBound) - Int(band.lowerBound), 1000)
        }
        settings.allowedPorts = Dictionary(allowedPorts.map { ($0.port, $0.reason) }, uniquingKeysWith: { first, _ in first })
        for allowed in allowedPorts {
            guard let text = allowed.protocol else { continue }
            guard let name = ProtocolName(name: text), name.isRecognized else {
                throw fail("allowed port \(allowed.port): '\(text)' is not a protocol dasaudit recognizes")
            }
            settings.allowedProtocols[allowed.port] = name
        }
        settings.nodes = try nodes.map { node in
            Node(name: node.name,
                 addresses: try node.addresses.map { text in
                     guard let pattern = AddressPattern(text) else { throw fail("node \(node.name): '\(text)' is not an address or CIDR block") }
                     return pattern
                 },
                 roles: Set(try node.roles.map { name in
                     guard let role = NodeRole(rawValue: name) else { throw fail("node \(node.name): unknown role '\(name)'") }
                     return role
                 }))
        }
        settings.externalCluster = try externalCluster.map { list in
            try list.map { text in
                guard let pattern = AddressPattern(text) else { throw fail("external_cluster: '\(text)' is not an address or CIDR block") }
                return pattern
            }
        }
        settings.waivers = try waivers.map { waiver in
            guard let expires = Day(waiver.expires) else { throw fail("waiver expiry '\(waiver.expires)' is not a date") }
            return Waiver(kind: waiver.kind, port: waiver.port, host: waiver.host, reason: waiver.reason, expires: expires)
        }
        settings.basePorts = basePorts
        settings.ignoredSettings = ignoredSettings
        settings.features = Dictionary(uniqueKeysWithValues: try (features ?? [:]).map { name, on in
            guard let feature = DeploymentFeature(rawValue: name) else { throw fail("unknown deployment feature '\(name)'") }
            return (feature, on)
        })
        settings.dependencies = try (dependencies ?? []).map { dependency in
            guard let address = AddressPattern(dependency.address) else {
                throw fail("dependency \(dependency.name): '\(dependency.address)' is not an address or CIDR block")
            }
            return Dependency(name: dependency.name, address: address, port: dependency.port, reason: dependency.reason)
        }
        let policy = try settings.makePolicy()
        guard try Auditor(policy: policy).policySummary.comparable() == (try comparable()) else {
            throw fail("the policy it names writes a different section back")
        }
        return policy
    }
}
