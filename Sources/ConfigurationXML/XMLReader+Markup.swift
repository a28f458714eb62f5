/// The markup that carries no element: comments, CDATA sections, processing instructions
/// and the XML declaration.
extension XMLReader {
    /// `<!-- ... -->`, in which `--` may appear only as the end.
    mutating func readComment() throws {
        advance(by: 4)
        guard let dashes = firstIndex(of: "--", from: position) else {
            throw failure("the document ends inside a comment")
        }
        advance(to: dashes)
        guard matches("-->") else { throw failure("'--' inside a comment") }
        advance(by: 3)
    }

    /// `<![CDATA[ ... ]]>`: its bytes are the open element's text, as they are.
    mutating func readCDATASection() throws {
        advance(by: 9)
        guard let end = firstIndex(of: "]]>", from: position) else {
            throw failure("the document ends inside a CDATA section")
        }
        try appendText(bytes[position..<end])
        advance(to: end + 3)
    }

    /// `<?target data?>`, skipped: no configuration file dasaudit reads gives one a meaning.
    /// `xml` (in any case) is reserved for the declaration, which only opens a document.
    mutating func readProcessingInstruction() throws {
        advance(by: 2)
        let target = try readName(of: "a processing instruction's target")
        guard target.lowercased() != "xml" else {
            throw failure("an XML declaration (<?xml ...?>) that is not at the very start of the document")
        }
        if matches("?>") {
            advance(by: 2)
            return
        }
        guard skipSpace() else { throw failure("white space missing after the processing instruction's target \(target)") }
        guard let end = firstIndex(of: "?>", from: position) else {
            throw failure("the document ends inside a processing instruction")
        }
        advance(to: end + 2)
    }

    /// `<?xml version="1.x" encoding="..." standalone="yes|no"?>`, the last two optional and
    /// in that order. The encoding is not acted on: the document is UTF-8 by the time it is read.
    mutating func readDeclaration() throws {
        advance(by: 5)
        let declarationLine = line
        func refused() -> XMLReadError {
            XMLReadError(line: declarationLine, problem: "an XML declaration that does not read "
                + "<?xml version=\"1.0\" encoding=\"...\" standalone=\"yes|no\"?> (the last two optional)")
        }
        func pseudoAttribute(_ name: String, spaced: Bool, valid: (ArraySlice<UInt8>) -> Bool) throws -> Bool {
            guard matches(name) else { return false }
            guard spaced else { throw refused() }
            advance(by: name.utf8.count)
            skipSpace()
            guard matches("=") else { throw refused() }
            advance(by: 1)
            skipSpace()
            guard let quote = position < bytes.count ? bytes[position] : nil, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'"),
                  let end = bytes[(position + 1)...].firstIndex(of: quote), valid(bytes[(position + 1)..<end])
            else { throw refused() }
            advance(to: end + 1)
            return true
        }
        var spaced = skipSpace()
        guard try pseudoAttribute("version", spaced: spaced, valid: { value in
            value.starts(with: "1.".utf8) && value.count > 2 && value.dropFirst(2).allSatisfy { (0x30...0x39).contains($0) }
        }) else { throw refused() }
        spaced = skipSpace()
        let isLetter = { (byte: UInt8) in (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        if try pseudoAttribute("encoding", spaced: spaced, valid: { value in
            guard let first = value.first, isLetter(first) else { return false }
            return value.allSatisfy { byte in
                isLetter(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: "-")
            }
        }) {
            spaced = skipSpace()
        }
        _ = try pseudoAttribute("standalone", spaced: spaced, valid: { value in
            value.elementsEqual("yes".utf8) || value.elementsEqual("no".utf8)
        })
        skipSpace()
        guard matches("?>") else { throw refused() }
        advance(by: 2)
    }
}
