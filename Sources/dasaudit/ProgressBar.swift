import Audit
import CaptureEngine
import Dispatch
import Foundation

/// A progress bar on standard error for long offline audits: bytes read of the total, the
/// rate, and the time left, redrawn in place at most ten times a second. It appears only
/// when standard error is a terminal (and DASAUDIT_NO_PROGRESS is not set), and only once a
/// read has taken half a second, so short audits and logs never see it; it is erased when
/// reading ends. Inputs read at once (several files on several cores) add up.
// Unchecked Sendable: the reading threads report to it, and its state is touched only
// under `lock`.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int64?
    private var inputs: [String: ReadProgress] = [:]
    private let started = DispatchTime.now().uptimeNanoseconds
    private var lastDrawn: UInt64 = 0
    private var visible = false
    private let width: Int

    /// A bar for reading `paths`, or nil when standard error is not a terminal.
    static func onStandardError(paths: [String]) -> ProgressBar? {
        guard isatty(STDERR_FILENO) == 1,
              ProcessInfo.processInfo.environment["DASAUDIT_NO_PROGRESS"] == nil else { return nil }
        return ProgressBar(paths: paths)
    }

    init(paths: [String], width: Int = ProgressBar.terminalWidth()) {
        var sum: Int64 = 0
        var known = true
        for path in paths {
            if path != "-", let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber {
                sum += size.int64Value
            } else {
                known = false
            }
        }
        total = known && sum > 0 ? sum : nil
        self.width = width
    }

    /// Takes a report from a reading thread.
    func report(_ progress: ReadProgress) {
        lock.lock()
        defer { lock.unlock() }
        inputs[progress.path] = progress
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - started >= 500_000_000, now - lastDrawn >= 100_000_000 else { return }
        lastDrawn = now
        visible = true
        FileHandle.standardError.write(Data(("\r" + line(now: now) + "\u{1B}[K").utf8))
    }

    /// Erases the bar, if it was shown.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if visible { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        visible = false
    }

    /// `[########------------]  41%  386.2 MB of 942.3 MB  412.6 MB/s  4.38 Mpps  0:01 left`
    func line(now: UInt64) -> String {
        let seconds = max(Double(now - started) / 1e9, 1e-3)
        let packets = inputs.values.reduce(UInt64(0)) { $0 + $1.packets }
        let read = inputs.values.reduce(Int64(0)) { $0 + ($1.bytesRead ?? 0) }
        let rate = Double(read) / seconds
        let packetRate = String(format: "%.2f Mpps", Double(packets) / seconds / 1e6)
        guard let total, read > 0 else {
            return "reading: \(packets) packets  \(packetRate)"
        }
        let fraction = min(1, Double(read) / Double(total))
        let barWidth = max(10, min(30, width - 70))
        let filled = Int(fraction * Double(barWidth))
        let bar = "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "]"
        let left = rate > 0 ? Double(total - min(read, total)) / rate : 0
        return "\(bar) \(String(format: "%3.0f%%", fraction * 100))  \(Self.megabytes(read)) of \(Self.megabytes(total))  "
            + "\(Self.megabytes(Int64(rate)))/s  \(packetRate)  \(Self.clock(left)) left"
    }

    static func megabytes(_ bytes: Int64) -> String {
        bytes >= 1_000_000_000 ? String(format: "%.2f GB", Double(bytes) / 1e9) : String(format: "%.1f MB", Double(bytes) / 1e6)
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return whole >= 3600 ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }

    static func terminalWidth() -> Int { dasaudit.terminalWidth() }
}
