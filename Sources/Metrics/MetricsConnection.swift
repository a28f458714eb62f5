#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One client of the metrics server, from its accept to its close: the request read so
/// far, then the answer being written, then the client's close awaited. The socket is
/// non-blocking and the server's `poll` says when it can go on, so no client ever holds
/// the server's thread: a silent or slow one only waits in its slot until its `deadline`.
///
/// After the answer the server shuts its side down and reads (and drops) whatever the
/// client still sends until the client closes: closing with unread bytes would make the
/// kernel send a reset, which can destroy the answer before the client has read it (the
/// 431 to an oversized request among them).
struct MetricsConnection {
    enum Stage { case reading, writing, draining }

    let descriptor: Int32
    /// When the connection is closed whatever its stage (`MetricsServer.now()`, in ns).
    let deadline: UInt64
    private(set) var stage = Stage.reading
    private var request: [UInt8] = []
    private var answer: [UInt8] = []
    private var sent = 0

    init(descriptor: Int32, deadline: UInt64) {
        self.descriptor = descriptor
        self.deadline = deadline
    }

    /// What `poll` should wait for on its socket.
    var events: Int16 { stage == .writing ? Int16(POLLOUT) : Int16(POLLIN) }

    /// Goes on as far as the socket allows without blocking, reading into `scratch`;
    /// `document` gives the exposition when the request is whole. False once the
    /// connection is done (answered and closed by the client, gone, or failed): then the
    /// server closes it.
    mutating func advance(scratch: inout [UInt8], document: () -> String) -> Bool {
        while true {
            switch stage {
            case .reading:
                let room = min(scratch.count, MetricsServer.maximumRequest - request.count)
                let count = recv(descriptor, &scratch, room, 0)
                if count <= 0 { return count < 0 && MetricsConnection.wouldBlock() }
                let searchFrom = max(0, request.count - 3)
                request += scratch[0..<count]
                if MetricsConnection.hasHeaderEnd(request, from: searchFrom) {
                    answer = Array(MetricsServer.response(to: request, document: document()).utf8)
                } else if request.count >= MetricsServer.maximumRequest {
                    answer = Array(MetricsServer.requestTooLarge.utf8)
                } else {
                    continue
                }
                request = []
                stage = .writing
            case .writing:
                let count = answer.withUnsafeBytes { send(descriptor, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
                if count < 0 { return MetricsConnection.wouldBlock() }
                sent += count
                guard sent == answer.count else { continue }
                answer = []
                shutdown(descriptor, Int32(SHUT_WR))
                stage = .draining
            case .draining:
                // One read a turn: a client that keeps sending cannot keep the thread here.
                let count = recv(descriptor, &scratch, scratch.count, 0)
                return count > 0 || (count < 0 && MetricsConnection.wouldBlock())
            }
        }
    }

    /// Whether the last call failed only because the socket had nothing to give or take now.
    private static func wouldBlock() -> Bool { errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR }

    /// Whether `bytes` hold an empty line (the end of the header), looked for from `start`.
    /// A line may end in CRLF or in a bare LF (RFC 9112 2.2 lets a server take a LF alone,
    /// and health checks written as `printf 'GET /metrics HTTP/1.0\n\n' | nc` send one):
    /// the header ends at a LF followed by a LF, or by a CR and a LF. Until December 2026
    /// only CRLF CRLF ended it, and such a request waited out its 5 s unanswered.
    static func hasHeaderEnd(_ bytes: [UInt8], from start: Int = 0) -> Bool {
        guard bytes.count >= start + 2 else { return false }
        return (start..<bytes.count - 1).contains { index in
            bytes[index] == 10 && (bytes[index + 1] == 10
                || (bytes[index + 1] == 13 && index + 2 < bytes.count && bytes[index + 2] == 10))
        }
    }
}
