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
        var escaped: [UInt8] = []
        escaped.reserveCapacity(utf8.count + 16)
        Self.escapingHTML(self) { escaped.append(contentsOf: $0) }
        return String(decoding: escaped, as: UTF8.self)
    }

    /// Hands `htmlEscaped` of `text` to `emit` in pieces: each run of bytes that need
    /// nothing as it is, each escape on its own. One escape for the string and for a sink
    /// (`ByteSink.write(htmlEscaping:)`); a non-ASCII scalar is decoded only to look it up
    /// (`visibleEscape`). Remediations hold quotes, and copying them byte by byte, or
    /// scalar by scalar into a string, was a sixth of a JUnit report's writing.
    @inline(__always)
    static func escapingHTML(_ text: String, _ emit: (UnsafeRawBufferPointer) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0, index = 0
            func writeRun() {
                if index > runStart { emit(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[runStart..<index])) }
            }
            func write(_ literal: StaticString) {
                emit(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
            }
            func write(_ string: String) {
                var string = string
                string.withUTF8 { emit(UnsafeRawBufferPointer($0)) }
            }
            while index < bytes.count {
                let byte = bytes[index]
                guard needsHTMLEscape(byte) else { index += 1; continue }
                writeRun()
                var length = 1
                switch byte {
                case UInt8(ascii: "&"): write("&amp;" as StaticString)
                case UInt8(ascii: "<"): write("&lt;" as StaticString)
                case UInt8(ascii: ">"): write("&gt;" as StaticString)
                case UInt8(ascii: "\""): write("&quot;" as StaticString)
                case UInt8(ascii: "'"): write("&#39;" as StaticString)
                case 0..<0x80: write(Unicode.Scalar(byte).visibleEscape ?? "")
                default:
                    length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                    let sequence = UnsafeBufferPointer(rebasing: bytes[index..<Swift.min(index + length, bytes.count)])
                    length = sequence.count
                    var decoder = UTF8()
                    var iterator = sequence.makeIterator()
                    if case .scalarValue(let scalar) = decoder.decode(&iterator), scalar != "\u{FFFE}", scalar != "\u{FFFF}" {
                        if let visible = scalar.visibleEscape { write(visible) } else { emit(UnsafeRawBufferPointer(sequence)) }
                    } else {
                        write("\u{FFFD}")  // U+FFFE, U+FFFF (a string's UTF-8 is otherwise well formed)
                    }
                }
                index += length
                runStart = index
            }
            writeRun()
        }
    }

    /// Whether a UTF-8 byte may need escaping: a markup character, a control character,
    /// or part of a non-ASCII scalar (which may be a format character or U+FFFE).
    @inline(__always)
    static func needsHTMLEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        default: byte < 0x20 || byte >= 0x7F
        }
    }
}
