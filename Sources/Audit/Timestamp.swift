/// A capture time, kept to the nanosecond, written in JSON as RFC 3339 UTC text with nine
/// fractional digits (`2026-11-27T00:11:55.661507000Z`): exact, sortable and readable.
public struct Timestamp: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the Unix epoch.
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public var description: String {
        let seconds = nanoseconds.floorDivided(by: 1_000_000_000)
        let fraction = nanoseconds - seconds * 1_000_000_000
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Timestamp.civilDate(daysSinceEpoch: days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(fraction, 9))Z"
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 UTC time: \(text)")
        }
        self = value
    }

    /// Parses the form `description` writes (`YYYY-MM-DDTHH:MM:SS[.fraction]Z`).
    public init?(parsing text: String) {
        let parts = text.split(whereSeparator: { "-T:Z".contains($0) })
        guard parts.count == 6, text.hasSuffix("Z"),
              let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
              let hour = Int64(parts[3]), let minute = Int64(parts[4]) else { return nil }
        let secondParts = parts[5].split(separator: ".", omittingEmptySubsequences: false)
        guard let second = Int64(secondParts[0]), secondParts.count <= 2 else { return nil }
        var fraction: Int64 = 0
        if secondParts.count == 2 {
            let digits = secondParts[1].prefix(9)
            guard let value = Int64(digits) else { return nil }
            fraction = value * Int64(pow10: 9 - digits.count)
        }
        // Days from civil (inverse of civilDate).
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        nanoseconds = ((days * 86_400 + hour * 3600 + minute * 60 + second) * 1_000_000_000) + fraction
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    init(pow10 exponent: Int) {
        self = (0..<exponent).reduce(1) { value, _ in value * 10 }
    }
}
