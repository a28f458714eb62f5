import Protocols
import Yams

/// The shapes a policy file's values come in (a string, a number in a range, a choice, a
/// list, a mapping with its allowed and required keys, YAML merge keys resolved), each
/// refused with the file, the line and what was expected (`PolicyFileReader`).
extension PolicyFileReader {
    func error(_ node: Yams.Node, _ message: String) -> PolicyError {
        origin(node).error(message)
    }

    func origin(_ node: Yams.Node) -> SettingOrigin { SettingOrigin(source: path, line: node.mark?.line) }

    /// "unknown KIND 'word'; did you mean NEAREST? expected one of ...": the suggestion
    /// only when a known word is a few edits away.
    func unknown(_ kind: String, _ word: String, at node: Yams.Node, expected: [String]) -> PolicyError {
        error(node, "unknown \(kind) '\(word.escapedForMessage)'; "
            + EditDistance.suggestion(for: word, among: expected) + "expected one of "
            + expected.joined(separator: ", "))
    }

    func string(_ node: Yams.Node) throws -> String {
        guard case .scalar(let scalar) = node else { throw error(node, "expected a single value") }
        return scalar.string
    }

    /// A reason: one line of text (`ReasonRules`).
    func reason(_ node: Yams.Node) throws -> String {
        let text = try string(node)
        if let problem = ReasonRules.problem(with: text) { throw error(node, problem) }
        return text
    }

    func integer(_ node: Yams.Node, in range: ClosedRange<Int>, what: String) throws -> Int {
        let text = try string(node)
        if Self.hasLeadingZero(text) {
            throw error(node, "'\(text.escapedForMessage)' has a leading zero, which YAML 1.1 readers (PyYAML, Ansible) take "
                + "for octal and others for decimal; write \(what) without it")
        }
        guard let value = Int(text), range.contains(value) else {
            throw error(node, "expected \(what): a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ node: Yams.Node, _ type: Choice.Type, what: String) throws -> Choice
    where Choice.RawValue == String {
        let text = try string(node)
        let names = Choice.allCases.map(\.rawValue)
        guard let value = EditDistance.matching(text, among: names).flatMap(Choice.init(rawValue:)) else {
            throw error(node, "'\(text.escapedForMessage)' is not \(what); " + EditDistance.suggestion(for: text, among: names)
                + "expected one of " + names.joined(separator: ", "))
        }
        return value
    }

    func list(_ node: Yams.Node) throws -> [Yams.Node] {
        guard case .sequence(let sequence) = node else { throw error(node, "expected a list") }
        return Array(sequence)
    }

    func pairs(_ node: Yams.Node) throws -> [(Yams.Node, Yams.Node)] {
        guard case .mapping(let mapping) = node else { throw error(node, "expected a mapping of key: value") }
        return try merged(mapping)
    }

    /// The pairs of `mapping` with YAML merge keys resolved (`<<: *defaults`, or a list of
    /// aliases, as YAML 1.1's merge type says): the merged mappings' keys come in after the
    /// mapping's own, which win over them, and in a list the earlier mapping wins. Operators
    /// share a reason and an expiry among waivers, or roles among nodes, this way; without
    /// it, `<<` was refused as a mistyped field name.
    private func merged(_ mapping: Yams.Node.Mapping) throws -> [(Yams.Node, Yams.Node)] {
        var own: [(Yams.Node, Yams.Node)] = []
        var inherited: [(Yams.Node, Yams.Node)] = []
        for (key, value) in mapping {
            // A plain `<<` is the merge key; a quoted "<<" is a string like any other.
            guard case .scalar(let scalar) = key, scalar.string == "<<", scalar.style == .plain else {
                own.append((key, value))
                continue
            }
            let sources: [Yams.Node]
            switch value {
            case .mapping: sources = [value]
            case .sequence(let sequence): sources = Array(sequence)
            default: throw error(value, "a merge key (<<) takes a mapping or a list of mappings, such as <<: *defaults")
            }
            for source in sources {
                guard case .mapping(let inner) = source else {
                    throw error(source, "a merge key (<<) takes a mapping or a list of mappings, such as <<: *defaults")
                }
                inherited += try merged(inner)
            }
        }
        var seen = Set(own.compactMap { $0.0.scalar?.string })
        return own + inherited.filter { key, _ in key.scalar.map { seen.insert($0.string).inserted } ?? true }
    }

    /// An allowed port's protocol: one of the recognized names (docs/protocols.md). One
    /// name, not a list: a port's protocol is what each of its connections is checked
    /// against, and the result states one per allowed port.
    func allowedProtocol(_ node: Yams.Node, port: UInt16) throws -> ProtocolName {
        let names = ProtocolName.allCases.filter(\.isRecognized).map(\.name)
        guard let text = node.scalar?.string else {
            throw error(node, "the protocol of allowed port \(port) is \(Self.shape(of: node)), not one name; an allowed port "
                + "states one protocol, or none to leave what it speaks unchecked; expected one of " + names.joined(separator: ", "))
        }
        guard let name = ProtocolName(name: text), name.isRecognized else {
            throw error(node, "'\(text.escapedForMessage)' is not a protocol dasaudit recognizes (allowed port \(port)); "
                + EditDistance.suggestion(for: text, among: names) + "expected one of " + names.joined(separator: ", "))
        }
        return name
    }

    /// "a list (tls, http)", "a mapping": what a node that should have been one value is.
    static func shape(of node: Yams.Node) -> String {
        switch node {
        case .sequence(let sequence):
            "a list (" + sequence.map { ($0.scalar?.string ?? "...").escapedForMessage }.joined(separator: ", ") + ")"
        case .mapping: "a mapping"
        default: "not a single value"
        }
    }

    func mapping(_ node: Yams.Node, allowed: [String], required: [String] = [], what: String) throws -> [String: Yams.Node] {
        var fields: [String: Yams.Node] = [:]
        for (keyNode, value) in try pairs(node) {
            let key = try string(keyNode)
            guard allowed.contains(key) else {
                throw error(keyNode, "unknown key '\(key.escapedForMessage)' in \(what); "
                    + EditDistance.suggestion(for: key, among: allowed) + "expected one of " + allowed.joined(separator: ", "))
            }
            fields[key] = value
        }
        for key in required where fields[key] == nil {
            throw error(node, "\(what) needs '\(key)'")
        }
        return fields
    }
}
