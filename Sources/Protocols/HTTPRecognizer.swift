/// HTTP/1.0 and HTTP/1.1 (RFC 9112): a request line that starts with a method, a space and
/// the first byte of a request target as HTTP writes one, or a status line that starts with
/// "HTTP/1." and a digit. The request line is recognized from its first bytes (a long
/// request target may run past the sample, and its version with it). The target's first
/// byte tells HTTP from the protocols that borrowed its methods: RTSP ("OPTIONS
/// rtsp://..."), SIP ("OPTIONS sip:...") and NATS ("CONNECT {...}"), which nDPI's test
/// captures showed named `http`. From the server, an HTML document with no status line
/// before it is an HTTP/0.9-style response too: Python's http.server answers a request line
/// it cannot read (a TLS ClientHello) with its error page alone.
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

    static func request(_ side: PayloadBytes) -> Match {
        let method = methods.match(side)
        guard method == .yes else { return method }
        var space = 3  // the shortest method, "GET", ends before offset 3
        while side[space] != UInt8(ascii: " ") { space += 1 }
        return target(side, at: space + 1, connect: side[0] == UInt8(ascii: "C"))
    }

    /// Whether the bytes at `offset` begin a request target (RFC 9112, 3.2): the origin form
    /// ("/index.html"), the asterisk form ("*"), the absolute form ("http://" or
    /// "https://", any case), or for CONNECT the authority form (a host name or IPv4 address,
    /// or an IPv6 address in brackets). Bytes that end before the target are the method's
    /// answer, as they always were.
    static func target(_ side: PayloadBytes, at offset: Int, connect: Bool) -> Match {
        guard side.has(offset + 1) else { return .yes }
        let first = side[offset]
        if first == UInt8(ascii: "/") || first == UInt8(ascii: "*") { return .yes }
        if connect { return .when(first.isASCIILetterOrDigit || first == UInt8(ascii: "[")) }
        return .when(startsScheme("http://", side, at: offset) || startsScheme("https://", side, at: offset))
    }

    /// Whether the bytes at `offset` begin `scheme` (lowercase), in any case, as far as they
    /// were captured.
    private static func startsScheme(_ scheme: StaticString, _ side: PayloadBytes, at offset: Int) -> Bool {
        let text = scheme.utf8Start
        var index = 0
        while index < scheme.utf8CodeUnitCount && side.has(offset + index + 1) {
            var byte = side[offset + index]
            if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") { byte += 0x20 }
            guard byte == text[index] else { return false }
            index += 1
        }
        return true
    }

    static func response(_ side: PayloadBytes) -> Match {
        let version = side.starts(with: "HTTP/1.")
        guard version == .yes else {
            let document = documents.match(side)
            return document == .no ? version : document
        }
        guard side.has(8) else { return .undecided }
        return .when(side[7].isASCIIDigit)
    }
}
