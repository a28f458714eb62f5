import PathBytes
extension Unicode.Scalar {
    /// How a character that must never reach a reader raw is shown instead, or nil for a
    /// character that may pass: the C0 controls (line breaks and tab included), DEL, the C1
    /// controls, the Unicode line and paragraph separators, and every format character
    /// (general category Cf). The format characters are invisible or reorder what a reader
    /// sees: the bidirectional controls (embeddings, overrides, isolates and marks: the
    /// "Trojan source" trick), the zero-width space, joiners and word joiner, the BOM, the
    /// soft hyphen, the invisible operators, the tag characters U+E0000-E007F and the
    /// interlinear annotation characters, any of which would hide or disguise text in a
    /// waiver reason, a policy name or a file name an auditor reads. ESC, tab and the line
    /// breaks get the short forms `\e`, `\t`, `\n`, `\r`; the rest `\u{XX}` as in a Swift
    /// literal (`\u{7}`, `\u{9B}`, `\u{200B}`, `\u{E0041}`). A scalar that stands for a byte
    /// of a file name that is not UTF-8 (`PathBytes`) is that byte, `\xFC`.
    ///
    /// Every sink's escaping (terminal, Markdown, CSV, HTML and XML, JSON, error messages)
    /// draws on this one list, so what counts as dangerous is decided in one place. It
    /// lives here, beside `escapedForMessage`, the lowest module that quotes input text.
    public var visibleEscape: String? {
        if let byte = PathBytes.byte(standingFor: self) { return "\\x" + String(byte, radix: 16, uppercase: true) }
        return switch value {
        case 0x09: "\\t"
        case 0x0A: "\\n"
        case 0x0D: "\\r"
        case 0x1B: "\\e"
        case 0x20..<0x7F: nil
        case 0x00..<0x20, 0x7F..<0xA0, 0x2028, 0x2029:
            escapedValue
        default: properties.generalCategory == .format ? escapedValue : nil
        }
    }

    /// `\u{XX}`, the value in uppercase hex as in a Swift literal.
    private var escapedValue: String {
        "\\u{" + String(value, radix: 16, uppercase: true) + "}"
    }
}
