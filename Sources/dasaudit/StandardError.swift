import Foundation
import PcapKit

/// Standard error, the only way dasaudit writes to it (messages, the status line, the
/// progress bar). SIGPIPE is ignored (`Dasaudit.runMain`), so a reader that has gone
/// (`2>&1 | head`, a closed terminal) fails a write instead of killing the run: the message
/// is lost, the run goes on and writes its reports, and it exits 2 at the end
/// (`lostMessages`), as for any output that could not be written.
///
/// A reader that is there but does not read (`2> >(sleep 60)`, a supervisor that stopped
/// draining, a terminal paused with Ctrl-S) must not hold the run up either:
/// - the status line and the progress bar are `update`s, written only when standard error
///   takes them at once (`WriteRoom`), with room to spare in a pipe for the messages that
///   follow; one that does not fit is dropped and counted (`droppedUpdates`), and the
///   capture or the reading goes on;
/// - a message waits for room as a blocking write would, but through `OutputStop`: a stop
///   signal once the reading is over ends the wait, the message is lost, and so is every
///   later one, without waiting again.
enum StandardError {
    /// The bytes of a pipe an update leaves free, for the messages after it.
    static let updateReserve = 16 << 10

    /// Writes `text` whole, or remembers that it could not be.
    static func write(_ text: String) {
        // Closed at the start: /dev/null holds its number (`StandardStreams`); the message is lost.
        guard !StandardStreams.errorClosed, !state.givenUp else { return state.recordLoss() }
        var text = text
        let end = text.withUTF8 { bytes -> OutputStop.WriteEnd in
            guard waitsOnReader else { return POSIXFile.write(STDERR_FILENO, UnsafeRawBufferPointer(bytes)) ? .written : .failed }
            return OutputStop.write(STDERR_FILENO, UnsafeRawBufferPointer(bytes))
        }
        switch end {
        case .written: break
        case .failed: state.recordLoss()
        case .stopped: state.giveUp()
        }
    }

    /// Writes `text`, an update that a later one replaces, only if standard error takes it
    /// at once with `reserve` bytes of a pipe to spare; otherwise drops and counts it.
    static func update(_ text: String, sparing reserve: Int = updateReserve) {
        if !writeIfRoom(text, sparing: reserve) { state.recordDrop() }
    }

    /// Writes `text` only if standard error takes it at once with `reserve` bytes of a pipe
    /// to spare: whether it did. For what must never wait (the notes of the stop signals,
    /// whose queue has to stay free for the next signal).
    @discardableResult
    static func writeIfRoom(_ text: String, sparing reserve: Int = 0) -> Bool {
        guard !StandardStreams.errorClosed, !state.givenUp else { return true }
        guard WriteRoom.takesAtOnce(text.utf8.count, on: STDERR_FILENO, sparing: reserve) else { return false }
        write(text)
        return true
    }

    /// Whether any message could not be written.
    static var lostMessages: Bool { state.lost }

    /// How many updates were dropped, standard error not taking them at once.
    static var droppedUpdates: Int { state.dropped }

    /// Says, once the capture or the reading is over, how many `updates` (what they were:
    /// "status lines") were dropped, if any; only if there is room for it, so a standard
    /// error still full costs this note alone.
    static func noteDroppedUpdates(_ updates: String, while what: String) {
        let dropped = droppedUpdates
        guard dropped > 0 else { return }
        writeIfRoom("dasaudit: note: \(dropped) \(updates) were not written: standard error did not take them at once "
            + "(its reader was not reading), and \(what) did not wait for it\n")
    }

    /// Whether standard error can make a write wait on its reader (a pipe, a terminal).
    private static let waitsOnReader = OutputStop.mayWait(STDERR_FILENO)

    private static let state = State()
}

/// What became of the writes, set from any thread (the status line is the capture
/// thread's, the progress bar the reading threads', the signals' notes their queue's).
private final class State: @unchecked Sendable {  // its fields are touched only under `lock`
    private let lock = NSLock()
    private var anyLost = false
    private var droppedCount = 0
    private var stopped = false

    func recordLoss() { lock.withLock { anyLost = true } }

    func recordDrop() { lock.withLock { droppedCount += 1 } }

    /// A stop signal ended a wait for room: this message and every later one are lost.
    func giveUp() { lock.withLock { (anyLost, stopped) = (true, true) } }

    var lost: Bool { lock.withLock { anyLost } }
    var dropped: Int { lock.withLock { droppedCount } }
    var givenUp: Bool { lock.withLock { stopped } }
}
