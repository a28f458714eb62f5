import Foundation

/// Wall-clock time of each stage of one audit of captures, for `dasaudit audit --timings` and the
/// benchmark's split of the time (docs/performance.md): the packet loop (reading,
/// decoding, tracking, merging the inputs), the end stage (connections folded into
/// services, classified, findings), waiting for the evidence hash, and the output (every
/// report rendered and written). Each stage is the time since the previous one ended.
public final class StageTimings {
    public enum Stage: String, CaseIterable, Sendable {
        case packetLoop = "packet loop"
        case endStage = "end stage"
        case evidence = "evidence hash"
        case output
    }

    /// Seconds per stage ended so far.
    public private(set) var seconds: [Stage: Double] = [:]
    private var lap = ContinuousClock.now
    /// CPU seconds of the tracking threads (nil: the reading threads tracked their own
    /// connections) and of the evidence hash (nil: nothing hashed), for `cpuLine`.
    public var trackingCPU: Double?
    public var hashingCPU: Double?

    /// Starts the clock of the first stage.
    public init() {}

    /// Ends `stage`: it took the time since the previous stage ended (or since `init`).
    public func end(_ stage: Stage) {
        let now = ContinuousClock.now
        let elapsed = now - lap
        seconds[stage, default: 0] += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        lap = now
    }

    /// One line: `timings: packet loop 1.234 s, end stage 0.012 s, evidence hash 0.000 s,
    /// output 0.051 s, total 1.297 s` (stages not ended are left out).
    public var line: String {
        let parts = Stage.allCases.compactMap { stage in seconds[stage].map { "\(stage.rawValue) \(Self.format($0)) s" } }
        return "timings: " + (parts + ["total \(Self.format(seconds.values.reduce(0, +))) s"]).joined(separator: ", ")
    }

    /// One line of CPU time, to read beside `line`: `cpu: tracking thread 0.850 s, evidence
    /// hash 0.470 s, all threads 1.700 s`. Whatever has about as much CPU as the packet
    /// loop has wall time sets the pace: the tracking thread with many connections, the
    /// hash with large packets (docs/performance.md). All threads is the process's user
    /// and system time so far (`getrusage`).
    public var cpuLine: String {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let all = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
        let parts = [trackingCPU.map { "tracking thread \(Self.format($0)) s" },
                     hashingCPU.map { "evidence hash \(Self.format($0)) s" },
                     "all threads \(Self.format(all)) s"]
        return "cpu: " + parts.compactMap { $0 }.joined(separator: ", ")
    }

    static func format(_ value: Double) -> String {
        let milliseconds = Int((value * 1000).rounded())
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
