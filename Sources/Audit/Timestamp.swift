/// A capture time, kept to the nanosecond, written in JSON as RFC 3339 UTC text with nine
/// fractional digits (`2026-11-27T00:11:55.661507000Z`): exact, sortable and readable.
public struct Timestamp: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the Unix epoch.
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// The seconds from `earlier` to this time: the nanoseconds subtracted first, so a
    /// window shorter than 104 days (2^53 ns) comes out as exact as a double allows; each
    /// time made a double first lost up to 256 ns at today's dates.
    public func seconds(since earlier: Timestamp) -> Double {
        let (difference, overflow) = nanoseconds.subtractingReportingOverflow(earlier.nanoseconds)
        return overflow ? (Double(nanoseconds) - Double(earlier.nanoseconds)) / 1e9 : Double(difference) / 1e9
    }

    public var description: String {
        String(unsafeUninitializedCapacity: Self.textLength) { buffer in
            write(into: UnsafeMutableRawBufferPointer(buffer))
            return Self.textLength
        }
    }

    /// Bytes of the text: 64-bit nanoseconds reach from 1677 to 2262, so every year has
    /// four digits and every field its fixed place.
    public static let textLength = 30

    /// Writes `description` (`YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`) into the first `textLength`
    /// bytes of `text`, digit by digit: what the JSON writer uses for each time, with no
    /// string made.
    @inline(__always)
    public func write(into text: UnsafeMutableRawBufferPointer) {
        precondition(text.count >= Self.textLength)
        // Floor division without forming `seconds * 10^9`, which leaves Int64 near Int64.min.
        var seconds = nanoseconds / 1_000_000_000
        var fraction = nanoseconds % 1_000_000_000
        if fraction < 0 {
            seconds -= 1
            fraction += 1_000_000_000
        }
        let days = seconds.floorDivided(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Timestamp.civilDate(daysSinceEpoch: days)
        func digits(_ value: Int64, endingAt last: Int, count: Int) {
            var value = value
            for position in stride(from: last, to: last - count, by: -1) {
                text[position] = UInt8(truncatingIfNeeded: value % 10) &+ UInt8(ascii: "0")
                value /= 10
            }
        }
        digits(year, endingAt: 3, count: 4)
        text[4] = UInt8(ascii: "-")
        digits(month, endingAt: 6, count: 2)
        text[7] = UInt8(ascii: "-")
        digits(day, endingAt: 9, count: 2)
        text[10] = UInt8(ascii: "T")
        digits(secondOfDay / 3600, endingAt: 12, count: 2)
        text[13] = UInt8(ascii: ":")
        digits(secondOfDay / 60 % 60, endingAt: 15, count: 2)
        text[16] = UInt8(ascii: ":")
        digits(secondOfDay % 60, endingAt: 18, count: 2)
        text[19] = UInt8(ascii: ".")
        digits(fraction, endingAt: 28, count: 9)
        text[29] = UInt8(ascii: "Z")
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
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not a time dasaudit writes: YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ, "
                    + "a real calendar time between 1677-09-21 and 2262-04-11 (UTC)")
        }
        self = value
    }

    /// Parses the form `description` writes, `YYYY-MM-DDTHH:MM:SS[.fraction]Z` with one to
    /// nine fractional digits, and nothing else: every field has its digits, the calendar
    /// fields must name a real time (month 1-12, a day the month has, hour 0-23, minute and
    /// second 0-59), and the time must fit nanoseconds since 1970 in 64 bits (1677-09-21 to
    /// 2262-04-11). Nil otherwise: results are outside input, and `2026-99-99T99:99:99Z`
    /// or year 9999 must be an error naming the field, not a wrong time or a crash.
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        let separators: [(Int, Character)] = [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":")]
        guard separators.allSatisfy({ bytes[$0.0] == UInt8(ascii: $0.1.unicodeScalars.first!) }),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...Timestamp.daysIn(month: month, of: year)).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        var fraction: Int64 = 0
        if bytes.count > 20 {
            // ".d" to ".ddddddddd" between the seconds and the Z.
            let digits = 20..<(bytes.count - 1)
            guard bytes[19] == UInt8(ascii: "."), (1...9).contains(digits.count), let value = number(digits) else { return nil }
            fraction = value * Int64(pow10: 9 - digits.count)
        }
        // Days from civil (inverse of civilDate); only the last steps can leave Int64.
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        // Before 1970 with a fraction, (seconds + 1) * 10^9 - (10^9 - fraction): the same
        // value, without passing below Int64.min on the way (1677-09-21T00:12:43.145224192Z).
        let borrow: Int64 = seconds < 0 && fraction > 0 ? 1 : 0
        let (scaled, overflowed) = (seconds + borrow).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflowedAgain) = scaled.addingReportingOverflow(fraction - borrow * 1_000_000_000)
        guard !overflowed, !overflowedAgain else { return nil }
        nanoseconds = total
    }

    /// Days in `month` (1-12) of `year`, in the proleptic Gregorian calendar.
    static func daysIn(month: Int64, of year: Int64) -> Int64 {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Int(month) - 1]
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
