import Audit
import CaptureEngine
import Dispatch
import Foundation
import PcapKit
import Reports

/// A progress bar on standard error for long offline audits: bytes read of the total, the
/// rate, and the time left, redrawn in place at most ten times a second. It appears only
/// when standard error is a terminal (and DASAUDIT_NO_PROGRESS is not set), and only once a
/// read has taken half a second, so short audits and logs never see it; it is erased when
/// reading ends. Inputs read at once (several files on several cores) add up. A redraw the
/// terminal does not take at once is dropped (`StandardError.update`), never waited for.
// Unchecked Sendable: the reading threads report to it, and its state is touched only
// under `lock`.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int64?
    /// Each input's last report, by its path's bytes (two names equal as text are two files).
    private var inputs: [[UInt8]: ReadProgress] = [:]
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
            if path != "-", let size = FileVersion(path: path)?.size {
                sum += size
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
        inputs[Array(progress.path.utf8)] = progress
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - started >= 500_000_000, now - lastDrawn >= 100_000_000 else { return }
        lastDrawn = now
        visible = true
        // A reading thread writes it, under the lock: dropped, not waited for, when the
        // terminal does not take it at once (paused with Ctrl-S), or the reading would stop.
        StandardError.update("\r" + line(now: now) + "\u{1B}[K")
    }

    /// Erases the bar, if it was shown.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if visible { StandardError.writeIfRoom("\r\u{1B}[K") }
        visible = false
    }

    /// The bar now (`ReadProgressText`): the inputs' reports added up.
    func line(now: UInt64) -> String {
        ReadProgressText.render(packets: inputs.values.reduce(UInt64(0)) { $0 + $1.packets },
                                bytesRead: inputs.values.reduce(Int64(0)) { $0 + ($1.bytesRead ?? 0) },
                                totalBytes: total, seconds: Double(now - started) / 1e9, width: width)
    }

    static func terminalWidth() -> Int { dasaudit.terminalWidth() }
}
