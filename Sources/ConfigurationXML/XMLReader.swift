import PathBytes

/// Reads an XML document into its elements: the small XML 1.0 reader dasaudit uses for a
/// DAS installation's configuration files (carbon.xml, axis2.xml, event-processor.xml, ...),
/// in place of a system XML library, so that the release binary depends on no libxml2.
///
/// It reads what configuration files hold: elements, attributes in either quote style,
/// text, CDATA sections, comments, processing instructions (skipped), the XML declaration,
/// the five predefined entities and character references. Names are kept as written,
/// prefix included (`XMLReadElement.localName` drops it); namespaces are not resolved.
/// Anything that is not well-formed is refused with the line and the problem, and so is a
/// document type declaration (`<!DOCTYPE`): without one no entity but the five exists,
/// which rules out external entities and entity expansion bombs by construction.
///
/// Built for hostile input: it works on bytes checked once up front (`XMLInputText`), never
/// recurses, every index is checked, and `XMLReaderLimits` bounds depth, names, text,
/// elements and attributes, so that memory stays in proportion to the input.
public struct XMLReader {
    /// The document, as `XMLInputText` hands it over.
    let bytes: [UInt8]
    /// Where the reader is in `bytes`, and on which line (from 1).
    private(set) var position = 0
    private(set) var line = 1
    /// Every element so far, in document order: the root first.
    private var elements: [XMLReadElement] = []
    /// Indices of the open elements, outermost first.
    private var open: [Int] = []
    /// Attributes so far, all elements together (`XMLReaderLimits.attributes`).
    private var attributeCount = 0

    /// The elements of the UTF-8 document `input` (a byte order mark is allowed), the root
    /// first; throws `XMLReadError` when it is not well-formed XML 1.0, has a document type
    /// declaration, or breaks one of `XMLReaderLimits`.
    public static func read<Bytes: Collection<UInt8>>(_ input: Bytes) throws -> [XMLReadElement] {
        var reader = XMLReader(bytes: try XMLInputText.normalized(input))
        try reader.readDocument()
        return reader.elements
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// `document ::= XMLDecl? Misc* element Misc*`.
    private mutating func readDocument() throws {
        if startsDeclaration { try readDeclaration() }
        try readMisc(beforeRoot: true)
        guard position < bytes.count else { throw failure("no root element") }
        try readRootElement()
        try readMisc(beforeRoot: false)
    }

    /// Comments, processing instructions and white space around the root element; before
    /// it, returns at the root's `<`.
    private mutating func readMisc(beforeRoot: Bool) throws {
        while true {
            skipSpace()
            guard position < bytes.count else { return }
            if matches("<!--") {
                try readComment()
            } else if matches("<?") {
                try readProcessingInstruction()
            } else if matches("<!DOCTYPE") {
                throw failure("a document type declaration (<!DOCTYPE>); DTDs and entity declarations are refused")
            } else if beforeRoot && matches("<") && !matches("<!") {
                return
            } else {
                throw failure(beforeRoot ? "text or markup before the root element" : "text or markup after the root element")
            }
        }
    }

    /// The root element and everything in it, one piece of content at a time (no recursion).
    private mutating func readRootElement() throws {
        try readStartTag()
        while let current = open.last {
            guard position < bytes.count else {
                throw failure("the document ends inside <\(elements[current].name)> (line \(elements[current].line))")
            }
            switch bytes[position] {
            case UInt8(ascii: "<"):
                if matches("</") {
                    try readEndTag()
                } else if matches("<!--") {
                    try readComment()
                } else if matches("<![CDATA[") {
                    try readCDATASection()
                } else if matches("<?") {
                    try readProcessingInstruction()
                } else if matches("<!") {
                    throw failure("'<!' that opens neither a comment nor a CDATA section")
                } else {
                    try readStartTag()
                }
            case UInt8(ascii: "&"):
                let character = try readReference()
                try appendText(character[...])
            default:
                try readCharacterData()
            }
        }
    }

    /// `<name attribute="value" ...>` or `<name ... />`: adds the element, and opens it
    /// unless it is empty.
    private mutating func readStartTag() throws {
        let tagLine = line
        advance(by: 1)
        let name = try readName(of: "an element")
        guard elements.count < XMLReaderLimits.elements else {
            throw overLimit("more than \(XMLReaderLimits.elements) elements, the limit for configuration files")
        }
        guard open.count < XMLReaderLimits.depth else {
            throw XMLReadError(line: tagLine, problem: "elements nest deeper than \(XMLReaderLimits.depth) levels, "
                + "the limit for configuration files", isOverLimit: true)
        }
        var attributes: [String: String] = [:]
        while true {
            let spaced = skipSpace()
            guard position < bytes.count else { throw failure("the document ends inside the start tag of <\(name)>") }
            let isEmpty = matches("/>")
            if isEmpty || matches(">") {
                advance(by: isEmpty ? 2 : 1)
                elements.append(XMLReadElement(name: name, attributes: attributes, text: "", children: [], line: line))
                if let parent = open.last { elements[parent].children.append(elements.count - 1) }
                if !isEmpty { open.append(elements.count - 1) }
                return
            }
            guard spaced else { throw failure("white space missing before an attribute of <\(name)>, or '>' missing") }
            let attribute = try readName(of: "an attribute")
            skipSpace()
            guard matches("=") else { throw failure("'=' missing after the attribute \(attribute) of <\(name)>") }
            advance(by: 1)
            skipSpace()
            let value = try readAttributeValue()
            guard attributes[attribute] == nil else { throw failure("the attribute \(attribute) appears twice on <\(name)>") }
            attributeCount += 1
            guard attributes.count < XMLReaderLimits.attributesPerElement, attributeCount <= XMLReaderLimits.attributes else {
                throw overLimit("more than \(XMLReaderLimits.attributesPerElement) attributes on <\(name)> or "
                    + "\(XMLReaderLimits.attributes) in the document, the limits for configuration files")
            }
            attributes[attribute] = value
        }
    }

    /// `</name>`, which must close the element open last.
    private mutating func readEndTag() throws {
        advance(by: 2)
        let name = try readName(of: "an end tag")
        skipSpace()
        guard matches(">") else { throw failure("'>' missing after </\(name)") }
        guard let current = open.last, elements[current].name == name else {
            let opened = open.last.map { "<\(elements[$0].name)> (line \(elements[$0].line))" } ?? "no element"
            throw failure("</\(name)> closes \(opened)")
        }
        advance(by: 1)
        open.removeLast()
    }

    /// `"value"` or `'value'`, references replaced and tabs and line breaks made spaces.
    private mutating func readAttributeValue() throws -> String {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
            throw failure("an attribute value that is not in quotes")
        }
        let quote = bytes[position]
        advance(by: 1)
        var value: [UInt8] = []
        while true {
            guard position < bytes.count else { throw failure("the document ends inside an attribute value") }
            let byte = bytes[position]
            if byte == quote {
                advance(by: 1)
                return String(decoding: value, as: UTF8.self)
            }
            switch byte {
            case UInt8(ascii: "<"): throw failure("'<' inside an attribute value (write &lt;)")
            case UInt8(ascii: "&"): value += try readReference()
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"): value.append(UInt8(ascii: " ")); advance(by: 1)
            default: value.append(byte); advance(by: 1)
            }
            guard value.count <= XMLReaderLimits.attributeValueLength else {
                throw overLimit("an attribute value longer than \(XMLReaderLimits.attributeValueLength) bytes, "
                    + "the limit for configuration files")
            }
        }
    }

