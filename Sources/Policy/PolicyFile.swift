import Foundation
import Protocols
import Wire
import Yams

/// Reads a YAML policy file (schema in docs/policy.md). Strict: an unknown key, a value of
/// the wrong shape or out of range is an error naming the file, the line and what was
/// expected, so a typo never silently weakens an audit.
public enum PolicyFile {
    public static func load(path: String) throws -> PolicySettings {
        guard let data = try ConfigurationFile.read(path) else { throw PolicyError(source: path, message: "no such file") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(source: path, message: "is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> PolicySettings {
        let root: Yams.Node?
        do {
            try YAMLPreflight.check(text, path: path)
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PolicyError(source: path, line: yamlLine(error),
                              message: "not valid YAML: \(yamlProblem(error).escapedForMessage)" + ipv6Hint(text, error))
        }
        guard let root else { return PolicySettings() }
        return try PolicyFileReader(path: path).settings(root)
    }

    private static func yamlLine(_ error: YamlError) -> Int? { mark(of: error)?.line }

    /// A hint when the YAML error is at a `::`: an unquoted IPv6 address in flow style
    /// (`addresses: [::1]`, `{host: ::1}`) is read as a mapping key, and libyaml's message
    /// ("did not find expected node content") does not say so.
    private static func ipv6Hint(_ text: String, _ error: YamlError) -> String {
        guard let mark = mark(of: error), mark.line >= 1 else { return "" }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line <= lines.count else { return "" }
        let line = Array(lines[mark.line - 1].utf8)
        // YAML also breaks lines at a lone CR, so the mark's column can lie past this line's
        // end (the policy fuzz target's find): then there is nothing near it to look at.
        let at = mark.column - 1
        let lower = max(0, at - 1), upper = min(line.count, at + 2)
        guard lower < upper else { return "" }
        guard (lower..<upper).contains(where: { $0 + 1 < line.count && line[$0] == UInt8(ascii: ":") && line[$0 + 1] == UInt8(ascii: ":") })
        else { return "" }
        return "; an IPv6 address with '::' must be quoted in YAML (addresses: [\"::1\"], host: \"fd00::/64\")"
    }

    private static func mark(of error: YamlError) -> Mark? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): mark
        default: nil
        }
    }

    private static func yamlProblem(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _): problem
        default: "\(error)"
        }
    }
}

/// Walks the composed YAML tree, keeping the line of each node for error messages.
struct PolicyFileReader {
    let path: String

    static let topLevelKeys = ["profile", "offset", "mode", "cores", "ephemeral_range", "port_retries", "expect",
                               "ports", "features", "nodes", "external_cluster", "membership", "multicast_port", "dependencies", "allow",
                               "waivers", "scan"]

