/// The HTTP answers of `MetricsServer`: only the request line of a request is looked at.
extension MetricsServer {
    /// The whole HTTP answer to `request`, a request whose header is whole.
    static func response(to request: [UInt8], document: String) -> String {
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return reply("400 Bad Request", "bad request\n") }
        // RFC 9110 15.5.6: a 405 says which methods are allowed.
        guard parts[0] == "GET" || parts[0] == "HEAD" else {
            return reply("405 Method Not Allowed", "only GET and HEAD\n", extra: "Allow: GET, HEAD\r\n")
        }
        guard path(of: parts[1]) == "/metrics" else { return reply("404 Not Found", "metrics are at /metrics\n") }
        return reply("200 OK", document, type: PrometheusExposition.contentType, head: parts[0] == "HEAD")
    }

    /// The path a request target names, without its query: the origin form's own
    /// (`/metrics?x`), or the absolute form's (`http://host:9464/metrics`, what an HTTP
    /// proxy forwards, which RFC 9112 3.2.2 says a server must accept; its authority is
    /// not this server's to judge: whatever address the client used reached it). Until
    /// December 2026 the absolute form was answered 404.
    static func path(of target: Substring) -> Substring {
        var rest = target
        if let scheme = rest.range(of: "://"), ["http", "https"].contains(rest[..<scheme.lowerBound].lowercased()) {
            rest = rest[scheme.upperBound...]
            rest = rest[(rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex)...]
            if !rest.hasPrefix("/") { return "/" }  // `http://host` or `http://host?q`: the root
        }
        return rest.prefix { $0 != "?" }
    }

    /// The answer to a request whose header does not end within `maximumRequest` bytes.
    static let requestTooLarge = reply("431 Request Header Fields Too Large", "the request is over \(maximumRequest) bytes\n")

    /// An answer with the headers every answer carries; `head`: without the body.
    private static func reply(_ status: String, _ body: String, type: String = "text/plain", extra: String = "", head: Bool = false) -> String {
        "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            + "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\(extra)\r\n" + (head ? "" : body)
    }
}
