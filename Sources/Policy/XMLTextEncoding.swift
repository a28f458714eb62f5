import Foundation

/// Checks that an XML document read as UTF-8 really is UTF-8, before Foundation's
/// `XMLParser` sees it.
///
/// swift-corelibs-foundation force-unwraps the UTF-8 decoding of every comment libxml2
/// reports, so a carbon.xml saved in Latin-1 without saying so (`<!-- café -->`) would stop
/// dasaudit with a trap instead of an error naming the file (found by the das-home fuzz
/// target, Fuzz/README.md). Documents that declare another encoding, or start with a UTF-16
/// or UTF-32 byte-order mark, are left to libxml2, which converts them to UTF-8 itself.
enum XMLTextEncoding {
    /// The line of the first byte that is not UTF-8 in a document read as UTF-8 (no
    /// byte-order mark of another encoding, no `encoding` declared other than UTF-8), or
    /// nil when there is none.
    static func firstInvalidUTF8Line(_ data: Data) -> Int? {
        guard readsAsUTF8(data) else { return nil }
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

    /// Whether libxml2 takes `data` as UTF-8: no UTF-16/UTF-32 byte-order mark or UTF-16
    /// form of `<`, and no well-formed XML declaration naming another encoding. The
    /// declaration is read as strictly as libxml2 reads it (`<?xml version="1.0"
    /// encoding="ISO-8859-1"?>`): one it would not take names no encoding for it either.
    private static func readsAsUTF8(_ data: Data) -> Bool {
        let head = Array(data.prefix(4))
        let otherForms: [[UInt8]] = [[0xFE, 0xFF], [0xFF, 0xFE], [0x00, 0x00, 0xFE, 0xFF], [0x00, 0x3C], [0x3C, 0x00]]
        if otherForms.contains(where: head.starts(with:)) { return false }
        var text = Substring(String(decoding: data.prefix(200), as: UTF8.self))
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard text.skip("<?xml"), text.skipSpace(required: true), text.skip("version"), text.skipEquals(),
              text.quoted() != nil, text.skipSpace(required: true), text.skip("encoding"), text.skipEquals(),
              let encoding = text.quoted() else { return true }
        return ["utf-8", "utf8"].contains(encoding.lowercased())
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
