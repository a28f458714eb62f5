import Foundation

/// What Foundation's `JSONDecoder` accepts in a JSON text but other readers read another
/// way, so that `render`, `diff` and `merge` would act on one result while jq, Python and
/// a JSON Schema validator see another in the same file:
///
/// - a key given twice in one object: Foundation keeps the first copy, jq, Python and most
///   JSON tools the last, so a forged first `summary` or `findings` before the real ones
///   made `render` write a green report of a failing result;
/// - two keys that the result's decoder reads as one field (`first_seen`, `firstSeen` and
///   `first__seen` are all `firstSeen` under `.convertFromSnakeCase`), where other
///   readers see two keys;
/// - a `\uD800`-style escape without its other half (an unpaired UTF-16 surrogate): not a
///   character, replaced by U+FFFD by some readers, kept by others, refused by Foundation
///   with "the number is not a String".
///
/// `check` finds the first of these and names it by its path in the JSON, as
/// `ResultValidationError` does: `summary: the key 'summary' is given twice ...`. What is
/// not JSON at all it leaves to the decoder, which says what is wrong.
enum UnambiguousJSON {
    /// Deeper than this, the decoder refuses the text anyway (Foundation's limit is 512).
    static let maximumDepth = 512

    /// Throws the first duplicate key or unpaired surrogate in `data`; two keys are one
    /// when the decoder matches them to one field (`ResultCoding.fieldName`).
    static func check(_ data: Data) throws {
        try data.withUnsafeBytes { bytes in
            var scanner = Scanner(bytes: bytes)
            scanner.skipByteOrderMark()
            try scanner.value(depth: 0)
        }
    }

    /// A syntax error: the scan stops, and the decoder names the problem.
    private struct NotJSON: Error {}

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var index = 0
        /// The keys and indices down to the current value, for the error's path.
        var path: [PathStep] = []

        enum PathStep {
            case key(String)
            case index(Int)
        }

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        mutating func skipByteOrderMark() {
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        }

        /// One value and what it holds; returns quietly at anything that is not JSON.
        mutating func value(depth: Int) throws {
            do {
                try parseValue(depth: depth)
            } catch is NotJSON {
                return
            }
        }

        private mutating func parseValue(depth: Int) throws {
            guard depth < UnambiguousJSON.maximumDepth else { throw NotJSON() }
            skipWhitespace()
            guard index < bytes.count else { throw NotJSON() }
            switch bytes[index] {
            case UInt8(ascii: "{"): try object(depth: depth)
            case UInt8(ascii: "["): try array(depth: depth)
            case UInt8(ascii: "\""): try string()
            default:
                // A number, true, false or null: their bytes, checked by the decoder.
                while index < bytes.count, !Self.ends(bytes[index]) { index += 1 }
            }
        }

        private mutating func object(depth: Int) throws {
            index += 1
            // Each field name met so far, with the key as written that gave it.
            var seen: [String: String] = [:]
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw NotJSON() }
                let key = try string(keep: true)
                path.append(.key(key))
                let field = ResultCoding.fieldName(key)
                if let earlier = seen[field] {
                    throw ResultValidationError(path: pathText, problem: earlier == key
                        ? "the key '\(key)' is given twice in one object; JSON readers disagree on which copy counts "
                            + "(dasaudit's decoder took the first, jq and Python the last), so no copy can be trusted"
                        : "the keys '\(earlier)' and '\(key)' are one field to dasaudit's decoder and two to other "
                            + "JSON readers, so neither can be trusted")
                }
                seen[field] = key
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw NotJSON() }
                index += 1
                try parseValue(depth: depth + 1)
                path.removeLast()
                skipWhitespace()
                guard index < bytes.count else { throw NotJSON() }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                guard bytes[index] == UInt8(ascii: "}") else { throw NotJSON() }
                index += 1
                return
            }
        }

        private mutating func array(depth: Int) throws {
            index += 1
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return }
            var element = 0
            while true {
                path.append(.index(element))
                try parseValue(depth: depth + 1)
                path.removeLast()
                skipWhitespace()
                guard index < bytes.count else { throw NotJSON() }
                if bytes[index] == UInt8(ascii: ",") { index += 1; element += 1; continue }
                guard bytes[index] == UInt8(ascii: "]") else { throw NotJSON() }
                index += 1
                return
            }
        }

        /// The string at `index` (its opening quote), decoded when `keep` (a key); throws at
        /// an unpaired surrogate escape. Invalid UTF-8 is left to the decoder (decoded here
        /// with U+FFFD).
        @discardableResult
        private mutating func string(keep: Bool = false) throws -> String {
            index += 1
            var text: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return keep ? String(decoding: text, as: UTF8.self) : ""
                case UInt8(ascii: "\\"):
                    guard index + 1 < bytes.count else { throw NotJSON() }
                    let escaped = bytes[index + 1]
                    index += 2
                    switch escaped {
                    case UInt8(ascii: "u"):
                        let unit = try hexUnit()
                        var scalar = UInt32(unit)
                        if (0xD800...0xDBFF).contains(unit) {
                            guard let low = lowSurrogate() else { throw unpaired(unit) }
                            scalar = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                        } else if (0xDC00...0xDFFF).contains(unit) {
                            throw unpaired(unit)
                        }
                        if keep, let scalar = Unicode.Scalar(scalar) { text.append(contentsOf: String(scalar).utf8) }
                    case UInt8(ascii: "b"): if keep { text.append(0x08) }
                    case UInt8(ascii: "f"): if keep { text.append(0x0C) }
                    case UInt8(ascii: "n"): if keep { text.append(0x0A) }
                    case UInt8(ascii: "r"): if keep { text.append(0x0D) }
                    case UInt8(ascii: "t"): if keep { text.append(0x09) }
                    default: if keep { text.append(escaped) }  // \" \\ \/, or not JSON (the decoder says so)
                    }
                default:
                    if keep { text.append(byte) }
                    index += 1
                }
            }
            throw NotJSON()
        }

        /// The `\uDC00`-`\uDFFF` escape right after a high surrogate's, or nil (and the
        /// index left where it was).
        private mutating func lowSurrogate() -> UInt16? {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else { return nil }
            let start = index
            index += 2
            if let low = try? hexUnit(), (0xDC00...0xDFFF).contains(low) { return low }
            index = start
            return nil
        }

        /// The four hex digits after `\u`.
        private mutating func hexUnit() throws -> UInt16 {
            guard index + 4 <= bytes.count else { throw NotJSON() }
            var unit: UInt16 = 0
            for offset in 0..<4 {
                let byte = bytes[index + offset]
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw NotJSON()
                }
                unit = unit << 4 | UInt16(digit)
            }
            index += 4
            return unit
        }

        private func unpaired(_ unit: UInt16) -> ResultValidationError {
            let hex = String(unit, radix: 16)
            return ResultValidationError(path: pathText, problem: "the string holds \\u\(hex) without the other half of its "
                + "UTF-16 surrogate pair: that is no character, and JSON readers disagree on what it stands for")
        }

        private mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        /// Whether `byte` ends a number or literal.
        private static func ends(_ byte: UInt8) -> Bool {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"): true
            default: false
            }
        }

        /// The path as `ResultValidationError` writes it: `findings[3].message`.
        private var pathText: String {
            path.map { step in
                switch step {
                case .key(let key): key.count > 64 ? ".\(key.prefix(64))..." : ".\(key)"
                case .index(let index): "[\(index)]"
                }
            }.joined().trimmingCharacters(in: ["."])
        }
    }
}
