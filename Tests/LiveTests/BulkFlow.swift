import Foundation

/// One TCP connection on loopback carrying bulk data, both of its ends in the test, until
/// `stop()`: a transfer that keeps a capture writing large packets (loopback carries
/// segments of up to 64 KiB, as a NIC's receive offload hands them over), so that a
/// signal is likely to come while an evidence file is being written.
// Unchecked Sendable: its two threads touch `running` and `threadsLeft` only under `stopped`.
final class BulkFlow: @unchecked Sendable {
    private let listener: Int32
    private let client: Int32
    private let server: Int32
    private let stopped = NSCondition()
    private var running = true
    private var threadsLeft = 2

    /// Connects to a listener of its own on `address`:`port` and starts sending as fast as
    /// loopback carries it, in 64 KiB writes; the other end reads and discards.
    init(address: String, port: UInt16) throws {
        listener = try LoopbackService.listeningSocket(address, port)
        client = try LoopbackService.connectedSocket(address, port)
        server = accept(listener, nil, nil)
        guard server >= 0 else { throw SocketError("accept \(address):\(port)", errno) }
        let chunk = 1 << 16
        Thread.detachNewThread { [self, client] in
            let bytes = [UInt8](repeating: 0x61, count: chunk)
            // MSG_NOSIGNAL: `stop()` shuts the socket down while a send may be on its way, and a
            // write(2) there raises SIGPIPE, which ended the whole test process (CI, December 7).
            while isRunning, send(client, bytes, chunk, Int32(MSG_NOSIGNAL)) > 0 {}
            finished()
        }
        Thread.detachNewThread { [self, server] in
            var buffer = [UInt8](repeating: 0, count: chunk)
            while read(server, &buffer, buffer.count) > 0 {}
            finished()
        }
    }

    private var isRunning: Bool {
        stopped.lock()
        defer { stopped.unlock() }
        return running
    }

    private func finished() {
        stopped.lock()
        threadsLeft -= 1
        stopped.broadcast()
        stopped.unlock()
    }

    /// Stops sending, closes the connection and the listener, and waits for both threads.
    func stop() {
        stopped.lock()
        running = false
        stopped.unlock()
        shutdown(client, Int32(SHUT_RDWR))
        shutdown(server, Int32(SHUT_RDWR))
        stopped.lock()
        while threadsLeft > 0 { stopped.wait() }
        stopped.unlock()
        close(client)
        close(server)
        close(listener)
    }
}
