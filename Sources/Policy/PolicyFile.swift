import Foundation
import Wire
import Yams

/// Reads a YAML policy file (schema in docs/policy.md). Strict: an unknown key, a value of
/// the wrong shape or out of range is an error naming the file, the line and what was
/// expected, so a typo never silently weakens an audit.
public enum PolicyFile {
    public static func load(path: String) throws -> PolicySettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw PolicyError(source: path, message: !exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PolicyError(source: path, message: "is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> PolicySettings {
        let root: Yams.Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PolicyError(source: path, line: yamlLine(error), message: "not valid YAML: \(yamlProblem(error))")
        }
        guard let root else { return PolicySettings() }
        return try PolicyFileReader(path: path).settings(root)
    }

    private static func yamlLine(_ error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): mark.line
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
                               "ports", "nodes", "allow", "waivers"]

    func settings(_ root: Yams.Node) throws -> PolicySettings {
        let fields = try mapping(root, allowed: Self.topLevelKeys, what: "the policy")
        var settings = PolicySettings()
        if let node = fields["profile"] {
            let name = try string(node)
            guard Profile.named(name) != nil else {
                throw error(node, "unknown profile '\(name)'; expected one of " + Profile.all.map(\.name).joined(separator: ", "))
            }
            settings.profile = name
        }
        if let node = fields["offset"] { settings.offset = try integer(node, in: 0...55535, what: "an offset") }
        if let node = fields["mode"] { settings.mode = try choice(node, SparkMode.self, what: "a Spark mode") }
        if let node = fields["cores"] { settings.cores = try integer(node, in: 1...1024, what: "a number of cores") }
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
            for (keyNode, valueNode) in try pairs(node) {
                settings.basePorts[try string(keyNode)] = UInt16(try integer(valueNode, in: 1...65535, what: "a base port"))
            }
        }
        if let node = fields["nodes"] { settings.nodes = try list(node).map(clusterNode) }
        if let node = fields["allow"] {
            for item in try list(node) {
                let entry = try mapping(item, allowed: ["port", "reason"], required: ["port", "reason"], what: "an allowed port")
                settings.allowedPorts[UInt16(try integer(entry["port"]!, in: 1...65535, what: "a port"))] = try string(entry["reason"]!)
            }
        }
        if let node = fields["waivers"] { settings.waivers = try list(node).map(waiver) }
        return settings
    }

    private func clusterNode(_ node: Yams.Node) throws -> Node {
        let fields = try mapping(node, allowed: ["name", "addresses", "roles"], required: ["name", "addresses"], what: "a node")
        let addresses = try list(fields["addresses"]!).map { item -> AddressPattern in
            guard let pattern = AddressPattern(try string(item)) else {
                throw error(item, "expected an IPv4 or IPv6 address or CIDR block, like 10.0.0.5 or 10.0.1.0/24")
            }
            return pattern
        }
        let roles = try fields["roles"].map { try list($0).map { try choice($0, NodeRole.self, what: "a node role") } } ?? []
        return Node(name: try string(fields["name"]!), addresses: addresses, roles: Set(roles))
    }

    private func waiver(_ node: Yams.Node) throws -> Waiver {
        let fields = try mapping(node, allowed: ["kind", "port", "host", "reason", "expires"],
                                 required: ["kind", "reason", "expires"], what: "a waiver")
        let expiresNode = fields["expires"]!
        guard let expires = Day(try string(expiresNode)) else {
            throw error(expiresNode, "expected a date YYYY-MM-DD")
        }
        return Waiver(kind: try string(fields["kind"]!),
                      port: try fields["port"].map { UInt16(try integer($0, in: 1...65535, what: "a port")) },
                      host: try fields["host"].map(string), reason: try string(fields["reason"]!), expires: expires)
    }

    // MARK: - Shapes

    func error(_ node: Yams.Node, _ message: String) -> PolicyError {
        PolicyError(source: path, line: node.mark?.line, message: message)
    }

    func string(_ node: Yams.Node) throws -> String {
        guard case .scalar(let scalar) = node else { throw error(node, "expected a single value") }
        return scalar.string
    }

    func integer(_ node: Yams.Node, in range: ClosedRange<Int>, what: String) throws -> Int {
        guard let value = Int(try string(node)), range.contains(value) else {
            throw error(node, "expected \(what): a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ node: Yams.Node, _ type: Choice.Type, what: String) throws -> Choice
    where Choice.RawValue == String {
        let text = try string(node)
        guard let value = Choice(rawValue: text) else {
            throw error(node, "'\(text)' is not \(what); expected one of "
                + Choice.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return value
    }

    func list(_ node: Yams.Node) throws -> [Yams.Node] {
        guard case .sequence(let sequence) = node else { throw error(node, "expected a list") }
        return Array(sequence)
    }

    func pairs(_ node: Yams.Node) throws -> [(Yams.Node, Yams.Node)] {
        guard case .mapping(let mapping) = node else { throw error(node, "expected a mapping of key: value") }
        return mapping.map { ($0.key, $0.value) }
    }

    func mapping(_ node: Yams.Node, allowed: [String], required: [String] = [], what: String) throws -> [String: Yams.Node] {
        var fields: [String: Yams.Node] = [:]
        for (keyNode, value) in try pairs(node) {
            let key = try string(keyNode)
            guard allowed.contains(key) else {
                throw error(keyNode, "unknown key '\(key)' in \(what); expected one of " + allowed.joined(separator: ", "))
            }
            fields[key] = value
        }
        for key in required where fields[key] == nil {
            throw error(node, "\(what) needs '\(key)'")
        }
        return fields
    }
}
