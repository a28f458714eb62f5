import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request, for the whole process, to stop waiting for the readers of its outputs: the
/// first Ctrl-C, SIGTERM or SIGHUP once the reading (or the capture) is over and the reports
/// are being written (`StopSignals`). Nothing else is left to stop then, and a run blocked
/// on a reader that takes nothing (`dasaudit audit ... | (sleep 600)`, a FIFO no process
/// opened, a terminal paused with Ctrl-S) would otherwise stay blocked until a second signal
/// killed it without its other reports.
///
/// After the request:
/// - a FIFO no process has opened to read is given up at once (`OutputFile.openStream`);
/// - a write to a pipe, FIFO, socket or terminal whose reader takes nothing for
///   `graceSeconds` is given up there (`write`): a reader still reading, however slowly,
///   keeps its output whole;
/// - files are written as ever: their writes never wait on a reader.
/// An output given up is a failure of that output alone, named with the signal; the other
/// outputs are written, and the run exits 2, as for any output that could not be written.
public enum OutputStop {
    /// How long a write waits for room after the request before it gives up.
    public static let graceSeconds = 1.0

    /// How a `write` ended.
    public enum WriteEnd: Equatable, Sendable {
        case written
        /// The write failed; `errno` says why.
        case failed
        /// Given up after a request, the reader having taken nothing for `graceSeconds`.
        case stopped(signal: String)
    }

    private static let state = State()

    /// Asks every output that waits for its reader to give up; `signal` says why (`SIGINT`).
    /// The first request is kept.
    public static func request(signal: String) {
        state.request(signal: signal)
    }

    /// The signal of the request, once one came.
    public static var signal: String? { state.locked { $0 } }

    /// What a failed output says when a request gave it up: "its reader was not reading
    /// when SIGINT came".
    public static func givenUpReason(_ signal: String) -> String {
        "its reader was not reading when \(signal) came (nothing taken for \(Int(graceSeconds)) s)"
    }

    /// Whether a write to `descriptor` can wait on a reader: a pipe, FIFO, socket or
    /// character device (a terminal); not a regular file.
    public static func mayWait(_ descriptor: Int32) -> Bool {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return false }
        return [S_IFIFO, S_IFSOCK, S_IFCHR].contains(status.st_mode & S_IFMT)
    }

    /// Writes all of `bytes` to `descriptor` (one that `mayWait`), as a blocking write
    /// would, but a chunk of at most `PIPE_BUF` bytes at a time and only once `poll` says
    /// there is room, so that the wait for room is where a request can end it. A descriptor
    /// left non-blocking by another process (`EAGAIN`) is waited for the same way.
    ///
    /// `stoppedBy` is a request of the caller's own, for an output written while the run
    /// still does other work (`live --events`, during the capture): the signal that asked
    /// for the work to stop, once one did. It is looked for every 100 ms while the write
    /// waits, and ends the wait as the process's request does.
    public static func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer,
                             stoppedBy stop: (@Sendable () -> String?)? = nil) -> WriteEnd {
        var written = 0
        while written < bytes.count {
            if let signal = awaitRoom(on: descriptor, stoppedBy: stop) { return .stopped(signal: signal) }
            let put = systemWrite(descriptor, bytes.baseAddress! + written, min(bytes.count - written, Int(PIPE_BUF)))
            if put < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if put <= 0 { return .failed }
            written += put
        }
        return .written
    }

    /// Waits until `descriptor` takes bytes (or has an error for the write to report): nil;
    /// the request's signal when it came and the reader took nothing for `graceSeconds`.
    private static func awaitRoom(on descriptor: Int32, stoppedBy stop: (@Sendable () -> String?)?) -> String? {
        var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        if poll(&ready, 1, 0) == 1 { return nil }  // room now: no wake pipe needed
        let wake = state.wakeDescriptor()
        var waits = [ready, pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        while true {
            let signal = self.signal ?? stop?()
            // After the request the wake descriptor stays readable: only the output is watched.
            waits[0].revents = 0
            // Without a wake pipe (none could be made: no descriptor left), or with a request
            // of the caller's own, which wakes no pipe, the request is looked for every 100 ms.
            let untilRequest: Int32 = wake < 0 || stop != nil ? 100 : -1
            let ready = poll(&waits, signal == nil ? 2 : 1, signal == nil ? untilRequest : Int32(graceSeconds * 1000))
            if ready < 0 && errno != EINTR { return nil }  // let the write itself say what is wrong
            if ready > 0 && waits[0].revents != 0 { return nil }
            if ready == 0, let signal { return signal }
        }
    }

    /// The request, under its lock, and the pipe that wakes the writers waiting at it.
    private final class State: @unchecked Sendable {  // its fields are touched only under `lock`
        private let lock = NSLock()
        private var signal: String?
        /// A pipe whose read end becomes readable at the request, waking every `awaitRoom`:
        /// made by the first write that has to wait, so that a run whose outputs never wait
        /// spends no descriptor on it (under a low open-file limit every one is counted).
        private var wake: (read: Int32, write: Int32)?

        func locked<T>(_ body: (String?) -> T) -> T {
            lock.withLock { body(signal) }
        }

        /// The read end of the wake pipe, made now if it was not; -1 when none can be.
        func wakeDescriptor() -> Int32 {
            lock.withLock {
                if wake == nil { wake = POSIXFile.pipe() ?? (-1, -1) }
                return wake!.read
            }
        }

        func request(signal: String) {
            let wakeWrite = lock.withLock { () -> Int32? in
                guard self.signal == nil else { return nil }
                self.signal = signal
                return wake?.write
            }
            guard let wakeWrite, wakeWrite >= 0 else { return }
            var byte: UInt8 = 1
            _ = systemWrite(wakeWrite, &byte, 1)
        }
    }
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
