import Audit
import Foundation
import Reports

/// The status of `dasaudit live` on standard error, every interval: one line rewritten in
/// place (`\r`) on a terminal, so a long load test does not scroll; a plain line each time
/// otherwise, so a log keeps the history. On a terminal the line is cut to its width
/// (`LiveStatusText.fitted`). The line itself is `LiveStatusText`. A line standard error
/// does not take at once is dropped and counted (`StandardError.update`), never waited for.
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
        let line = LiveStatusText.render(status, device: device)
        let shown = isTerminal ? "\r\(LiveStatusText.fitted(line, width: terminalWidth()))\u{1B}[K" : "\(line)\n"
        // Dropped, not waited for, when standard error does not take it at once: the
        // capture thread writes it, and a reader that does not read must not stop the capture.
        StandardError.update(shown)
        showing = isTerminal
    }

    /// Ends the line in place, so the next message starts on its own line.
    func end() {
        if showing { StandardError.write("\n") }
        showing = false
    }
}
