import ArgumentParser
import Foundation

/// A byte count on the command line: a number with an optional binary unit, `k`, `M` or
/// `G` (1024-based; `KiB`, `MB` and the like mean the same), as `64M` for 64 MiB. It reads
/// back as it is written (`32 MiB`), which is what `--help` shows as the default.
struct ByteCount: ExpressibleByArgument, Equatable, CustomStringConvertible {
    var bytes: UInt64

    private static let shifts: [String: UInt64] = [
        "": 0, "b": 0, "byte": 0, "bytes": 0, "k": 10, "kb": 10, "kib": 10, "m": 20, "mb": 20, "mib": 20, "g": 30, "gb": 30, "gib": 30,
    ]

    init(bytes: UInt64) { self.bytes = bytes }

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard let value = UInt64(digits), value > 0,
              let shift = ByteCount.shifts[text.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()],
              value <= UInt64.max >> shift else { return nil }
        bytes = value << shift
    }

    /// `32 MiB`, `1 GiB`, `512 KiB` or `1000 bytes`: the largest binary unit that divides it.
    var description: String {
        for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) byte\(bytes == 1 ? "" : "s")"
    }
}
