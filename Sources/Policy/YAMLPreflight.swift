import CYaml

/// Refuses, before Yams composes it, a YAML document whose shape alone would cost memory or
/// time out of proportion to its size. One pass over libyaml's events, no tree; syntax errors
/// are left to Yams, which reports them with their line. `CYaml` is the libyaml that Yams
/// bundles and builds; it comes with the Yams dependency.
///
/// - **Aliases expanding past `nodeLimit` nodes.** An alias (`*name`) stands for a whole
///   anchored subtree, so a few hundred bytes of nested aliases stand for billions of nodes
///   ("billion laughs" for YAML). Yams shares the subtree when it composes, but then hashes
///   mapping keys in full (an alias used as a key costs its expanded size) and the policy
///   reader copies what it walks (a node list whose entries all alias one address list).
///   Both costs are bounded by the document's size with aliases expanded, so that size is
///   counted. A real policy has a few hundred nodes; 100,000 is generous. libyaml itself
///   limits nesting to 1000 levels.
/// - **A key that is a list or a mapping** (YAML's complex keys, `? [a, b] : 1`, or an alias
///   of a collection in a key's place). A policy's keys are names. When Yams finds two equal
///   keys in a mapping it sorts them for its message, comparing them in full, and nested
///   complex keys made that comparison take minutes on a 2 KB file (found by the policy
///   fuzz target, December 5, 2026: one run in five of the same file, as the hash seed
///   ordered the keys).
/// - **A key given twice in one mapping**, named with the line of each: Yams refuses it too,
///   but without a line, and with the mapping's whole text as context (for a top-level key,
///   the whole file, on one line of the error). Keys compare as text, as the reader takes them.
enum YAMLPreflight {
    static let nodeLimit = 100_000

    /// Throws a `PolicyError` naming `path` and the line when `text` expands to more than
    /// `limit` nodes, has a key that is not a scalar, or has a key twice in one mapping.
    static func check(_ text: String, path: String, limit: Int = nodeLimit) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            /// Expanded nodes seen so far.
            var expanded = 0
            /// Each open collection: its anchor, the count at its start and, for a mapping,
            /// whether its next node is a key (nil for a sequence) and the lines of its keys.
            var open: [(anchor: String?, start: Int, keyNext: Bool?, keys: [String: Int])] = []
            var anchorSizes: [String: Int] = [:]
            var collectionAnchors: Set<String> = []
            /// The text of each anchored scalar, for an alias used as a key.
            var scalarAnchors: [String: String] = [:]
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else { return }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                /// A node begins where the innermost mapping may want a key.
                func begins(collection: Bool) throws {
                    guard collection, open.last?.keyNext == true else { return }
                    throw PolicyError(source: path, line: line, message: "a key here is a list or a mapping, not a name: "
                        + "a policy's keys are names (docs/policy.md)")
                }
                /// A node ended: in a mapping, a key is followed by its value and a value by a key.
                func ended() {
                    if let keyNext = open.last?.keyNext { open[open.count - 1].keyNext = !keyNext }
                }
                /// A scalar key of the innermost mapping, refused when the mapping has it already.
                func key(_ text: String) throws {
                    guard open.last?.keyNext == true else { return }
                    if let first = open[open.count - 1].keys[text] {
                        throw PolicyError(source: path, line: line, message: "the key '\(text.escapedForMessage)' is given twice "
                            + "in one mapping, at line \(first) and here; a key is given once (YAML keys are unique)")
                    }
                    open[open.count - 1].keys[text] = line
                }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_SCALAR_EVENT:
                    expanded += 1
                    let scalar = event.data.scalar
                    let text = scalar.value.map {
                        String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
                    } ?? ""
                    if let anchor = name(scalar.anchor) {
                        anchorSizes[anchor] = 1
                        scalarAnchors[anchor] = text
                    }
                    try key(text)
                    ended()
                case YAML_SEQUENCE_START_EVENT:
                    try begins(collection: true)
                    expanded += 1
                    open.append((name(event.data.sequence_start.anchor), expanded - 1, nil, [:]))
                case YAML_MAPPING_START_EVENT:
                    try begins(collection: true)
                    expanded += 1
                    open.append((name(event.data.mapping_start.anchor), expanded - 1, true, [:]))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    if let (anchor, start, _, _) = open.popLast(), let anchor {
                        anchorSizes[anchor] = expanded - start
                        collectionAnchors.insert(anchor)
                    }
                    ended()
                case YAML_ALIAS_EVENT:
                    let anchor = name(event.data.alias.anchor)
                    try begins(collection: anchor.map(collectionAnchors.contains) ?? false)
                    if let text = anchor.flatMap({ scalarAnchors[$0] }) { try key(text) }
                    expanded += anchor.flatMap { anchorSizes[$0] } ?? 1
                    ended()
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