    func settings(_ root: Yams.Node) throws -> PolicySettings {
        let fields = try mapping(root, allowed: Self.topLevelKeys, what: "the policy")
        var settings = PolicySettings()
        for (key, node) in fields { settings.origins[key] = origin(node) }
        if let node = fields["profile"] {
            let name = try string(node)
            guard let profile = Profile.named(name) else {
                throw unknown("profile", name, at: node, expected: Profile.all.map(\.name))
            }
            settings.profile = profile.name
        }
        if let node = fields["offset"] { settings.offset = try integer(node, in: 0...Policy.offsetCeiling, what: "an offset") }
        if let node = fields["mode"] { settings.mode = try choice(node, SparkMode.self, what: "a Spark mode") }
        if let node = fields["cores"] { settings.cores = try integer(node, in: Policy.coresRange, what: "a number of cores") }
        if let node = fields["port_retries"] {
            settings.portRetries = try integer(node, in: 0...1000, what: "spark.port.maxRetries")
        }
        if let node = fields["ephemeral_range"] {
            guard let range = PortRange(parsing: try string(node)) else {
                throw error(node, "expected a port range like 32768-60999")
            }
            settings.ephemeralRange = range
        }
        if let node = fields["expect"] {
            settings.groups = Set(try list(node).map { try choice($0, CatalogGroup.self, what: "a catalog group") })
        }
        if let node = fields["ports"] {
            let knownKeys = Profile.all.flatMap { $0.catalog.map(\.key) }
            for (keyNode, valueNode) in try pairs(node) {
                let key = try string(keyNode)
                guard knownKeys.contains(key) else {
                    throw unknown("catalog key", key, at: keyNode, expected: Array(Set(knownKeys)).sorted())
                }
                settings.basePorts[key] = UInt16(try integer(valueNode, in: 1...65535, what: "a base port"))
                settings.origins["ports.\(key)"] = origin(keyNode)
            }
        }
        if let node = fields["features"] {
            for (keyNode, valueNode) in try pairs(node) {
                let feature = try choice(keyNode, DeploymentFeature.self, what: "a deployment feature")
                // Names are taken in any letter case, so YAML's duplicate-key check passes
                // `ha` and `HA`: the second would silently replace the first.
                if let earlier = settings.origins["features.\(feature.rawValue)"] {
                    throw error(keyNode, "feature \(feature.rawValue) is said twice, at line \(earlier.line.map(String.init) ?? "?") "
                        + "and here as '\(try string(keyNode).escapedForMessage)' (names are read in any letter case); "
                        + "say each feature once")
                }
                settings.features[feature] = try switchState(valueNode)
                settings.origins["features.\(feature.rawValue)"] = origin(keyNode)
            }
        }
        if let node = fields["nodes"] {
            let nodes = try list(node).map(clusterNode)
            var seen = Set<String>()
            let items = try list(node)
            for (item, declared) in zip(items, nodes) where !seen.insert(declared.name).inserted {
                throw error(item, "node name '\(declared.name.escapedForMessage)' is declared twice")
            }
            for (index, later) in nodes.enumerated() {
                for (earlierIndex, earlier) in nodes[..<index].enumerated() {
                    guard let overlap = later.overlap(with: earlier) else { continue }
                    let addressItems = try list(try mapping(items[index], allowed: ["name", "addresses", "roles"], what: "a node")["addresses"]!)
                    let at = zip(addressItems, later.addresses).first { $0.1 == overlap.mine }?.0 ?? items[index]
                    let line = items[earlierIndex].mark.map { " at line \($0.line)" } ?? ""
                    throw error(at, Policy.overlapProblem(earlier: earlier, later: later, overlap) + " (\(earlier.name) is declared\(line))")
                }
            }
            settings.nodes = nodes
        }
        if let node = fields["external_cluster"] {
            settings.externalCluster = try externalCluster(node)
        }
        settings.hazelcastMembership = try hazelcastMembership(scheme: fields["membership"], port: fields["multicast_port"])
        if let node = fields["dependencies"] {
            var seen = Set<String>()
            settings.dependencies = try list(node).map { item in
                let declared = try dependency(item)
                guard seen.insert(declared.name).inserted else {
                    throw error(item, "dependency name '\(declared.name.escapedForMessage)' is declared twice")
                }
                return declared
            }
        }
        if let node = fields["allow"] {
            for item in try list(node) {
                let entry = try mapping(item, allowed: ["port", "protocol", "reason"], required: ["port", "reason"],
                                        what: "an allowed port")
                let port = UInt16(try integer(entry["port"]!, in: 1...65535, what: "a port"))
                let allowed = AllowedPort(reason: try reason(entry["reason"]!),
                                          protocol: try entry["protocol"].map { try allowedProtocol($0, port: port) })
                if let earlier = settings.allowed(port) {
                    let line = settings.origins["allow.\(port)"]?.line.map { " at line \($0)" } ?? ""
                    throw error(item, "port \(port) is allowed twice, by \("\(earlier)".escapedForMessage)\(line) and by "
                        + "\("\(allowed)".escapedForMessage) here; "
                        + "a port takes one allow entry: keep the one that says why the port is open and what it speaks")
                }
                settings.allowedPorts[port] = allowed.reason
                settings.allowedProtocols[port] = allowed.protocol
                settings.origins["allow.\(port)"] = origin(item)
            }
        }
        if let node = fields["waivers"] {
            let nodeNames = settings.nodes?.map(\.name) ?? []
            var lines: [Waiver: Int?] = [:]
            settings.waivers = try list(node).map { item in
                let waiver = try waiver(item, nodeNames: nodeNames)
                // The same waiver twice made each of its findings (`waiver-expired`,
                // `waiver-unused`) twice: one finding listed twice, which a result read back refuses.
                if let line = lines.updateValue(item.mark?.line, forKey: waiver) {
                    throw error(item, "this waiver is given twice (also\(line.map { " at line \($0)" } ?? " above")), with the same "
                        + "kind, port, host, reason and expiry date: keep one")
                }
                return waiver
            }
        }
        if let node = fields["scan"] { settings.scanThresholds = try scanThresholds(node) }
        return settings
    }

