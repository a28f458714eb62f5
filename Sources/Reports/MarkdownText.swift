import Policy

extension String {
    /// The string as literal Markdown text, safe anywhere in a line and inside a table
    /// cell: the characters GitHub-flavoured Markdown, its tables, math and inline HTML
    /// read as syntax (`\ ` * _ [ ] < > | ~ & # $`) are backslash-escaped, and control
    /// characters, line breaks included, become visible escapes as on a terminal
    /// (`Unicode.Scalar.visibleEscape`), so a value can neither end its cell or line nor
    /// reach a terminal that shows the file raw. A backslash before a letter, as in `\e`,
    /// is literal in Markdown.
    var markdownEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count + 8)
        for scalar in unicodeScalars {
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&", "#", "$":
                escaped += "\\"
                escaped.unicodeScalars.append(scalar)
            default:
                if let visible = scalar.visibleEscape { escaped += visible } else { escaped.unicodeScalars.append(scalar) }
            }
        }
        return escaped
    }

    /// A digest (SHA-256 in hex) as a Markdown code span; anything but hex digits, which a
    /// hand-edited result could hold, as escaped text instead, since backslashes do not
    /// escape inside a code span and a backtick would end it.
    var markdownDigest: String {
        let hex = !isEmpty && utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
        return hex ? "`" + self + "`" : markdownEscaped
    }
}
