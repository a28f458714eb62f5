import Dispatch
import Foundation
import PcapKit

/// Requests to a running `LiveAudit` from other threads: the duration and status timers,
/// and the CLI's Ctrl-C / SIGTERM handlers. A request is left here and the capture thread
/// is woken with `pcap_breakloop`, so the packet loop itself checks nothing per packet.
// Unchecked Sendable: the requests are touched only under `lock`, the timers only by the
// thread that runs the audit (start and cancel); other threads reach the capture only
// through its `LoopBreaker`.
public final class LiveAuditControl: @unchecked Sendable {
    /// Why a live audit stopped.
    public enum StopReason: Equatable, Sendable, CustomStringConvertible {
        /// `--duration` elapsed.
        case duration
        /// `--packets` were captured.
        case packetLimit
        /// A signal asked for a clean stop (`SIGINT`, `SIGTERM`, `SIGHUP`).
        case signal(String)
        /// The capture failed (the interface went away); the reason in libpcap's words.
        case captureFailed(String)

        public var description: String {
            switch self {
            case .duration: "the --duration elapsed"
            case .packetLimit: "the --packets limit was reached"
            case .signal(let name): "\(name) asked for a stop"
            case .captureFailed(let reason): "the capture failed: \(reason)"
            }
        }
    }

    private let breaker: LoopBreaker
    private let lock = NSLock()
    private var stopReason: StopReason?
    private var statusDue = false
    private let queue = DispatchQueue(label: "dasaudit.live.timers")
    private var timers: [DispatchSourceTimer] = []

    public init(capture: LiveCapture) {
        self.breaker = capture.loopBreaker
    }

    /// Asks the audit to stop after the packet in hand; the first reason given is kept.
    public func requestStop(_ reason: StopReason) {
        lock.withLock { if stopReason == nil { stopReason = reason } }
        breaker.breakLoop()
    }

    /// Asks for a status report at the capture thread's next chance.
    public func requestStatus() {
        lock.withLock { statusDue = true }
        breaker.breakLoop()
    }

    /// Whether a stop has been asked for, without taking it.
    public var isStopping: Bool { lock.withLock { stopReason != nil } }

    /// The signal that asked for the stop (`SIGINT`), once one did: what ends a wait on an
    /// output written during the capture (`live --events`).
    public var stopSignal: String? {
        lock.withLock {
            guard case .signal(let name) = stopReason else { return nil }
            return name
        }
    }

    /// Takes what was asked since the last call: the stop reason, if any, and whether a
    /// status report is due.
    func take() -> (stop: StopReason?, statusDue: Bool) {
        lock.withLock {
            defer { statusDue = false }
            return (stopReason, statusDue)
        }
    }

    /// Wakes the capture thread once, `seconds` from now.
    func breakLoop(after seconds: Double) {
        let breaker = self.breaker
        queue.asyncAfter(deadline: .now() + seconds) { breaker.breakLoop() }
    }

    /// Starts the timers: a stop after `duration` seconds and a status every `interval`
    /// seconds, each when given.
    public func startTimers(duration: Double?, interval: Double?) {
        if let duration {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + duration)
            timer.setEventHandler { [weak self] in self?.requestStop(.duration) }
            timers.append(timer)
        }
        if let interval {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now() + interval, repeating: interval)
            timer.setEventHandler { [weak self] in self?.requestStatus() }
            timers.append(timer)
        }
        timers.forEach { $0.resume() }
    }

    /// Stops the timers (at the end of the audit, so none fires into a closed capture).
    public func cancelTimers() {
        timers.forEach { $0.cancel() }
        timers.removeAll()
    }
}
