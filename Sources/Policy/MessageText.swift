/// Text from an input file or option, made safe to quote in an error message.
///
/// Policy files, spark-defaults.conf and XML values are written by whoever controls the
/// configuration; a node name such as `"das1\ntouch /tmp/x\n#"` or a value carrying an
/// escape sequence must not reach the terminal (or a log scraper) raw. Every control
/// character (C0, DEL, C1) is shown as an escape: `\n`, `\t`, `\r`, `\e`, `\0`, or
/// `\u{..}`; a backslash is doubled so the escapes cannot be forged.
extension String {
    public var escapedForMessage: String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar.value {
            case 0x5C: result += "\\\\"
            case 0x0A: result += "\\n"
            case 0x09: result += "\\t"
            case 0x0D: result += "\\r"
            case 0x1B: result += "\\e"
            case 0x00: result += "\\0"
            case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029:
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
