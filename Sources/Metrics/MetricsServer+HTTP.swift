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
        let path = parts[1].split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard path == "/metrics" else { return reply("404 Not Found", "metrics are at /metrics\n") }
        return reply("200 OK", document, type: PrometheusExposition.contentType, head: parts[0] == "HEAD")
    }

    /// The answer to a request whose header does not end within `maximumRequest` bytes.
    static let requestTooLarge = reply("431 Request Header Fields Too Large", "the request is over \(maximumRequest) bytes\n")

    /// An answer with the headers every answer carries; `head`: without the body.
    private static func reply(_ status: String, _ body: String, type: String = "text/plain", extra: String = "", head: Bool = false) -> String {
        "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            + "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\(extra)\r\n" + (head ? "" : body)
    }
}
