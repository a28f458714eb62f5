import Policy

extension String {
    /// The string as text that is safe to print on a terminal: every control character
    /// (C0 with tab and line breaks, DEL, C1), the Unicode line separators and the format
    /// characters (bidirectional controls, zero-width space and joiners, BOM, tags) are
    /// shown as visible escapes (`\e`, `\n`, `\u{202E}`, `\u{200B}`, see
    /// `Unicode.Scalar.visibleEscape`), so text taken from an input (a file name, a node
    /// name, a waiver's reason, a message echoing a YAML file) cannot set the window title,
    /// clear the screen, move the cursor, forge a line of output, reorder what is shown or
    /// hide text in it.
    /// Everything else, non-ASCII letters included, is kept.
    public var terminalEscaped: String {
        if isPrintableASCII { return self }
        var escaped = ""
        escaped.reserveCapacity(utf8.count + 8)
        for scalar in unicodeScalars {
            if let visible = scalar.visibleEscape { escaped += visible } else { escaped.unicodeScalars.append(scalar) }
        }
        return escaped
    }
}
