import Policy

extension String {
    /// The string as one CSV field that a spreadsheet shows as the text it is:
    ///
    /// - control characters, line breaks included, become visible escapes as on a terminal
    ///   (`Unicode.Scalar.visibleEscape`), so a field is one line and cannot reach a
    ///   terminal raw when the file is printed;
    /// - a field starting with `=`, `+`, `-`, `@`, tab or carriage return, which Excel,
    ///   LibreOffice and Google Sheets would run as a formula (`=HYPERLINK(...)`), gets a
    ///   leading `'` (the OWASP rule for CSV injection). No field of a report is a
    ///   negative number (counts, ports and times are unsigned or text), so nothing
    ///   legitimate changes;
    /// - then RFC 4180: quoted, with quotes doubled, when it holds a comma or a quote.
    var csvField: String {
        if isPlainCSVField { return self }
        var field = terminalEscaped
        // The first scalar is one of these ASCII characters exactly when the first byte is.
        switch utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
            field = "'" + field
        default: break
        }
        guard field.containsUTF8Byte(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") }) else { return field }
        var quoted: [UInt8] = [UInt8(ascii: "\"")]
        quoted.reserveCapacity(field.utf8.count + 4)
        for byte in field.utf8 {
            quoted.append(byte)
            if byte == UInt8(ascii: "\"") { quoted.append(byte) }
        }
        quoted.append(UInt8(ascii: "\""))
        return String(decoding: quoted, as: UTF8.self)
    }

    /// Whether `csvField` leaves the string as it is: printable ASCII without a comma or a
    /// quote, not starting as a formula. One pass over the bytes, as most fields (addresses,
    /// keys, names) are.
    var isPlainCSVField: Bool {
        switch utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"): return false
        default: return !containsUTF8Byte { $0 < 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") }
        }
    }
}
