import Policy

extension String {
    /// The string as literal Markdown text, safe anywhere in a line and inside a table
    /// cell: the characters GitHub-flavoured Markdown, its tables, math and inline HTML
    /// read as syntax (`\ ` * _ [ ] < > | ~ & # $`) are backslash-escaped, and control
    /// characters, line breaks included, become visible escapes as on a terminal
    /// (`Unicode.Scalar.visibleEscape`), so a value can neither end its cell or line nor
    /// reach a terminal that shows the file raw. A backslash before a letter, as in `\e`,
    /// is literal in Markdown. U+FFFE and U+FFFF, noncharacters, become U+FFFD.
    ///
    /// Nor can a value become a link through GFM's autolinks (GitHub, GitLab, cmark-gfm's
    /// `autolink` extension), which find `www.`, `http://` (any `scheme://`) and
    /// `user@host` in plain text: the `.` after `www` and a `:` before `//` are
    /// backslash-escaped, which ends the text the extension looks at, and each run of `@` is
    /// a code span (`` `@` ``): neither `\@` nor `&#64;` stops an e-mail autolink, since
    /// both are text again before the extension runs, and a code span is not text. The
    /// rendered text reads, and copies, as the value.
    var markdownEscaped: String {
        // Most values (addresses, ports, keys, counts) hold nothing to escape: passed as they
        // are, without the scalars copied into an array and appended one by one.
        needsMarkdownEscape ? markdownEscapedScalarByScalar : self
    }

    /// `markdownEscaped` worked out scalar by scalar, whatever the string holds.
    var markdownEscapedScalarByScalar: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count + 8)
        let scalars = Array(unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "~", "&", "#", "$":
                escaped += "\\"
                escaped.unicodeScalars.append(scalar)
            case "@":
                var run = index
                while run < scalars.count, scalars[run] == "@" { run += 1 }
                escaped += "`" + String(repeating: "@", count: run - index) + "`"
                index = run
                continue
            case ":" where scalars[(index + 1)...].starts(with: ["/", "/"]):
                escaped += "\\:"
            case "." where index >= 3 && scalars[(index - 3)..<index].allSatisfy({ $0 == "w" || $0 == "W" }):
                escaped += "\\."
            case "\u{FFFE}", "\u{FFFF}":
                escaped += "\u{FFFD}"
            default:
                if let visible = scalar.visibleEscape { escaped += visible } else { escaped.unicodeScalars.append(scalar) }
            }
            index += 1
        }
        return escaped
    }

    /// Whether `markdownEscaped` changes anything: a byte it escapes, a control character
    /// or a non-ASCII one (it may be a format character), `://` or `www.` (any case).
    private var needsMarkdownEscape: Bool {
        // From the string's own storage where it has one, as `containsUTF8Byte` reads.
        utf8.withContiguousStorageIfAvailable(Self.needsMarkdownEscape) ?? Array(utf8).withUnsafeBufferPointer(Self.needsMarkdownEscape)
    }

    /// Bytes below 128 that `needsMarkdownEscape` looks at, as bits of two masks (bytes 0-63,
    /// 64-127): the syntax characters and controls, and `.` and `:`, which start `www.` and
    /// `://` checks. A plain letter, digit or space costs one test; a byte at or above 128 is
    /// non-ASCII and needs the escape's look.
    private static let (lowBytesToLookAt, highBytesToLookAt): (UInt64, UInt64) = {
        var masks: (low: UInt64, high: UInt64) = (0, 0)
        for byte in UInt8(0)..<128 where byte < 0x20 || byte == 0x7F || "\\`*_[]<>|~&#$@.:".utf8.contains(byte) {
            if byte < 64 { masks.low |= 1 << byte } else { masks.high |= 1 << (byte - 64) }
        }
        return masks
    }()

    private static func needsMarkdownEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func isW(_ byte: UInt8) -> Bool { byte | 0x20 == UInt8(ascii: "w") }  // w or W
        let (low, high) = (lowBytesToLookAt, highBytesToLookAt)
        for index in bytes.indices {
            let byte = bytes[index]
            let lookAt = byte < 64 ? low >> byte & 1 != 0 : byte < 128 ? high >> (byte & 63) & 1 != 0 : true
            guard lookAt else { continue }
            switch byte {
            case UInt8(ascii: "."):
                if index >= 3, isW(bytes[index - 3]), isW(bytes[index - 2]), isW(bytes[index - 1]) { return true }
            case UInt8(ascii: ":"):
                if index + 2 < bytes.count, bytes[index + 1] == UInt8(ascii: "/"), bytes[index + 2] == UInt8(ascii: "/") { return true }
            default:
                return true
            }
        }
        return false
    }

    /// A digest (SHA-256 in hex) as a Markdown code span; anything but hex digits, which a
    /// hand-edited result could hold, as escaped text instead, since backslashes do not
    /// escape inside a code span and a backtick would end it.
    var markdownDigest: String {
        let hex = !isEmpty && utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
        return hex ? "`" + self + "`" : markdownEscaped
    }
}
