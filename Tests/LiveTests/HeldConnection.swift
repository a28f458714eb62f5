import Foundation

/// One TCP connection on loopback that stays open for as long as a test wants, both of its
/// ends in the test: a long-lived connection between two nodes (a Spark driver and an
/// executor, say) as successive capture windows see it. Blocking POSIX sockets; on
/// loopback a small write is read whole.
final class HeldConnection {
    private let listener: Int32
    private let client: Int32
    private let server: Int32

    /// Listens on `address`:`port` and connects to it (the handshake completes in the
    /// kernel's backlog before the accept).
    init(address: String, port: UInt16) throws {
        listener = try LoopbackService.listeningSocket(address, port)
        client = try LoopbackService.connectedSocket(address, port)
        server = accept(listener, nil, nil)
        guard server >= 0 else { throw SocketError("accept \(address):\(port)", errno) }
    }

    /// The client sends a request, the server reads it and answers, the client reads the
    /// answer: two data segments and their acknowledgments, the connection left open.
    func exchange() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let request = Array("ping".utf8), answer = Array("pong".utf8)
        _ = write(client, request, request.count)
        _ = read(server, &buffer, buffer.count)
        _ = write(server, answer, answer.count)
        _ = read(client, &buffer, buffer.count)
    }

    /// Ends the connection as a client closing first does (a FIN each way), then stops
    /// listening.
    func end() {
        var buffer = [UInt8](repeating: 0, count: 16)
        shutdown(client, Int32(SHUT_WR))
        _ = read(server, &buffer, buffer.count)  // the client's FIN
        close(server)
        _ = read(client, &buffer, buffer.count)  // the server's FIN
        close(client)
        close(listener)
    }
}
