/// HTTP/1.0 and HTTP/1.1 (RFC 9112): a request line that starts with a method and a space,
/// or a status line that starts with "HTTP/1." and a digit. The method alone is enough
/// (a long request target may run past the sample), so the request line is recognized from
/// its first bytes. From the server, an HTML document with no status line before it is an
/// HTTP/0.9-style response too: Python's http.server answers a request line it cannot
/// read (a TLS ClientHello) with its error page alone.
public enum HTTPRecognizer {
    /// The methods of RFC 9110 and PATCH (RFC 5789), each followed by its space.
    static let methods = Prefixes([
        "GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "TRACE ", "CONNECT ",
    ])

    /// How an HTML document begins, as servers write it.
    static let documents = Prefixes(["<!DOCTYPE HTML", "<!DOCTYPE html", "<!doctype html", "<html", "<HTML"])

    public static func recognize(client: PayloadBytes, server: PayloadBytes) -> Recognition {
        .either(request(client), response(server), .http)
    }

    static func request(_ side: PayloadBytes) -> Match { methods.match(side) }

    static func response(_ side: PayloadBytes) -> Match {
        let version = side.starts(with: "HTTP/1.")
        guard version == .yes else {
            let document = documents.match(side)
            return document == .no ? version : document
        }
        guard side.has(8) else { return .undecided }
        return .when(side[7] >= UInt8(ascii: "0") && side[7] <= UInt8(ascii: "9"))
    }
}
