/// An address of a generated host: an IPv4 address in the low 32 bits, or an IPv6 address
/// in two 64-bit halves. Hosts are numbered; the number picks the address in its range.
struct HostAddress: Hashable, Sendable {
    var isIPv6: Bool
    var high: UInt64
    var low: UInt64

    /// The ranges hosts are numbered in: 10.R.0.0/16, or fd00:da5:R::/48 for IPv6.
    enum Role: UInt64 {
        case server = 0, client = 1, scanner = 2
    }

    /// Host `number` (0-based) of `role`: 10.R.x.y or fd00:da5:R::n, n = number + 1.
    init(_ role: Role, _ number: Int, ipv6: Bool) {
        isIPv6 = ipv6
        let n = UInt64(number + 1)
        if ipv6 {
            high = 0xFD00_0DA5_0000_0000 | role.rawValue << 16
            low = n
        } else {
            high = 0
            low = 0x0A00_0000 | role.rawValue << 16 | (n & 0xFFFF)
        }
    }

    /// Another address: a copy's client in the repeater (198.18.0.0/15 or 2001:2::/48, the
    /// benchmarking ranges of RFC 2544 and RFC 5180).
    init(benchmark number: Int, ipv6: Bool) {
        isIPv6 = ipv6
        if ipv6 {
            high = 0x2001_0002_0000_0000
            low = UInt64(number)
        } else {
            high = 0
            low = 0xC612_0000 | (UInt64(number) & 0x1FFFF)
        }
    }

    var ipv4: UInt32 { UInt32(truncatingIfNeeded: low) }
}
