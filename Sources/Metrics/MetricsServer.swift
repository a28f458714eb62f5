import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server for one document: `GET /metrics` (and `HEAD`) answers the
/// latest exposition, anything else 404 or 405. It has no dependency: a listening socket
/// and one thread that answers one connection at a time, which is all a Prometheus scrape
/// needs (docs/design.md says why no HTTP framework).
///
/// It is small on purpose, because it faces the network: a request is read up to 8 KiB
/// and for at most 5 s (a slow or silent client is dropped unanswered, and cannot hold the
/// capture, which runs on another thread), only the request line is looked at, the answer
/// is written with a 5 s send timeout, and every connection is closed after one answer.
// Unchecked Sendable: the document it serves is touched only under `lock`, `thread` only
// by the thread that calls `start`; the socket is set up before serving starts.
public final class MetricsServer: @unchecked Sendable {
    /// The address actually bound (the port filled in when 0 was asked for).
    public let address: ListenAddress
    private let listener: Int32
    private let lock = NSLock()
    private var document = ""
    private var thread: Thread?

    #if canImport(Glibc)
    static let streamType = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
    #else
    static let streamType = SOCK_STREAM
    #endif

    static let maximumRequest = 8192
    static let timeoutSeconds = 5

    /// Why the server could not start, in words naming the address.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Binds and listens on `address`; nothing is served until `start()`.
    public init(address: ListenAddress) throws {
        guard let family = ListenAddress.family(of: address.host) else {
            throw Failure(description: "\(address): not a numeric IPv4 or IPv6 address")
        }
        let descriptor = socket(family, MetricsServer.streamType, 0)
        guard descriptor >= 0 else { throw Failure(description: "\(address): socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var storage = sockaddr_storage()
        let length = MetricsServer.fill(&storage, family: family, host: address.host, port: address.port)
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Failure(description: "cannot listen on \(address): \(reason)")
        }
        var actual = sockaddr_storage()
        var actualLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &actualLength) }
        }
        let port = family == AF_INET
            ? withUnsafePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) } }
            : withUnsafePointer(to: &actual) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) } }
        self.listener = descriptor
        self.address = ListenAddress(host: address.host, port: port)
    }

    /// Replaces the document served from now on.
    public func update(_ text: String) { lock.withLock { document = text } }

    /// Starts answering on a thread of its own, until the process ends.
    public func start() {
        let thread = Thread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE { usleep(10_000); continue }
                    return
                }
                answer(client)
                close(client)
            }
        }
        thread.name = "dasaudit.metrics"
        thread.start()
        self.thread = thread
    }

    /// Reads one request from `client` and writes the answer.
    private func answer(_ client: Int32) {
        var timeout = timeval(tv_sec: MetricsServer.timeoutSeconds, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 2048)
        let deadline = Date(timeIntervalSinceNow: Double(MetricsServer.timeoutSeconds))
        while request.count < MetricsServer.maximumRequest, !MetricsServer.hasHeaderEnd(request) {
            // Each wait is what is left of the 5 s, so a client trickling bytes gets no more.
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { break }
            var wait = timeval(tv_sec: Int(left), tv_usec: Int((left - left.rounded(.down)) * 1e6) + 1)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
            let count = recv(client, &buffer, min(buffer.count, MetricsServer.maximumRequest - request.count), 0)
            if count <= 0 { break }
            request += buffer[0..<count]
        }
        // A request not whole within the limits gets no answer: the connection is just closed.
        guard MetricsServer.hasHeaderEnd(request) else { return }
        let response = MetricsServer.response(to: request, document: lock.withLock { document })
        var bytes = Array(response.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeMutableBytes { send(client, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            sent += count
        }
    }

    static func hasHeaderEnd(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && bytes.indices.dropLast(3).contains { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }
    }

    /// The whole HTTP answer to `request`: only its request line matters.
    static func response(to request: [UInt8], document: String) -> String {
        let line = String(decoding: request.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = line.split(separator: " ")
        func reply(_ status: String, _ type: String, _ body: String, head: Bool = false) -> String {
            "HTTP/1.1 \(status)\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
                + "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n" + (head ? "" : body)
        }
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return reply("400 Bad Request", "text/plain", "bad request\n") }
        guard parts[0] == "GET" || parts[0] == "HEAD" else { return reply("405 Method Not Allowed", "text/plain", "only GET\n") }
        let path = parts[1].split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard path == "/metrics" else { return reply("404 Not Found", "text/plain", "metrics are at /metrics\n") }
        return reply("200 OK", PrometheusExposition.contentType, document, head: parts[0] == "HEAD")
    }

    /// Fills `storage` with `host` and `port`; returns the address length.
    private static func fill(_ storage: inout sockaddr_storage, family: Int32, host: String, port: UInt16) -> socklen_t {
        withUnsafeMutablePointer(to: &storage) { pointer in
            if family == AF_INET {
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    address.pointee.sin_family = sa_family_t(AF_INET)
                    address.pointee.sin_port = port.bigEndian
                    inet_pton(AF_INET, host, &address.pointee.sin_addr)
                    return socklen_t(MemoryLayout<sockaddr_in>.size)
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                address.pointee.sin6_family = sa_family_t(AF_INET6)
                address.pointee.sin6_port = port.bigEndian
                inet_pton(AF_INET6, host, &address.pointee.sin6_addr)
                return socklen_t(MemoryLayout<sockaddr_in6>.size)
            }
        }
    }
}
