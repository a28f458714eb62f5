import ArgumentParser
import Foundation

/// A byte count on the command line: a number with an optional binary unit, `k`, `M` or
/// `G` (1024-based; `KiB`, `MB` and the like mean the same), as `64M` for 64 MiB.
struct ByteCount: ExpressibleByArgument, Equatable {
    var bytes: UInt64

    private static let shifts: [String: UInt64] = [
        "": 0, "b": 0, "k": 10, "kb": 10, "kib": 10, "m": 20, "mb": 20, "mib": 20, "g": 30, "gb": 30, "gib": 30,
    ]

    init(bytes: UInt64) { self.bytes = bytes }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard let value = UInt64(digits), value > 0,
              let shift = ByteCount.shifts[text.dropFirst(digits.count).lowercased()],
              value <= UInt64.max >> shift else { return nil }
        bytes = value << shift
    }
}
