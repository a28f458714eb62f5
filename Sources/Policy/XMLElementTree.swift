import ConfigurationXML
import Foundation

/// A parsed XML document as a plain tree, matched by local names (namespace prefixes
/// dropped): DAS files put carbon.xml under a default namespace.
///
/// Built for hostile input:
/// - a document type declaration (`<!DOCTYPE`, and so any `<!ENTITY`) is refused before
///   parsing: DAS configuration has none, and refusing it rules out external entities
///   (XXE), nested entity expansion (billion laughs) and floods of references to one
///   entity; the reader (`XMLReader`, dasaudit's own) refuses it again and knows no
///   entity but XML's five;
/// - the reader bounds nesting, names, text, elements and attributes (`XMLReaderLimits`);
/// - the elements live in one flat array and refer to their children by index, so a
///   tree of any shape is freed without recursion (a chain of nested values would be
///   torn down one stack frame per level).
struct XMLElementTree {
    static let depthLimit = XMLReaderLimits.depth

    private let elements: [XMLReadElement]
    private let index: Int

    var name: String { String(elements[index].localName) }
    var attributes: [String: String] { elements[index].attributes }
    var text: String { elements[index].text }
    /// The line of the start tag, for error messages and setting origins.
    var line: Int { elements[index].line }
    var children: [XMLElementTree] { elements[index].children.map { XMLElementTree(elements: elements, index: $0) } }

    /// The first descendant reached by following local names (`["Ports", "Offset"]`).
    func first(_ path: [String]) -> XMLElementTree? {
        guard let head = path.first else { return self }
        for child in children where child.name == head {
            if let found = child.first(Array(path.dropFirst())) { return found }
        }
        return nil
    }

    /// Every child element with this local name.
    func all(_ name: String) -> [XMLElementTree] { children.filter { $0.name == name } }

    var trimmedText: String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Parses `data`, or throws with the line and the problem.
    static func parse(_ data: Data, source: String) throws -> XMLElementTree {
        try refuseDocumentType(in: data, source: source)
        guard let document = XMLTextEncoding.utf8Document(data) else {
            throw PolicyError(source: source, line: XMLTextEncoding.firstInvalidUTF8Line(data), message: "is not UTF-8 text, "
                + "nor UTF-16 with a byte order mark, nor declared ISO-8859-1 (<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>); "
                + "save it as UTF-8")
        }
        // Again on the converted text: in UTF-16, `<!DOCTYPE` is not those ASCII bytes.
        try refuseDocumentType(in: document, source: source)
        do {
            return XMLElementTree(elements: try XMLReader.read(document), index: 0)
        } catch let error as XMLReadError {
            throw PolicyError(source: source, line: error.line,
                              message: error.isOverLimit ? error.problem : "not well-formed XML (\(error.problem))")
        }
    }

    /// Throws when `data` has a document type declaration.
    private static func refuseDocumentType(in data: Data, source: String) throws {
        guard let line = documentTypeLine(in: data) else { return }
        throw PolicyError(source: source, line: line, message: "has a document type declaration (<!DOCTYPE>); "
            + "DTDs and entity declarations are refused in configuration files")
    }

    /// The line of `<!DOCTYPE` outside comments, CDATA sections and processing
    /// instructions, or nil when the document has none.
    static func documentTypeLine(in data: Data) -> Int? {
        let bytes = [UInt8](data)
        let skips: [(open: [UInt8], close: [UInt8])] = [
            (Array("<!--".utf8), Array("-->".utf8)), (Array("<![CDATA[".utf8), Array("]]>".utf8)),
            (Array("<?".utf8), Array("?>".utf8)),
        ]
        let doctype = Array("<!DOCTYPE".utf8)
        func matches(_ pattern: [UInt8], at position: Int) -> Bool {
            position + pattern.count <= bytes.count && bytes[position..<position + pattern.count].elementsEqual(pattern)
        }
        var position = 0
        while position < bytes.count {
            guard bytes[position] == UInt8(ascii: "<") else { position += 1; continue }
            if matches(doctype, at: position) {
                return bytes[..<position].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            }
            if let skip = skips.first(where: { matches($0.open, at: position) }) {
                position += skip.open.count
                while position < bytes.count && !matches(skip.close, at: position) { position += 1 }
                position += skip.close.count
            } else {
                position += 1
            }
        }
        return nil
    }
}
