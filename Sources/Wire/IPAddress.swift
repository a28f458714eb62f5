/// An IPv4 or IPv6 address as a 16-byte value: cheap to copy, usable as a hash key,
/// never allocated. IPv4 addresses are stored IPv4-mapped (`::ffff:a.b.c.d`), so one type
/// covers both families and IPv4 sorts before other IPv6 addresses in practice.
public struct IPAddress: Hashable, Comparable, Sendable, BitwiseCopyable {
    /// The first eight bytes of the address in network order, as a big-endian number.
    public var high: UInt64
    /// The last eight bytes of the address in network order, as a big-endian number.
    public var low: UInt64

    @inlinable
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// An IPv4 address from its 32-bit value in host order (`0x7f000001` is 127.0.0.1).
    @inlinable
    public init(ipv4 value: UInt32) {
        self.high = 0
        self.low = 0x0000_FFFF_0000_0000 | UInt64(value)
    }

    @inlinable
    public var isIPv4: Bool { high == 0 && (low >> 32) == 0xFFFF }

    /// The IPv4 value in host order, when this is an IPv4 address.
    @inlinable
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
        // Exactly four decimal octets of 1 to 3 digits each (no signs, no spaces).
        var value: UInt32 = 0, octet: UInt32 = 0, digits = 0, dots = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard digits < 3 else { return nil }
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: "."):
                guard digits > 0, dots < 3, octet <= 255 else { return nil }
                value = value << 8 | octet
                octet = 0
                digits = 0
                dots += 1
            default:
                return nil
            }
        }
        guard dots == 3, digits > 0, octet <= 255 else { return nil }
        return value << 8 | octet
    }

    private static func parseIPv6(_ text: Substring) -> (UInt64, UInt64)? {
        // Split at the one "::" (if any) into the groups before and after it.
        let colon = UInt8(ascii: ":")
        let utf8 = text.utf8
        var compression: Range<Substring.Index>? = nil
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let next = utf8.index(after: index)
            if utf8[index] == colon, next < utf8.endIndex, utf8[next] == colon {
                guard compression == nil else { return nil }
                let end = utf8.index(after: next)
                compression = index..<end
                index = end
            } else {
                index = next
            }
        }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        if let compression {
            guard parseGroups(text[..<compression.lowerBound], allowIPv4Tail: false, into: &head),
                  parseGroups(text[compression.upperBound...], allowIPv4Tail: true, into: &tail),
                  head.count + tail.count <= 7
            else { return nil }
            head += repeatElement(0, count: 8 - head.count - tail.count)
            head += tail
        } else {
            guard parseGroups(text, allowIPv4Tail: true, into: &head) else { return nil }
        }
        guard head.count == 8 else { return nil }
        let high = head[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = head[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return (high, low)
    }

    /// Appends the colon-separated hex groups of `part` (empty `part`: none). The last field
    /// may be a dotted quad when `allowIPv4Tail` is set.
    private static func parseGroups(_ part: Substring, allowIPv4Tail: Bool, into result: inout [UInt16]) -> Bool {
        if part.isEmpty { return true }
        let fields = part.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count <= 8 else { return false }
        for (index, field) in fields.enumerated() {
            if allowIPv4Tail, index == fields.count - 1, field.utf8.contains(UInt8(ascii: ".")) {
                guard let v4 = parseIPv4(field) else { return false }
                result.append(UInt16(v4 >> 16))
                result.append(UInt16(v4 & 0xffff))
                continue
            }
            guard (1...4).contains(field.utf8.count),
                  field.utf8.allSatisfy({ isHexDigit($0) }),
                  let group = UInt16(field, radix: 16)
            else { return false }
            result.append(group)
        }
        return true
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
             UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        default:
            return false
        }
    }
}
