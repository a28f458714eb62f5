/// HTTP/1.0 and HTTP/1.1 (RFC 9112): a request line that starts with a method and a space,
/// or a status line that starts with "HTTP/1." and a digit. The method alone is enough
/// (a long request target may run past the sample), so the request line is recognized from
/// its first bytes.
public enum HTTPRecognizer {
    /// The methods of RFC 9110 and PATCH (RFC 5789), each followed by its space.
    static let methods: [StaticString] = [
        "GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "TRACE ", "CONNECT ",
    ]

    /// The first letters of `methods`, one bit each.
    static let initials = ByteSet(methods.map { $0.utf8Start.pointee })

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        .either(request(client), response(server), .http)
    }

    static func request(_ side: PayloadBytes) -> Match {
        // Most connections' first byte rules out every method at once (measured: the
        // method loop was the costliest recognizer with millions of short connections).
        if side.has(1) && !initials.contains(side[0]) { return .no }
        var result = Match.no
        for method in methods {
            switch side.starts(with: method) {
            case .yes: return .yes
            case .undecided: result = .undecided
            case .no: break
            }
        }
        return result
    }

    static func response(_ side: PayloadBytes) -> Match {
        let version = side.starts(with: "HTTP/1.")
        guard version == .yes else { return version }
        guard side.has(8) else { return .undecided }
        return .when(side[7] >= UInt8(ascii: "0") && side[7] <= UInt8(ascii: "9"))
    }
}
