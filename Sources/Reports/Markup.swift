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
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\u{FFFE}", "\u{FFFF}": escaped += "\u{FFFD}"
            default:
                if let visible = scalar.visibleEscape { escaped += visible } else { escaped.unicodeScalars.append(scalar) }
            }
        }
        return escaped
    }
}
