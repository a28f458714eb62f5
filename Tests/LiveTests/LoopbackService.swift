import Foundation

/// A real TCP server on a loopback address, for live capture tests: it accepts each
/// connection on its own thread, reads the request, answers and closes, as a small HTTP
/// server would. POSIX sockets, so the traffic is the kernel's own.
final class LoopbackService {
    let address: String
    let port: UInt16
    private let listener: Int32
    private let thread: Thread

    init(address: String, port: UInt16) throws {
        self.address = address
        self.port = port
        let descriptor = try LoopbackService.listeningSocket(address, port)
        listener = descriptor
        thread = Thread {
            while true {
                let connection = accept(descriptor, nil, nil)
                guard connection >= 0 else { return }  // closed by stop()
                Thread.detachNewThread { LoopbackService.answer(connection) }
            }
        }
        thread.start()
    }

    /// Stops accepting; connections in progress finish on their own.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private static func answer(_ connection: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = read(connection, &buffer, buffer.count)
        let reply = Array("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello".utf8)
        _ = write(connection, reply, reply.count)
        shutdown(connection, Int32(SHUT_WR))
        while read(connection, &buffer, buffer.count) > 0 {}
        close(connection)
    }

    /// A socket listening on `address`:`port`.
    static func listeningSocket(_ address: String, _ port: UInt16) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError("socket", errno) }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var socketAddress = try socketAddress(address, port)
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 128) == 0 else {
            let code = errno
            close(descriptor)
            throw SocketError("bind/listen \(address):\(port)", code)
        }
        return descriptor
    }

    /// A socket connected to `address`:`port`; throws when the connect fails
    /// (`ECONNREFUSED` when nothing listens).
    static func connectedSocket(_ address: String, _ port: UInt16) throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError("socket", errno) }
        var socketAddress = try socketAddress(address, port)
        let connected = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(descriptor)
            throw SocketError("connect \(address):\(port)", code)
        }
        return descriptor
    }

    static func socketAddress(_ address: String, _ port: UInt16) throws -> sockaddr_in {
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else {
            throw SocketError("address \(address)", EINVAL)
        }
        return socketAddress
    }
}

/// One client exchange: connect, send a request, read the whole answer, close. Returns
/// the answer, or throws when the connect fails (`ECONNREFUSED` when nothing listens).
@discardableResult
func exchange(with address: String, port: UInt16, request: String = "GET / HTTP/1.0\r\n\r\n") throws -> String {
    let descriptor = try LoopbackService.connectedSocket(address, port)
    defer { close(descriptor) }
    let bytes = Array(request.utf8)
    _ = write(descriptor, bytes, bytes.count)
    var answer: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = read(descriptor, &buffer, buffer.count)
        if count <= 0 { break }
        answer += buffer[0..<count]
    }
    return String(decoding: answer, as: UTF8.self)
}

struct SocketError: Error, CustomStringConvertible {
    var description: String
    let code: Int32
    init(_ what: String, _ code: Int32) {
        self.code = code
        description = "\(what): \(String(cString: strerror(code)))"
    }
}