    /// The `scan:` section: any of its three thresholds, the others keep their defaults.
    private func scanThresholds(_ node: Yams.Node) throws -> ScanThresholds {
        let fields = try mapping(node, allowed: ["min_ports", "min_hosts", "min_failed_percent"], what: "the scan thresholds")
        var thresholds = ScanThresholds()
        if let value = fields["min_ports"] { thresholds.minPorts = try integer(value, in: 2...65535, what: "a number of ports") }
        if let value = fields["min_hosts"] { thresholds.minHosts = try integer(value, in: 2...1_000_000, what: "a number of hosts") }
        if let value = fields["min_failed_percent"] {
            thresholds.minFailedPercent = try integer(value, in: 0...100, what: "a percentage")
        }
        return thresholds
    }

    private func clusterNode(_ node: Yams.Node) throws -> Node {
        let fields = try mapping(node, allowed: ["name", "addresses", "roles"], required: ["name", "addresses"], what: "a node")
        let roles = try fields["roles"].map { try list($0).map { try choice($0, NodeRole.self, what: "a node role") } } ?? []
        // No `roles` is a node of every role; `roles: []` says the opposite, so it is not
        // silently taken for every role.
        if let rolesNode = fields["roles"], roles.isEmpty {
            throw error(rolesNode, "the roles list is empty, which would make the node one of every role; list the node's "
                + "roles (one of " + NodeRole.allCases.map(\.rawValue).joined(separator: ", ") + "), or leave roles out for "
                + "a node of every role")
        }
        let nameNode = fields["name"]!
        let name = try string(nameNode)
        if let problem = NameRules.problem(with: name) {
            throw error(nameNode, "node name '\(name.escapedForMessage)' \(problem); a node name is \(NameRules.description)")
        }
        let addresses = try list(fields["addresses"]!).map { item -> AddressPattern in
            let pattern = try addressPattern(item, of: "node '\(name)'", example: "10.0.0.5 or 10.0.1.0/24")
            if pattern.isEveryAddress {
                // A node is one machine: every address would make every host a node, and its
                // firewall rules would open every cluster-internal port to any source.
                throw error(item, "node '\(name)' has the address \(pattern), every \(pattern.isIPv4 ? "IPv4" : "IPv6") address: "
                    + "every host would count as this node and `ports --firewall` would open the cluster-internal ports to any "
                    + "source; list the node's own addresses (or declare no nodes, for rules that fit any node)")
            }
            return pattern
        }
        // A node of no address is never seen: every audit would call it node-not-seen.
        if addresses.isEmpty {
            throw error(fields["addresses"]!, "node '\(name.escapedForMessage)' has no addresses; a node needs at least one "
                + "address or CIDR block, like 10.0.0.5 or 10.0.1.0/24")
        }
        return Node(name: name, addresses: addresses, roles: Set(roles))
    }

    /// `membership:` (`multicast` or `wka`) and `multicast_port:`, or nil when neither is
    /// said. A port alone is multicast's; with `wka` it is refused, since it would open nothing.
    private func hazelcastMembership(scheme: Yams.Node?, port: Yams.Node?) throws -> HazelcastMembership? {
        let said = try scheme.map { try choice($0, HazelcastMembership.Scheme.self, what: "a Hazelcast membership scheme") }
        let multicastPort = try port.map { UInt16(try integer($0, in: 1...65535, what: "a UDP port")) }
        switch (said, multicastPort) {
        case (nil, nil): return nil
        case (.wka?, let multicastPort?):
            throw error(port!, "multicast_port \(multicastPort) is for membership multicast, but the membership is wka: "
                + "the members find each other over TCP; leave multicast_port out, or say membership: multicast")
        case (.wka?, nil): return .wellKnownAddresses
        case (_, let multicastPort): return .multicast(port: multicastPort ?? HazelcastMembership.stockMulticastPort)
        }
    }

