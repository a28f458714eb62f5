import CPcap
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request, for the whole process, to stop reading capture inputs: the first Ctrl-C,
/// SIGTERM or SIGHUP of `dasaudit audit` (`StopSignals`), after which the audit goes on
/// with what was read and writes its reports.
///
/// How each kind of input stops, never with a check in the packet loop:
/// - a file is cut where the reading stands: at its next megabyte when dasaudit reads it
///   in place (`RecordWindow`), after the packet in hand when libpcap reads it
///   (`pcap_breakloop`, `whileLibpcapReads`);
/// - a pipe, FIFO or standard input (`PcapngBlockTap`) is read on for `pipeGraceSeconds`
///   at most, for what its writer still sends: `tcpdump -w - | dasaudit audit -` stopped by
///   one Ctrl-C gets it too, writes its last packets and closes the pipe, and the input
///   ends whole there. A writer still writing then is cut off; one that has sent nothing,
///   or a FIFO no writer has opened yet (`CaptureStream` opens it without waiting), is
///   given up: the input is not read;
/// - an input not opened yet is not read.
/// An input cut is incomplete (`ReadEnd.interrupted`, the reader's `stoppedReading`).
///
/// A command that reads its inputs twice (`audit --offset auto`: once for the offset, then
/// to audit) and was stopped during the first reading has the second cut each input where
/// the first was (`replay`): the stop is then kept, for its signal and what it did, but no
/// longer stops anything itself.
public enum InputStop {
    /// Where a stop left an input of the first reading, for the second (`replay`).
    public enum Cut: Equatable, Sendable {
        /// Not opened: the stop came before it.
        case notRead
        /// Cut after its first `packets` packets (those the reader counted, after `--filter`).
        case after(packets: UInt64)
    }

    /// How long a pipe is read on after the request, for its writer's last packets.
    public static let pipeGraceSeconds = 1.0

    private static let state = State()

    /// Asks every input to stop, `signal` naming why (`SIGINT`); the first request is kept.
    public static func request(signal: String) {
        state.request(signal: signal)
    }

    /// The signal that stopped the reading, once one has.
    public static var signal: String? { state.locked { $0.signal } }

    /// Whether reading is to stop: a lock, taken once a megabyte or a pipe read at most.
    /// False during a second reading (`replay`), which its cuts stop instead.
    public static var isRequested: Bool { state.locked { $0.stops } }

    /// Starts the second reading of inputs a stop cut during the first: `cuts` says, per
    /// path (its UTF-8 bytes: `String` keys are equal under canonical equivalence, so
    /// `caf\u{E9}.pcap` and `cafe\u{301}.pcap`, two files, would share a cut), where the
    /// first reading left each input it did not read whole; the others are read whole
    /// again. Only after a stop (`signal` set); a second signal quits the run.
    public static func replay(_ cuts: [[UInt8]: Cut]) {
        state.locked { fields in
            guard fields.signal != nil else { return }
            fields.replayed = cuts
        }
    }

    /// During a second reading (`replay`): where the first left `path`; nil when it read it
    /// whole, or outside a second reading.
    public static func replayedCut(of path: String) -> Cut? {
        state.locked { $0.replayed?[Array(path.utf8)] }
    }

    /// What a reader says of an input the request cut after `packetsRead` packets.
    public static func cut(_ path: String, packetsRead: UInt64) -> String {
        "\(path): cut by \(signal ?? "a signal") after \(packetsRead) packets: the rest of the input was not read"
    }

    /// What a reader says of an input it did not open, the request having come before.
    public static func notRead(_ path: String) -> String {
        "\(path): not read: \(signal ?? "a signal") stopped the reading before it"
    }

    /// Waits until `descriptor` (a pipe) has bytes to read or has ended: true; false when
    /// the reading is to stop instead (`graceful`: not before `pipeGraceSeconds` after the
    /// request, for the writer's last bytes).
    static func awaitInput(on descriptor: Int32, graceful: Bool) -> Bool {
        var waits = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
                     pollfd(fd: state.wake, events: Int16(POLLIN), revents: 0)]
        while true {
            let deadline = state.locked { $0.requestedAt }.map { $0 + (graceful ? pipeGraceSeconds : 0) }
            // Without a wake pipe (none could be made: no descriptor left), the request is
            // looked for every 100 ms instead.
            var timeout: Int32 = state.wake < 0 ? 100 : -1
            if let deadline {
                let left = deadline - Self.now
                guard left > 0 else { return false }
                timeout = Int32((left * 1000).rounded(.up))
            }
            // After the request the wake descriptor stays readable: only the input is watched.
            let watched = deadline == nil ? 2 : 1
            waits[0].revents = 0
            let ready = poll(&waits, nfds_t(watched), timeout)
            if ready < 0 && errno != EINTR { return true }  // let the read itself say what is wrong
            if ready > 0 && waits[0].revents != 0 { return true }
        }
    }

    /// Runs `body` (a `pcap_next_ex` loop on `handle`) so that a request breaks it
    /// (`pcap_breakloop`, after the packet in hand); also whether one did. A nil handle (a
    /// pipe's, which its tap stops) is not broken.
    @usableFromInline
    static func whileLibpcapReads<T>(_ handle: OpaquePointer?, _ body: () throws -> T) rethrows -> (T, broken: Bool) {
        guard let handle else { return (try body(), false) }
        let key = state.locked { state -> Int in
            state.nextKey += 1
            if state.stops { pcap_breakloop(handle) }
            state.reading[state.nextKey] = (handle, state.stops)
            return state.nextKey
        }
        let value = try body()
        let broken = state.locked { $0.reading.removeValue(forKey: key)?.broken ?? false }
        return (value, broken)
    }

    private static var now: Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// What the request holds, under its lock.
    private final class State: @unchecked Sendable {  // its fields are touched only under `lock`
        struct Fields {
            var signal: String?
            var requestedAt: Double?
            /// The handles libpcap reads now, and whether the request broke each.
            var reading: [Int: (handle: OpaquePointer, broken: Bool)] = [:]
            var nextKey = 0
            /// The first reading's cuts, during the second (`replay`).
            var replayed: [[UInt8]: Cut]?
            /// Whether reading is to stop now: after the request, unless in a second reading.
            var stops: Bool { signal != nil && replayed == nil }
        }

        private let lock = NSLock()
        private var fields = Fields()
        /// A pipe whose read end becomes readable at the request, waking every `awaitInput`.
        let wake: Int32
        private let wakeWrite: Int32

        init() {
            let ends = POSIXFile.pipe()
            (wake, wakeWrite) = (ends?.read ?? -1, ends?.write ?? -1)
        }

        func locked<T>(_ body: (inout Fields) -> T) -> T {
            lock.withLock { body(&fields) }
        }

        func request(signal: String) {
            locked { fields in
                guard fields.signal == nil else { return }
                fields.signal = signal
                fields.requestedAt = InputStop.now
                for key in fields.reading.keys {
                    pcap_breakloop(fields.reading[key]!.handle)
                    fields.reading[key]!.broken = true
                }
            }
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }
}
