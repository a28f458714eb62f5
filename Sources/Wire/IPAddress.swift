/// An IPv4 or IPv6 address as a 16-byte value: cheap to copy, usable as a hash key,
/// never allocated. IPv4 addresses are stored IPv4-mapped (`::ffff:a.b.c.d`), so one type
/// covers both families and IPv4 sorts before other IPv6 addresses in practice.
public struct IPAddress: Hashable, Comparable, Sendable {
    /// The first eight bytes of the address in network order, as a big-endian number.
    public var high: UInt64
    /// The last eight bytes of the address in network order, as a big-endian number.
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// An IPv4 address from its 32-bit value in host order (`0x7f000001` is 127.0.0.1).
    public init(ipv4 value: UInt32) {
        self.high = 0
        self.low = 0x0000_FFFF_0000_0000 | UInt64(value)
    }

    public var isIPv4: Bool { high == 0 && (low >> 32) == 0xFFFF }

    /// The IPv4 value in host order, when this is an IPv4 address.
    public var ipv4Value: UInt32? { isIPv4 ? UInt32(truncatingIfNeeded: low) : nil }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

extension IPAddress: CustomStringConvertible {
    /// Dotted quad for IPv4; RFC 5952 text for IPv6 (lowercase, longest zero run compressed).
    public var description: String {
        if let v4 = ipv4Value {
            return "\(v4 >> 24).\((v4 >> 16) & 0xff).\((v4 >> 8) & 0xff).\(v4 & 0xff)"
        }
        let groups: [UInt16] = (0..<8).map { index in
            let word = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> (UInt64(3 - index % 4) * 16))
        }
        // Find the longest run of two or more zero groups (the first one on a tie).
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...8 {
            if index < 8 && groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                let length = index - runStart
                if length > bestLength && length >= 2 { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestStart >= 0 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}

extension IPAddress {
    /// Parses dotted-quad IPv4 or IPv6 text (with `::` compression and an optional
    /// embedded IPv4 tail). Returns nil for anything else.
    public init?(_ text: Substring) {
        if let v4 = IPAddress.parseIPv4(text) {
            self.init(ipv4: v4)
            return
        }
        guard let (high, low) = IPAddress.parseIPv6(text) else { return nil }
        self.init(high: high, low: low)
    }

    public init?(_ text: String) { self.init(Substring(text)) }

    private static func parseIPv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, let octet = UInt32(part), octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    private static func parseIPv6(_ text: Substring) -> (UInt64, UInt64)? {
        var groups: [UInt16] = []
        var tailGroups: [UInt16] = []
        // Split at the one "::" allowed, without Foundation.
        var halves: [Substring] = []
        var rest = text[...]
        while let range = rest.firstRange(of: "::") {
            halves.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        halves.append(rest)
        guard halves.count <= 2 else { return nil }
        func parse(_ part: Substring, into result: inout [UInt16]) -> Bool {
            if part.isEmpty { return true }
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, field) in fields.enumerated() {
                if index == fields.count - 1, field.contains("."), let v4 = parseIPv4(field) {
                    result.append(UInt16(v4 >> 16))
                    result.append(UInt16(v4 & 0xffff))
                } else {
                    guard !field.isEmpty, field.count <= 4, let group = UInt16(field, radix: 16) else { return false }
                    result.append(group)
                }
            }
            return true
        }
        guard parse(halves[0], into: &groups) else { return nil }
        if halves.count == 2 {
            guard parse(halves[1], into: &tailGroups), groups.count + tailGroups.count <= 7 else { return nil }
            groups += Array(repeating: 0, count: 8 - groups.count - tailGroups.count) + tailGroups
        }
        guard groups.count == 8 else { return nil }
        let high = groups[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = groups[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return (high, low)
    }
}