    /// The external Spark cluster's addresses (mode `client`): at least one, none of them
    /// every address, which would open the driver's callback ports to any source as
    /// leaving the list out does, while reading as a limit.
    private func externalCluster(_ node: Yams.Node) throws -> [AddressPattern] {
        let items = try list(node)
        guard !items.isEmpty else {
            throw error(node, "external_cluster is empty; list the addresses or CIDR blocks of the external Spark cluster's "
                + "hosts, or leave it out (the driver's callback ports then accept any source)")
        }
        return try items.map { item in
            let pattern = try addressPattern(item, of: "external_cluster", example: "10.50.0.0/24")
            if pattern.isEveryAddress {
                throw error(item, "external_cluster has \(pattern), every \(pattern.isIPv4 ? "IPv4" : "IPv6") address: the "
                    + "driver's callback ports would accept any source, as without external_cluster; list the external "
                    + "Spark cluster's own addresses")
            }
            return pattern
        }
    }

    /// A server outside the cluster its nodes use: every field required, the name under
    /// the node name rules (it ends up in reports), one address or CIDR block, one port.
    private func dependency(_ node: Yams.Node) throws -> Dependency {
        let fields = try mapping(node, allowed: ["name", "address", "port", "reason"],
                                 required: ["name", "address", "port", "reason"], what: "a dependency")
        let nameNode = fields["name"]!
        let name = try string(nameNode)
        if let problem = NameRules.problem(with: name) {
            throw error(nameNode, "dependency name '\(name.escapedForMessage)' \(problem); a dependency name is \(NameRules.description)")
        }
        let address = try addressPattern(fields["address"]!, of: "dependency '\(name)'", example: "10.0.0.20 or 10.0.2.0/24")
        return Dependency(name: name, address: address,
                          port: UInt16(try integer(fields["port"]!, in: 1...65535, what: "a port")),
                          reason: try reason(fields["reason"]!))
    }

    /// `true`/`false` (or YAML's `on`/`off`, `yes`/`no`), in any letter case.
    func switchState(_ node: Yams.Node) throws -> Bool {
        let text = try string(node)
        switch text.lowercased() {
        case "true", "on", "yes": return true
        case "false", "off", "no": return false
        default: throw error(node, "'\(text.escapedForMessage)' is not on or off; expected true or false")
        }
    }

    /// A waiver whose kind is a finding kind and whose host is a declared node, an
    /// address or a CIDR block: anything else could never match, so it is refused rather
    /// than kept as a waiver that silently waives nothing.
    private func waiver(_ node: Yams.Node, nodeNames: [String]) throws -> Waiver {
        let fields = try mapping(node, allowed: ["kind", "port", "host", "reason", "expires"],
                                 required: ["kind", "reason", "expires"], what: "a waiver")
        let expiresNode = fields["expires"]!
        guard let expires = Day(try string(expiresNode)) else {
            throw error(expiresNode, "expected a date YYYY-MM-DD")
        }
        guard Waiver.expiryYears.contains(expires.year) else {
            throw error(expiresNode, "the expiry date \(expires) is implausible; expected a date from "
                + "\(Waiver.expiryYears.lowerBound)-01-01 to \(Waiver.expiryYears.upperBound)-12-31 (a permanent "
                + "exception is an allow: entry)")
        }
        let kindNode = fields["kind"]!
        let kindText = try string(kindNode)
        if let why = Waiver.unwaivableKinds[kindText.lowercased()] {
            throw error(kindNode, "a waiver cannot be of kind \(kindText.lowercased()): \(why)")
        }
        guard let kind = EditDistance.matching(kindText, among: Waiver.kinds) else {
            throw unknown("waiver kind", kindText, at: kindNode, expected: Waiver.kinds)
        }
        let host = try fields["host"].map { hostNode -> String in
            let host = try string(hostNode)
            if let problem = Self.octetProblem(host) { throw error(hostNode, "waiver host: \(problem)") }
            if let block = AddressPattern.widened(host) {
                throw error(hostNode, Self.hostBitsMessage(host, block, of: "waiver host"))
            }
            guard nodeNames.contains(host) || AddressPattern(host) != nil else {
                if let zone = Self.zoneProblem(host) { throw error(hostNode, "waiver host: \(zone)") }
                throw error(hostNode, "waiver host '\(host.escapedForMessage)' is neither a declared node, an IP address "
                    + "nor a CIDR block; expected an address like 10.0.0.5, a block like 10.0.1.0/24 or one of the nodes: "
                    + (nodeNames.isEmpty ? "(none declared)" : nodeNames.joined(separator: ", ")))
            }
            return host
        }
        let scope = Waiver.scopes.first { $0.kind == kind }!
        for (field, applies) in [("port", scope.port), ("host", scope.host)] where !applies {
            guard let fieldNode = fields[field] else { continue }
            throw error(fieldNode, "a waiver of \(kind) cannot name a \(field): \(kind) findings carry \(scope.carried), "
                + "so it would never match; remove its \(field)")
        }
        return Waiver(kind: kind,
                      port: try fields["port"].map { UInt16(try integer($0, in: 1...65535, what: "a port")) },
                      host: host, reason: try reason(fields["reason"]!), expires: expires)
    }

