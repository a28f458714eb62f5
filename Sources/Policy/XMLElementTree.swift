import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML document as a plain tree, with namespace prefixes dropped: DAS files put
/// carbon.xml under a default namespace, and we match elements by their local name.
///
/// Built for hostile input:
/// - a document type declaration (`<!DOCTYPE`, and so any `<!ENTITY`) is refused before
///   parsing: DAS configuration has none, and refusing it rules out external entities
///   (XXE), nested entity expansion (billion laughs) and floods of references to one
///   entity, whatever the XML parser would do with them; the parser's own refusal of
///   external entities stays on;
/// - nesting is limited to `depthLimit` elements (DAS files nest about 10 deep);
/// - the elements live in one flat array and refer to their children by index, so a
///   tree of any shape is freed without recursion (a chain of nested values would be
///   torn down one stack frame per level).
struct XMLElementTree {
    static let depthLimit = 256

    /// One element: its local name, attributes, text, and children as indices into `elements`.
    private struct Element {
        var name: String
        var attributes: [String: String]
        var text: String
        var children: [Int]
        /// The line of the start tag, for error messages and setting origins.
        var line: Int
    }

    private let elements: [Element]
    private let index: Int

    var name: String { elements[index].name }
    var attributes: [String: String] { elements[index].attributes }
    var text: String { elements[index].text }
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

    /// Parses `data`, or throws with the parser's line and message.
    static func parse(_ data: Data, source: String) throws -> XMLElementTree {
        try refuseDocumentType(in: data, source: source)
        guard let document = XMLTextEncoding.utf8Document(data) else {
            throw PolicyError(source: source, line: XMLTextEncoding.firstInvalidUTF8Line(data), message: "is not UTF-8 text, "
                + "nor UTF-16 with a byte order mark, nor declared ISO-8859-1 (<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>); "
                + "save it as UTF-8")
        }
        // Again on the converted text: in UTF-16, `<!DOCTYPE` is not those ASCII bytes.
        try refuseDocumentType(in: document, source: source)
        let builder = Builder()
        let parser = XMLParser(data: XMLProcessingInstructions.blankedOut(document))
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        let parsed = parser.parse()
        if let depthLine = builder.tooDeepAtLine {
            throw PolicyError(source: source, line: depthLine, message: "elements nest deeper than \(depthLimit) levels, "
                + "the limit for configuration files")
        }
        guard parsed, let root = builder.root else {
            throw PolicyError(source: source, line: parser.lineNumber,
                              message: "not well-formed XML (\(parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element"))")
        }
        return XMLElementTree(elements: builder.elements, index: root)
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

    private final class Builder: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        /// Indices of the open elements, outermost first.
        var open: [Int] = []
        /// The first top-level element, once closed.
        var root: Int?
        /// Set when the depth limit stopped the parse.
        var tooDeepAtLine: Int?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            guard open.count < XMLElementTree.depthLimit else {
                tooDeepAtLine = parser.lineNumber
                parser.abortParsing()
                return
            }
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            elements.append(Element(name: local, attributes: attributes, text: "", children: [], line: parser.lineNumber))
            let index = elements.count - 1
            if let parent = open.last { elements[parent].children.append(index) }
            open.append(index)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let current = open.last { elements[current].text += string }
        }

        /// `<Offset><![CDATA[3]]></Offset>`: text as DAS's XML readers see it (the parser
        /// reports CDATA here and not as characters). The document is UTF-8 by now.
        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            if let current = open.last { elements[current].text += String(decoding: CDATABlock, as: UTF8.self) }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            // The root counts once it is closed: a document cut short has none.
            if let closed = open.popLast(), open.isEmpty, root == nil { root = closed }
        }
    }
}
