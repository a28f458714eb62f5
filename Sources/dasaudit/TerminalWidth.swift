import Foundation

/// The columns of the terminal behind `descriptor`: the kernel's window size
/// (TIOCGWINSZ), else `COLUMNS` from the environment (set by shells, and the way to force a
/// width), else 80. Lines redrawn in place (`\r`) must fit it: a line one column too long
/// wraps, and every redraw then leaves a line behind.
func terminalWidth(of descriptor: Int32 = STDERR_FILENO,
                   environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
    var size = winsize()
    if ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
    return 80
}
