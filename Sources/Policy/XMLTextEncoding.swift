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

    /// Whether libxml2 takes `data` as UTF-8: no UTF-16/UTF-32 byte-order mark or
    /// UTF-16 form of `<?`, and an XML declaration, if any, that names UTF-8 or no encoding.
    private static func readsAsUTF8(_ data: Data) -> Bool {
        let head = Array(data.prefix(4))
        let otherForms: [[UInt8]] = [[0xFE, 0xFF], [0xFF, 0xFE], [0x00, 0x00, 0xFE, 0xFF], [0x00, 0x3C], [0x3C, 0x00]]
        if otherForms.contains(where: head.starts(with:)) { return false }
        var text = Array(data.prefix(200))
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
        guard text.starts(with: Array("<?xml".utf8)), let end = text.firstRange(of: Array("?>".utf8)) else { return true }
        let declaration = String(decoding: text[..<end.lowerBound], as: UTF8.self)
        guard let key = declaration.range(of: "encoding") else { return true }
        let value = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
            .prefix { $0 != "\"" && $0 != "'" && $0 != " " }
        return ["utf-8", "utf8"].contains(value.lowercased())
    }
}
