import Foundation
import Policy

/// The characters JSON lets through raw that must still not reach a reader raw: those of
/// `Unicode.Scalar.visibleEscape`'s list above U+001F (DEL; the C1 controls, U+0085 and
/// U+009B, a CSI to a terminal, among them; U+2028 and U+2029; the format characters:
/// the bidirectional controls, the zero-width space and joiners, the BOM, the tag
/// characters). JSON itself escapes only U+0000-U+001F, so a capture name or a waiver's
/// reason holding them went out raw in every JSON output, which is often read raw on a
/// terminal (`dasaudit audit --format json`, `cat result.json`) or in a CI log. They are
/// written `\u009b`, `\u202e`, `\u200b` (lowercase hex, as JSONEncoder writes `\u001b`),
/// and those above U+FFFF as their UTF-16 surrogate pair (`\udb40\udc41` for U+E0041), as
/// JSON requires; every JSON reader decodes them back to the same string.
///
/// JSON's syntax is ASCII, so such a character can only be inside a string, and
/// replacing it is valid wherever it is found: the pass runs over whole JSON texts.
public enum JSONInvisibles {
    /// The scalar starting at `index` of the UTF-8 `bytes` when it is one to escape: its
    /// value and its length in bytes; nil for anything else. Every such scalar is DEL or
    /// non-ASCII (`isLead`), so ASCII text costs one test a byte; a non-ASCII scalar is
    /// decoded and looked up in `visibleEscape`'s list.
    @inline(__always)
    static func scalar(in bytes: UnsafeRawBufferPointer, at index: Int) -> (value: UInt32, length: Int)? {
        let lead = bytes[index]
        guard isLead(lead) else { return nil }
        if lead == 0x7F { return (0x7F, 1) }
        let length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard index + length <= bytes.count else { return nil }
        var value = UInt32(lead) & (0x7F >> length)
        for offset in 1..<length {
            value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value), scalar.visibleEscape != nil else { return nil }
        return (value, length)
    }

    /// Whether `byte` can start a character to escape: DEL, or the lead byte of a
    /// non-ASCII scalar (0xC2 to 0xF4).
    @inline(__always)
    static func isLead(_ byte: UInt8) -> Bool { byte == 0x7F || (byte >= 0xC2 && byte <= 0xF4) }

    /// Writes `value` as a JSON escape, `\u` and four lowercase hex digits; above U+FFFF
    /// as the two of its UTF-16 surrogate pair.
    static func write(_ value: UInt32, to sink: ByteSink) {
        guard value < 0x10000 else {
            let rest = value - 0x10000
            write(0xD800 | rest >> 10, to: sink)
            write(0xDC00 | rest & 0x3FF, to: sink)
            return
        }
        let hex: StaticString = "0123456789abcdef"
        sink.write("\\u")
        for shift in stride(from: 12, through: 0, by: -4) {
            sink.write(byte: hex.utf8Start[Int((value >> UInt32(shift)) & 0xF)])
        }
    }

    /// `json`, a JSON text, with every such character escaped; the same bytes when it
    /// holds none (the usual case, found in one pass).
    public static func escaped(_ json: Data) -> Data {
        guard json.contains(where: isLead) else { return json }
        var out = Data()
        json.withUnsafeBytes { bytes in
            let sink = ByteSink { out.append(contentsOf: $0) }
            var start = 0, index = 0
            while index < bytes.count {
                guard let found = scalar(in: bytes, at: index) else { index += 1; continue }
                sink.write(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                write(found.value, to: sink)
                index += found.length
                start = index
            }
            sink.write(UnsafeRawBufferPointer(rebasing: bytes[start...]))
            sink.flush()
        }
        return out
    }

    /// `json`, a JSON text, with every such character escaped.
    public static func escaped(_ json: String) -> String {
        String(decoding: escaped(Data(json.utf8)), as: UTF8.self)
    }
}
