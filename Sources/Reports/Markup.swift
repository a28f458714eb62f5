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
    }
}

extension String {
    /// The string as text that is safe in HTML and XML 1.0 element content and quoted
    /// attribute values: `&`, `<`, `>`, `"` and `'` become character references, and the
    /// control characters XML forbids (all below U+0020 except tab, line feed and carriage
    /// return, and U+FFFE/U+FFFF) become U+FFFD.
    var htmlEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
