import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML document as a plain tree, with namespace prefixes dropped: DAS files put
/// carbon.xml under a default namespace, and we match elements by their local name.
struct XMLElementTree {
    var name: String
    var attributes: [String: String]
    var text: String
    var children: [XMLElementTree]

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
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw PolicyError(source: source, line: parser.lineNumber,
                              message: "not well-formed XML (\(parser.parserError.map { "\($0.localizedDescription)" } ?? "no root element"))")
        }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLElementTree] = []
        var root: XMLElementTree?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            stack.append(XMLElementTree(name: local, attributes: attributes, text: "", children: []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].text += string }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard let element = stack.popLast() else { return }
            if stack.isEmpty { root = element } else { stack[stack.count - 1].children.append(element) }
        }
    }
}
