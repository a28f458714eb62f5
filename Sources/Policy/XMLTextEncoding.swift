import Foundation

/// Hands the XML reader (`XMLReader`, which reads UTF-8) nothing but UTF-8: a document is
/// passed on as it is when its bytes are UTF-8, converted here when it declares ISO-8859-1
/// (the encoding WSO2 ships carbon.xml in) or opens with a UTF-16 byte order mark (Windows
/// Notepad's "Unicode"; Java's XML readers take it), refused otherwise with the line of the
/// first byte that is not UTF-8. (Under Foundation's XMLParser, a carbon.xml saved in
/// Latin-1 without saying so stopped dasaudit with a trap; the das-home fuzz target found it,
/// Fuzz/README.md.)
enum XMLTextEncoding {
    /// `data` as UTF-8 for the reader, or nil when it is neither UTF-8, nor UTF-16 with a
    /// byte order mark, nor declared ISO-8859-1.
    static func utf8Document(_ data: Data) -> Data? {
        if let text = utf16Text(data) {
            // The declaration (`encoding="UTF-16"`) now describes UTF-8 bytes.
            var converted = Data(text.utf8)
            if let label = declaredLabel(converted) { converted.replaceSubrange(label, with: Data("UTF-8".utf8)) }
            return converted
        }
        if firstInvalidUTF8Line(data) == nil { return data }
        guard let label = declaredLabel(data),
              ["iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "iso-latin-1"].contains(
                  String(decoding: data.dropFirst(label.lowerBound).prefix(label.count), as: UTF8.self).lowercased())
        else { return nil }
        // Latin-1 maps each byte to the code point of its value; the declaration is ASCII,
        // so its label keeps its offsets in the converted text and is relabelled UTF-8.
        var converted = Data(String(data.map { Character(Unicode.Scalar($0)) }).utf8)
        converted.replaceSubrange(label, with: Data("UTF-8".utf8))
        return converted
    }

    /// The text of `data` when it opens with a UTF-16 byte order mark (FF FE little-endian,
    /// FE FF big-endian) and decodes cleanly, without the mark.
    private static func utf16Text(_ data: Data) -> String? {
        guard data.count >= 2, data.count % 2 == 0 else { return nil }
        let first = data[data.startIndex], second = data[data.startIndex + 1]
        let encoding: String.Encoding
        switch (first, second) {
        case (0xFF, 0xFE): encoding = .utf16LittleEndian
        case (0xFE, 0xFF): encoding = .utf16BigEndian
        default: return nil
        }
        return String(data: data.dropFirst(2), encoding: encoding)
    }

    /// The line of the first byte that is not UTF-8, or nil when there is none.
    static func firstInvalidUTF8Line(_ data: Data) -> Int? {
        var line = 1
        var bytes = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: return nil
            case .error: return line
            }
        }
    }

    /// The byte range of the encoding label when `data` opens with a well-formed XML
    /// declaration naming an encoding (`<?xml version="1.0" encoding="ISO-8859-1"?>`).
    private static func declaredLabel(_ data: Data) -> Range<Int>? {
        let head = Substring(String(decoding: data.prefix(200).prefix { $0 < 0x80 }, as: UTF8.self))
        var text = head
        guard text.skip("<?xml"), text.skipSpace(required: true), text.skip("version"), text.skipEquals(),
              let version = text.quoted(), version.hasPrefix("1."), text.skipSpace(required: true),
              text.skip("encoding"), text.skipEquals(), let encoding = text.quoted()
        else { return nil }
        let start = head.utf8.distance(from: head.startIndex, to: encoding.startIndex)
        return start..<start + encoding.utf8.count
    }
}

/// The few steps of reading an XML declaration.
private extension Substring {
    /// Consumes `literal` if the text starts with it.
    mutating func skip(_ literal: String) -> Bool {
        guard hasPrefix(literal) else { return false }
        removeFirst(literal.count)
        return true
    }

    /// Consumes XML white space; false when `required` and there is none.
    mutating func skipSpace(required: Bool) -> Bool {
        let spaces = prefix { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }.count
        removeFirst(spaces)
        return spaces > 0 || !required
    }

    /// Consumes `=` with optional white space around it.
    mutating func skipEquals() -> Bool {
        _ = skipSpace(required: false)
        guard skip("=") else { return false }
        return skipSpace(required: false)
    }

    /// Consumes a value in single or double quotes and returns it (nil, consuming nothing
    /// certain, when there is none or it holds anything but letters, digits, `.`, `_`, `-`).
    mutating func quoted() -> Substring? {
        guard let quote = first, quote == "\"" || quote == "'" else { return nil }
        let value = dropFirst().prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }
        guard !value.isEmpty, dropFirst(value.count + 1).first == quote else { return nil }
        removeFirst(value.count + 2)
        return value
    }
}
