import Foundation

/// What every command does with the signals no command handles itself, set first thing
/// (`Dasaudit.runMain`); `live`'s stops are `StopSignals`.
enum ProgramSignals {
    static func set() {
        // A reader that has gone (`| head`, `| true`) makes a write fail as an output error,
        // exit 2 with everything else still written, instead of killing the run unannounced.
        signal(SIGPIPE, SIG_IGN)
        // Ctrl-\ quits at once, as users expect (exit 131 in a shell). The Swift runtime's
        // backtracer would take it for a crash: a backtrace and, on a terminal, a wait for a
        // key; without one it could hang. Real crashes keep the backtracer.
        signal(SIGQUIT, SIG_DFL)
    }
}
