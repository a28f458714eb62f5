import Foundation
import Policy

/// The characters JSON lets through raw that must still not reach a reader raw: those of
/// `Unicode.Scalar.visibleEscape`'s list above U+001F (DEL; the C1 controls, U+0085 and
/// U+009B, a CSI to a terminal, among them; U+2028 and U+2029; the bidirectional
/// controls). JSON itself escapes only U+0000-U+001F, so a capture name or a waiver's
/// reason holding them went out raw in every JSON output, which is often read raw on a
/// terminal (`dasaudit audit --format json`, `cat result.json`) or in a CI log. They are
/// written `\u009b`, `\u202e` (lowercase hex, as JSONEncoder writes `\u001b`), which every
/// JSON reader decodes back to the same string.
///
/// JSON's syntax is ASCII, so such a character can only be inside a string, and
/// replacing it is valid wherever it is found: the pass runs over whole JSON texts.
public enum JSONInvisibles {
    /// The scalar starting at `index` of the UTF-8 `bytes` when it is one to escape: its
    /// value and its length in bytes; nil for anything else. Every such scalar is DEL, 2
    /// bytes led by 0xC2 or 0xD8, or 3 led by 0xE2 (`isLead`), so other bytes cost one test.
    @inline(__always)
    static func scalar(in bytes: UnsafeRawBufferPointer, at index: Int) -> (value: UInt32, length: Int)? {
        let lead = bytes[index]
        guard isLead(lead) else { return nil }
        if lead == 0x7F { return (0x7F, 1) }
        let length = lead == 0xE2 ? 3 : 2
        guard index + length <= bytes.count else { return nil }
        let value = length == 2
            ? UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
            : UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
        guard let scalar = Unicode.Scalar(value), scalar.visibleEscape != nil else { return nil }
        return (value, length)
    }

    /// Whether `byte` can start a character to escape: DEL, 0xC2, 0xD8 or 0xE2.
    @inline(__always)
    static func isLead(_ byte: UInt8) -> Bool { byte == 0x7F || byte == 0xC2 || byte == 0xD8 || byte == 0xE2 }

    /// Writes `value` (below U+10000) as a JSON escape, `\u` and four lowercase hex digits.
    static func write(_ value: UInt32, to sink: ByteSink) {
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
