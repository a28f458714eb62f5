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
}
