import ArgumentParser
import Foundation

/// A length of time on the command line: a number with a unit, `ms`, `s`, `m` or `h`
/// (seconds without one), as `10m` or `1.5s`. It reads back as it is written (`10s`),
/// which is what `--help` shows as the default.
struct TimeSpan: ExpressibleByArgument, Equatable, CustomStringConvertible {
    var seconds: Double

    private static let units: [String: Double] = ["ms": 0.001, "": 1, "s": 1, "m": 60, "min": 60, "h": 3600]

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let number = text.prefix { ($0.isASCII && $0.isNumber) || $0 == "." }
        guard let value = Double(number), value > 0, value.isFinite,
              let unit = TimeSpan.units[String(text.dropFirst(number.count))] else { return nil }
        seconds = value * unit
    }

    /// `10s`, `1.5s`, `10m`, `2h` or `250ms`: the largest unit that gives a whole number,
    /// else seconds (milliseconds below one second).
    var description: String {
        func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return number(seconds / 3600) + "h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return number(seconds / 60) + "m" }
        if seconds < 1 { return number((seconds * 1000 * 1000).rounded() / 1000) + "ms" }
        return number(seconds) + "s"
    }
}
