import Foundation

/// The one JSON encoding of results: snake_case keys, sorted, slashes unescaped. The
/// pretty form is the JSON report; the canonical form (no whitespace) is what digests are
/// taken over, so both come from the same settings and cannot drift apart.
public enum ResultCoding {
    /// An encoder for results and their parts; `canonical` leaves out all whitespace.
    public static func encoder(canonical: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = canonical ? [.sortedKeys, .withoutEscapingSlashes]
            : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// A decoder for what `encoder` wrote.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// The field a key of the JSON names to `decoder()`, as its `.convertFromSnakeCase`
    /// matches it (Foundation's rule, restated): underscores at either end kept, the words
    /// between the others joined, the first lowercased and the rest capitalized, so
    /// `first_seen`, `first__seen` and `firstSeen` all name `firstSeen`. Two keys of one
    /// object that name one field are refused (`UnambiguousJSON`).
    public static func fieldName(_ key: String) -> String {
        guard key.utf8.contains(UInt8(ascii: "_")) else { return key }  // most keys of a result: one word
        guard let first = key.firstIndex(where: { $0 != "_" }), let last = key.lastIndex(where: { $0 != "_" }) else { return key }
        let words = key[first...last].split(separator: "_")
        guard words.count > 1 else { return key }
        let joined = ([words[0].lowercased()] + words.dropFirst().map { $0.capitalized }).joined()
        return String(key[..<first]) + joined + String(key[key.index(after: last)...])
    }
}
