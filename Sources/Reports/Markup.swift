import Policy

/// HTML or XML text in which everything interpolated is escaped unless it is itself
/// `Markup`. Literals are trusted markup written here; values (addresses, paths, messages,
/// anything from an input) can only get in escaped, so escaping is the default rather than
/// something each call site has to remember.
///
///     let cell: Markup = "<td title=\"\(service.hint ?? "")\">\(service.address)</td>"
struct Markup: ExpressibleByStringInterpolation, CustomStringConvertible, Sendable {
    private(set) var text: String

    init(stringLiteral value: String) { text = value }

    init(stringInterpolation: StringInterpolation) { text = stringInterpolation.text }

    var description: String { text }

    /// Markup made of `parts`, one after another.
    init(joining parts: [Markup], separator: String = "") {
        text = parts.map(\.text).joined(separator: separator)
    }

    static func + (lhs: Markup, rhs: Markup) -> Markup { Markup(joining: [lhs, rhs]) }

    struct StringInterpolation: StringInterpolationProtocol {
        var text = ""

        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }

        mutating func appendLiteral(_ literal: String) { text += literal }

        /// Markup goes in as it is.
        mutating func appendInterpolation(_ markup: Markup) { text += markup.text }

        /// A list of markup goes in one after another.
        mutating func appendInterpolation(_ parts: [Markup]) { for part in parts { text += part.text } }

        /// Anything else goes in as escaped text.
        mutating func appendInterpolation<Value>(_ value: Value) { text += "\(value)".htmlEscaped }

        /// A number: its digits and sign need no escaping.
        mutating func appendInterpolation(_ value: some BinaryInteger) { text += String(value) }
    }
}

extension String {
    /// The string as text that is safe in HTML and XML 1.0 element content and quoted
    /// attribute values: `&`, `<`, `>`, `"` and `'` become character references; control
    /// characters (line breaks and tab included), the Unicode line separators and the
    /// format characters (bidirectional controls, zero-width ones, tags) become visible escapes as on a terminal (`\e`, `\n`,
    /// `\u{202E}`: `Unicode.Scalar.visibleEscape`), so a value can neither reorder nor
    /// hide what a reader sees, nor act on a terminal or in a CI log that shows the file
    /// raw; U+FFFE and U+FFFF, which XML forbids, become U+FFFD. Line breaks of the
    /// document itself are markup (`Markup` literals), never escaped text.
    var htmlEscaped: String {
        // Most values (addresses, ports, keys, counts) are printable ASCII with nothing to
        // escape: they go in as they are, without a copy made scalar by scalar.
        guard containsUTF8Byte(where: Self.needsHTMLEscape) else { return self }
        return utf8.withContiguousStorageIfAvailable(Self.htmlEscaped) ?? Array(utf8).withUnsafeBufferPointer(Self.htmlEscaped)
    }

    /// `htmlEscaped` of the UTF-8 `text` (well-formed, as a string's is), into bytes: ASCII
    /// byte by byte, a non-ASCII scalar decoded only to look it up
    /// (`visibleEscape`). Appending to a string scalar by scalar cost a JUnit report of
    /// 36,000 findings, whose remediations hold quotes, a sixth of its writing.
    private static func htmlEscaped(_ text: UnsafeBufferPointer<UInt8>) -> String {
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.count + 16)
        var index = 0
        while index < text.count {
            let byte = text[index]
            switch byte {
            case UInt8(ascii: "&"): escaped += "&amp;".utf8
            case UInt8(ascii: "<"): escaped += "&lt;".utf8
            case UInt8(ascii: ">"): escaped += "&gt;".utf8
            case UInt8(ascii: "\""): escaped += "&quot;".utf8
            case UInt8(ascii: "'"): escaped += "&#39;".utf8
            case 0x20..<0x7F: escaped.append(byte)
            case 0..<0x80: escaped += (Unicode.Scalar(byte).visibleEscape ?? "").utf8
            default:
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let sequence = UnsafeBufferPointer(rebasing: text[index..<Swift.min(index + length, text.count)])
                var decoder = UTF8()
                var bytes = sequence.makeIterator()
                guard case .scalarValue(let scalar) = decoder.decode(&bytes) else {
                    escaped += "\u{FFFD}".utf8  // not reached: a string's UTF-8 is well formed
                    index += sequence.count
                    continue
                }
                if scalar == "\u{FFFE}" || scalar == "\u{FFFF}" {
                    escaped += "\u{FFFD}".utf8
                } else if let visible = scalar.visibleEscape {
                    escaped += visible.utf8
                } else {
                    escaped += sequence
                }
                index += sequence.count
                continue
            }
            index += 1
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    /// Whether a UTF-8 byte may need escaping: a markup character, a control character,
    /// or part of a non-ASCII scalar (which may be a format character or U+FFFE).
    private static func needsHTMLEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        default: byte < 0x20 || byte >= 0x7F
        }
    }
}
