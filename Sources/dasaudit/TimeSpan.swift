import ArgumentParser
import Foundation

/// A length of time on the command line: a number with a unit, `ms`, `s`, `m` or `h`
/// (seconds without one), as `10m` or `1.5s`.
struct TimeSpan: ExpressibleByArgument, Equatable {
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
}