    /// Text up to the next markup or reference; `]]>` may not appear in it.
    private mutating func readCharacterData() throws {
        let start = position
        var end = position
        while end < bytes.count && bytes[end] != UInt8(ascii: "<") && bytes[end] != UInt8(ascii: "&") {
            if bytes[end] == UInt8(ascii: "]") && matches("]]>", at: end) {
                advance(to: end)
                throw failure("']]>' in text outside a CDATA section (write ]]&gt;)")
            }
            end += 1
        }
        try appendText(bytes[start..<end])
        advance(to: end)
    }

    /// Adds `text` to the element open last.
    mutating func appendText(_ text: ArraySlice<UInt8>) throws {
        guard let current = open.last, !text.isEmpty else { return }
        guard elements[current].text.utf8.count + text.count <= XMLReaderLimits.textLength else {
            throw overLimit("<\(elements[current].name)> (line \(elements[current].line)) holds more than "
                + "\(XMLReaderLimits.textLength) bytes of text, the limit for configuration files")
        }
        elements[current].text += String(decoding: text, as: UTF8.self)
    }
}

// MARK: - Scanning bytes

extension XMLReader {
    /// A name (`Name`: a letter, `_` or `:`, then letters, digits, `.`, `-`, ...), at most
    /// `XMLReaderLimits.nameLength` bytes; `what` says whose, for the error.
    mutating func readName(of what: String) throws -> String {
        let start = position
        var end = position
        while end < bytes.count, let (scalar, length) = PathBytes.scalar(in: bytes, at: end),
              end == start ? XMLCharacters.isNameStart(scalar.value) : XMLCharacters.isName(scalar.value) {
            end += length
            guard end - start <= XMLReaderLimits.nameLength else {
                throw overLimit("a name longer than \(XMLReaderLimits.nameLength) bytes, the limit for configuration files")
            }
        }
        guard end > start else { throw failure("\(what) name expected") }
        advance(to: end)
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Skips white space; whether there was any.
    @discardableResult
    mutating func skipSpace() -> Bool {
        let start = position
        var end = position
        while end < bytes.count && XMLCharacters.isSpace(bytes[end]) { end += 1 }
        advance(to: end)
        return end > start
    }

    /// Whether the bytes at `index` (by default, at the reader's position) spell `literal`.
    func matches(_ literal: String, at index: Int? = nil) -> Bool {
        let index = index ?? position
        guard index >= 0, index <= bytes.count, bytes.count - index >= literal.utf8.count else { return false }
        return zip(bytes[index...], literal.utf8).allSatisfy { $0 == $1 }
    }

    /// Where `literal` next starts, at or after `index`; nil when it does not.
    func firstIndex(of literal: String, from index: Int) -> Int? {
        var candidate = index
        while candidate < bytes.count {
            if matches(literal, at: candidate) { return candidate }
            candidate += 1
        }
        return nil
    }

    /// Moves on to `index` (at most the end), counting the lines passed.
    mutating func advance(to index: Int) {
        let end = min(max(index, position), bytes.count)
        for byte in bytes[position..<end] where byte == UInt8(ascii: "\n") { line += 1 }
        position = end
    }

    mutating func advance(by count: Int) { advance(to: position + count) }

    /// Whether the document's first bytes are an XML declaration (`<?xml` and a space or `?>`).
    var startsDeclaration: Bool {
        matches("<?xml") && (matches("?>", at: 5) || (bytes.count > 5 && XMLCharacters.isSpace(bytes[5])))
    }

    /// The error at the reader's line.
    func failure(_ problem: String) -> XMLReadError { XMLReadError(line: line, problem: problem) }

    /// The error for a broken `XMLReaderLimits` limit, at the reader's line.
    func overLimit(_ problem: String) -> XMLReadError { XMLReadError(line: line, problem: problem, isOverLimit: true) }
}
