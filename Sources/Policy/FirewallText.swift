/// Text from a policy made safe for a firewall rule file. Node names, reasons and the like
/// come from the user; written raw, a newline in a node name ends a comment and starts a
/// command (`das1\ntouch /tmp/x\n#` in a shell script) or a table (`nft -f`). So rule files
/// carry only derived identifiers and escaped comments, never the input text itself.
enum FirewallText {
    /// Characters kept in comments; every other one becomes `?`. No quotes, backslashes,
    /// `#`, `;`, braces or control characters: nothing that can end a quoted string, a
    /// comment line or a statement in either dialect.
    static let commentCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:_+-/()=@[]")

    /// `text` with only `commentCharacters` and at most `limit` characters (nftables keeps
    /// 128 bytes of a rule comment, iptables 255), safe inside `"..."` and after `#`.
    static func comment(_ text: String, limit: Int = 120) -> String {
        let kept = String(text.map { commentCharacters.contains($0) ? $0 : "?" })
        return kept.count <= limit ? kept : String(kept.prefix(limit - 3)) + "..."
    }

    /// Width of a header comment line before it wraps (past the existing lines' longest).
    static let commentWidth = 110

    /// The words of `text`, then `items` separated by commas, as `#` comment lines of at most
    /// `commentWidth` characters where the words allow: a line breaks only between words and
    /// between items (never inside `12500 spark.broadcast.port`), and continues indented.
    /// Each word and item is escaped (`comment`); nothing is cut but an item over 120 characters.
    static func commentLines(_ text: String, items: [String] = []) -> [String] {
        let pieces = text.split(separator: " ").map { comment(String($0)) }
            + items.enumerated().map { comment($1) + ($0 < items.count - 1 ? "," : "") }
        var lines: [String] = []
        var line = ""
        for piece in pieces {
            if !line.isEmpty, line.count + 1 + piece.count > commentWidth {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + piece
        }
        if !line.isEmpty { lines.append(line) }
        return lines.enumerated().map { ($0 == 0 ? "# " : "#   ") + $1 }
    }

    /// Characters an identifier keeps as they are.
    static let identifierCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")

    /// A name for a chain derived from `name`, at most `maxLength` characters: the name
    /// itself when it is made of letters, digits, `_` and `-` and fits; otherwise its
    /// characters with the others turned into `_`, cut to fit, then `.` and a hash of the
    /// whole name. Names kept as they are never contain `.`, so a derived name cannot equal
    /// a kept one, and `a-b`, `a_b` and `a b` stay three names.
    static func identifier(_ name: String, maxLength: Int) -> String {
        precondition(maxLength > 9, "room for a hash")
        if !name.isEmpty, name.count <= maxLength, name.allSatisfy(identifierCharacters.contains) {
            return name
        }
        let cleaned = String(name.map { identifierCharacters.contains($0) ? $0 : "_" })
        let hash = String(shortHash(name), radix: 16)
        let padded = String(repeating: "0", count: 8 - hash.count) + hash
        return String(cleaned.prefix(maxLength - 9)) + "." + padded
    }

    /// 32 bits of FNV-1a over the UTF-8 bytes: stable across runs and platforms, unlike `Hasher`.
    static func shortHash(_ text: String) -> UInt32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}
