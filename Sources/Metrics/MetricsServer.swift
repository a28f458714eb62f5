import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A minimal HTTP/1.1 server for one document: `GET /metrics` (and `HEAD`) answers the
/// latest exposition, anything else 404 or 405. It has no dependency: a listening socket
/// and one thread that polls it and its clients, which is all a Prometheus scrape needs
/// (docs/design.md says why no HTTP framework).
///
/// It is small on purpose, because it faces the network. Up to `maximumConnections`
/// clients are served at once, each on a non-blocking socket (`MetricsConnection`), so a
/// silent or slow client only holds its own slot: a scrape is answered as soon as its
/// request is in. Each connection has 5 s in all, from its accept to its close (request,
/// answer, and the client's close); a request is read up to 8 KiB (past that: 431), only
/// its request line is looked at (its lines may end in CRLF or a bare LF, its target may
/// be in origin or absolute form), and every connection is closed after one answer. When
/// every slot is taken a new connection takes the oldest one's, which is closed: clients
/// that connect and wait cannot keep the next scrape out. Memory and descriptors are thus
/// bounded, and the capture, which runs on another thread, is never held.
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
    /// Clients served at once; one more takes the oldest one's place.
    static let maximumConnections = 16
    /// Descriptors left to the rest of the run whatever the clients do: the final
    /// reports' temporary files, `--metrics-file`'s, a rotation of `--write`.
    static let reservedDescriptors = 8

    /// The clients this run serves at once: `maximumConnections`, or fewer (one at least)
    /// when the open-file limit leaves less room beside the descriptors already open and
    /// `reservedDescriptors`. At `ulimit -n 24`, clients holding 16 connections took the
    /// descriptors the final reports needed, and the audit of the whole capture was lost
    /// ("Too many open files").
    let slots: Int
    /// Connections the kernel completes and holds until they are accepted.
    static let backlog: Int32 = 64

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
        // Non-blocking: a connection gone between poll and accept must not hold the thread.
        _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var storage = sockaddr_storage()
        let length = MetricsServer.fill(&storage, family: family, host: address.host, port: address.port)
        let bound = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, listen(descriptor, MetricsServer.backlog) == 0 else {
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
        self.slots = MetricsServer.slotsLeft()
    }

    /// `maximumConnections`, or what the open-file limit leaves: the limit, less the
    /// descriptors open now and `reservedDescriptors` (one slot at least). Counted only under
    /// a limit below 1,024, where 16 clients could matter.
    static func slotsLeft() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < 1024 else {
            return maximumConnections
        }
        let open = (0..<Int32(limit.rlim_cur)).count { fcntl($0, F_GETFD) >= 0 }
        return max(1, min(maximumConnections, Int(limit.rlim_cur) - open - reservedDescriptors))
    }

    /// Replaces the document served from now on.
    public func update(_ text: String) { lock.withLock { document = text } }

    /// Starts answering on a thread of its own, until the process ends.
    public func start() {
        let thread = Thread { [self] in serve() }
        thread.name = "dasaudit.metrics"
        thread.start()
        self.thread = thread
    }

    /// The serving loop: waits for the listener and the clients (at most until the
    /// earliest deadline), moves each ready client on, closes those done or past their
    /// deadline, and accepts one new connection a turn, so clients already in are served
    /// between accepts even under a flood of connections.
    private func serve() {
        var connections: [MetricsConnection] = []
        connections.reserveCapacity(slots)
        var polled: [pollfd] = []
        polled.reserveCapacity(slots + 1)
        var scratch = [UInt8](repeating: 0, count: 2048)
        let current = { [self] in lock.withLock { document } }
        while true {
            polled.removeAll(keepingCapacity: true)
            polled.append(pollfd(fd: listener, events: Int16(POLLIN), revents: 0))
            for connection in connections { polled.append(pollfd(fd: connection.descriptor, events: connection.events, revents: 0)) }
            let wait = connections.lazy.map(\.deadline).min().map { Int32(clamping: ($0 &- min($0, MetricsServer.now())) / 1_000_000 + 1) } ?? -1
            if poll(&polled, nfds_t(polled.count), wait) < 0 && errno != EINTR { usleep(10_000) }

            let now = MetricsServer.now()
            var kept = 0
            for index in connections.indices {
                var connection = connections[index]
                let ready = polled[index + 1].revents != 0
                if now >= connection.deadline || (ready && !connection.advance(scratch: &scratch, document: current)) {
                    close(connection.descriptor)
                    continue
                }
                connections[kept] = connection
                kept += 1
            }
            connections.removeLast(connections.count - kept)

            guard polled[0].revents != 0 else { continue }
            // accept4 is not in Swift's Glibc module: the flags are set after (nothing forks
            // in between: dasaudit runs no program during a live capture).
            let client = accept(listener, nil, nil)
            if client >= 0 {
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                _ = fcntl(client, F_SETFL, O_NONBLOCK)
            }
            // EAGAIN, ECONNABORTED: the client left before it was accepted; anything else
            // (EMFILE, ENFILE, ENOBUFS) is tried again a little later.
            if client < 0 {
                switch errno {
                case EAGAIN, EWOULDBLOCK, ECONNABORTED, EINTR: break
                default: usleep(10_000)
                }
                continue
            }
            if connections.count >= slots {
                close(connections.removeFirst().descriptor)
            }
            var connection = MetricsConnection(descriptor: client, deadline: now + UInt64(MetricsServer.timeoutSeconds) * 1_000_000_000)
            // A scrape's request is usually in already: answered before the next accept.
            if connection.advance(scratch: &scratch, document: current) {
                connections.append(connection)
            } else {
                close(client)
            }
        }
    }

    /// CLOCK_MONOTONIC in nanoseconds: deadlines that a change of the wall clock cannot move.
    static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
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
