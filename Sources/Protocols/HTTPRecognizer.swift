/// HTTP/1.0 and HTTP/1.1 (RFC 9112): a request line that starts with a method and a space,
/// or a status line that starts with "HTTP/1." and a digit. The method alone is enough
/// (a long request target may run past the sample), so the request line is recognized from
/// its first bytes.
public enum HTTPRecognizer {
    /// The methods of RFC 9110 and PATCH (RFC 5789), each followed by its space.
    static let methods = Prefixes([
        "GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "TRACE ", "CONNECT ",
    ])

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        .either(request(client), response(server), .http)
    }

    static func request(_ side: PayloadBytes) -> Match { methods.match(side) }

    static func response(_ side: PayloadBytes) -> Match {
        let version = side.starts(with: "HTTP/1.")
        guard version == .yes else { return version }
        guard side.has(8) else { return .undecided }
        return .when(side[7] >= UInt8(ascii: "0") && side[7] <= UInt8(ascii: "9"))
    }
}
