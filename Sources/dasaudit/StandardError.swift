import Foundation
import PcapKit

/// Standard error, the only way dasaudit writes to it (messages, the status line, the
/// progress bar). SIGPIPE is ignored (`Dasaudit.runMain`), so a reader that has gone
/// (`2>&1 | head`, a closed terminal) fails a write instead of killing the run: the message
/// is lost, the run goes on and writes its reports, and it exits 2 at the end
/// (`lostMessages`), as for any output that could not be written.
enum StandardError {
    /// Writes `text` whole, or remembers that it could not be.
    static func write(_ text: String) {
        // Closed at the start: /dev/null holds its number (`StandardStreams`); the message is lost.
        guard !StandardStreams.errorClosed else { return losses.record() }
        var text = text
        let written = text.withUTF8 { POSIXFile.write(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
        if !written { losses.record() }
    }

    /// Whether any message could not be written.
    static var lostMessages: Bool { losses.happened }

    private static let losses = Losses()
}

/// Whether a write was lost, set from any thread (the status line is the capture thread's,
/// the signals' notes their queue's).
private final class Losses: @unchecked Sendable {
    private let lock = NSLock()
    private var any = false

    func record() { lock.withLock { any = true } }

    var happened: Bool { lock.withLock { any } }
}
