import ArgumentParser

/// A number on the command line written in decimal, as `2`, `0.5` or `-1`: digits with an
/// optional fraction and sign. Swift's `Double` also reads `0x10` (16), `1e3`, `inf` and
/// `nan`; the whole-number options (`--cores 0x10`) refuse such text, and so does this. A
/// negative number is read (the option takes `parsing: .unconditional`), so that the
/// command's range check says what is wrong with it.
struct DecimalNumber: ExpressibleByArgument, Equatable, CustomStringConvertible {
    var value: Double

    init(_ value: Double) { self.value = value }

    init?(argument: String) {
        let unsigned = argument.hasPrefix("-") ? argument.dropFirst() : Substring(argument)
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard !unsigned.isEmpty, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              parts.contains(where: { !$0.isEmpty }), let value = Double(argument) else { return nil }
        self.value = value
    }

    /// `2`, `0.5`: as it would be written, which `--help` shows as the default.
    var description: String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
