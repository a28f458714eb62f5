import CYaml

/// Refuses a YAML document whose aliases expand to too many nodes, before Yams composes it.
///
/// An alias (`*name`) stands for a whole anchored subtree, so a few hundred bytes of
/// nested aliases stand for billions of nodes ("billion laughs" for YAML). Yams shares
/// the subtree when it composes, but then hashes mapping keys in full (an alias used as a
/// key costs its expanded size) and the policy reader copies what it walks (a node list
/// whose entries all alias one address list). Both costs are bounded by the document's
/// size with aliases expanded, so that size is counted first, from libyaml's events (one
/// pass, no tree), and a document over `nodeLimit` nodes is refused. A real policy has a
/// few hundred nodes; 100,000 is generous. libyaml itself limits nesting to 1000 levels.
/// `CYaml` is the libyaml that Yams bundles and builds; it comes with the Yams dependency.
enum YAMLExpansionBudget {
    static let nodeLimit = 100_000

    /// Throws when `text` expands to more than `limit` nodes; syntax errors are left to
    /// Yams, which reports them with their line.
    static func check(_ text: String, path: String, limit: Int = nodeLimit) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            /// Expanded nodes seen so far; each open collection remembers the count at its start.
            var expanded = 0
            var openCollections: [(anchor: String?, start: Int)] = []
            var anchorSizes: [String: Int] = [:]
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_SCALAR_EVENT:
                    expanded += 1
                    if let anchor = name(event.data.scalar.anchor) { anchorSizes[anchor] = 1 }
                case YAML_SEQUENCE_START_EVENT:
                    expanded += 1
                    openCollections.append((name(event.data.sequence_start.anchor), expanded - 1))
                case YAML_MAPPING_START_EVENT:
                    expanded += 1
                    openCollections.append((name(event.data.mapping_start.anchor), expanded - 1))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    if let (anchor, start) = openCollections.popLast(), let anchor { anchorSizes[anchor] = expanded - start }
                case YAML_ALIAS_EVENT:
                    expanded += name(event.data.alias.anchor).flatMap { anchorSizes[$0] } ?? 1
                default:
                    break
                }
                if expanded > limit {
                    throw PolicyError(source: path, line: line, message: "the document has more than \(limit) YAML "
                        + "nodes with its aliases expanded, the limit for a policy file; use fewer aliases or a smaller file")
                }
            }
        }
    }

    private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        anchor.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}
