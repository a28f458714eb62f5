extension Unicode.Scalar {
    /// How a character that must never reach a reader raw is shown instead, or nil for a
    /// character that may pass: the C0 controls (line breaks and tab included), DEL, the C1
    /// controls, the Unicode line and paragraph separators, and the bidirectional controls
    /// (embeddings, overrides, isolates and marks, which reorder what a reader sees: the
    /// "Trojan source" trick). ESC, tab and the line breaks get the short forms `\e`, `\t`,
    /// `\n`, `\r`; the rest `\u{XX}` as in a Swift literal (`\u{7}`, `\u{9B}`, `\u{202E}`).
    ///
    /// Every sink's escaping (terminal, Markdown, CSV, HTML and XML, error messages) draws on
    /// this one list, so what counts as dangerous is decided in one place. It lives here,
    /// beside `escapedForMessage`, the lowest module that quotes input text.
    public var visibleEscape: String? {
        switch value {
        case 0x09: "\\t"
        case 0x0A: "\\n"
        case 0x0D: "\\r"
        case 0x1B: "\\e"
        case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069:
            "\\u{" + String(value, radix: 16, uppercase: true) + "}"
        default: nil
        }
    }
}