    /// An address or CIDR block of `entry` (`node 'das1'`), written with its network address.
    private func addressPattern(_ node: Yams.Node, of entry: String, example: String) throws -> AddressPattern {
        let text = try string(node)
        if let problem = Self.octetProblem(text) { throw error(node, "\(entry): \(problem)") }
        guard let pattern = AddressPattern(text) else {
            if let zone = Self.zoneProblem(text) { throw error(node, "\(entry): \(zone)") }
            throw error(node, "'\(text.escapedForMessage)' is not an IPv4 or IPv6 address or CIDR block; expected one like \(example)")
        }
        if AddressPattern.widened(text) != nil { throw error(node, Self.hostBitsMessage(text, pattern, of: entry)) }
        return pattern
    }

    /// `fe80::1%eth0`: an IPv6 address with a zone id (the interface a link-local address
    /// is on), which a policy cannot use: addresses in a capture carry no zone, so the
    /// address could never be told apart or matched by it. Nil for any other text.
    static func zoneProblem(_ text: String) -> String? {
        let parts = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, IPAddress(parts[0]) != nil else { return nil }
        let zone = parts[1].prefix { $0 != "/" }
        let bare = String(parts[0]) + String(parts[1].dropFirst(zone.count))
        return "'\(text.escapedForMessage)' has a zone id (%\(String(zone).escapedForMessage)), which dasaudit does not support: "
            + "addresses in a capture carry no zone id, so it could never match; write the address without it (" + bare.escapedForMessage + ")"
    }

    /// `010`, `+08`: a number whose digits start with a zero, which a YAML 1.1 reader takes
    /// for octal (`offset: 010` is 8 to PyYAML) and a YAML 1.2 one for decimal (10): one
    /// policy file would mean two clusters, so neither reading is taken.
    static func hasLeadingZero(_ text: String) -> Bool {
        let digits = text.drop { $0 == "+" || $0 == "-" }
        return digits.count > 1 && digits.first == "0" && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    /// `10.0.0.010`: an IPv4 octet with a leading zero, which inet_aton, ping and ssh read
    /// as octal (10.0.0.8) and others as decimal (10.0.0.10); nil for any other text.
    static func octetProblem(_ text: String) -> String? {
        let address = text.prefix { $0 != "/" }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, !address.contains(":"), octets.contains(where: { hasLeadingZero(String($0)) }) else { return nil }
        return "'\(text.escapedForMessage)' has an octet with a leading zero, which some tools read as octal and others as "
            + "decimal; write the address without it"
    }

    /// `10.77.0.1/8` has host bits set: it would silently stand for all of 10.0.0.0/8.
    static func hostBitsMessage(_ text: String, _ block: AddressPattern, of entry: String) -> String {
        let host = text.prefix { $0 != "/" }
        return "\(entry): '\(text.escapedForMessage)' has host bits set, so it would stand for the whole block \(block); "
            + "write the block as \(block), or the one host as \(host)"
    }
}
