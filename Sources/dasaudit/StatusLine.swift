import Audit
import CaptureEngine
import Foundation
import Reports

/// The status of `dasaudit live` on standard error, every interval: one line rewritten in
/// place (`\r`) on a terminal, so a long load test does not scroll; a plain line each time
/// otherwise, so a log keeps the history. On a terminal the line is cut to its width: a
/// line that wraps cannot be rewritten by `\r`, and each update would scroll.
final class StatusLine {
    let device: String
    let isTerminal: Bool
    private var showing = false

    init(device: String, isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.device = device
        self.isTerminal = isTerminal
    }

    /// Shows `status`, replacing the previous line on a terminal.
    func show(_ status: LiveAuditStatus) {
        let line = StatusLine.text(status, device: device)
        let shown = isTerminal ? "\r\(StatusLine.fitted(line, width: terminalWidth()))\u{1B}[K" : "\(line)\n"
        FileHandle.standardError.write(Data(shown.utf8))
        showing = isTerminal
    }

    /// `line` cut to fit `width` columns, ending in `...` when cut. One column stays free:
    /// some terminals wrap as soon as the last column is written.
    static func fitted(_ line: String, width: Int) -> String {
        let room = max(width - 1, 4)
        return line.count <= room ? line : String(line.prefix(room - 3)) + "..."
    }

    /// Ends the line in place, so the next message starts on its own line.
    func end() {
        if showing { FileHandle.standardError.write(Data("\n".utf8)) }
        showing = false
    }

    /// `live lo 0:01:30  packets 12345 (1234/s)  drops 0  connections 345  services 12 (1 unexpected)  findings 3 (high 1, medium 0, low 2, info 0)`
    static func text(_ status: LiveAuditStatus, device: String) -> String {
        let seconds = Int(status.elapsedSeconds)
        let clock = String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        let severities = Severity.allCases.reversed().map { "\($0.rawValue) \(status.findings[$0.rawValue] ?? 0)" }
        let drops = status.drops.total == 0 ? "drops 0"
            : "DROPS \(status.drops.total) (kernel \(status.drops.kernel), interface \(status.drops.interface))"
        return "live \(device.terminalEscaped) \(clock)  packets \(status.packets) (\(Int(status.packetsPerSecond.rounded()))/s)  \(drops)  "
            + "connections \(status.connections)  services \(status.services) (\(status.unexpected) unexpected)  "
            + "findings \(status.findingCount) (\(severities.joined(separator: ", ")))"
    }
}
