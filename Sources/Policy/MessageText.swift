/// Text from an input file or option, made safe to quote in an error message.
///
/// Policy files, spark-defaults.conf and XML values are written by whoever controls the
/// configuration; a node name such as `"das1\ntouch /tmp/x\n#"` or a value carrying an
/// escape sequence must not reach the terminal (or a log scraper) raw. Every character of
/// `Unicode.Scalar.visibleEscape`'s list (C0, DEL, C1, the line separators, the format
/// characters: bidirectional controls, zero-width ones, tags) is shown as its escape, NUL as `\0`; a backslash is doubled so
/// the escapes cannot be forged.
extension String {
    public var escapedForMessage: String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x5C: result += "\\\\"
            case 0x00: result += "\\0"
            default:
                if let visible = scalar.visibleEscape { result += visible } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }
}
