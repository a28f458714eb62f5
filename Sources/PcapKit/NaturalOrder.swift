/// Orders names the way people number files: runs of digits compare as numbers, so a
/// rotated capture set reads `dump.pcap`, `dump.pcap1`, `dump.pcap2`, ..., `dump.pcap10`
/// (a shell glob gives `dump.pcap10` before `dump.pcap2`), and strftime names
/// (`tcpdump -G`) stay in time order. A compression suffix (`.gz`, `.zst`, `.xz`, `.bz2`)
/// is set aside: `tcpdump -C -z gzip` compresses every file but the last, so its set reads
/// `dump.pcap.gz`, `dump.pcap1.gz`, ..., `dump.pcap12.gz`, `dump.pcap13`.
enum NaturalOrder {
    /// Whether `a` comes before `b`. Names equal without their compression suffix, equal
    /// numbers with different zero padding, and otherwise equal names fall back to plain
    /// byte order, so the order is total.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let (x, y) = (uncompressed(a), uncompressed(b))
        return x != y ? numberwisePrecedes(x, y) : numberwisePrecedes(a, b)
    }

    /// The name without its digits and compression suffix: the names of one rotated set
    /// have the same shape (`dump.pcap`, `dump.pcap7.gz`; `cap-2026-11-27_0010.pcap`,
    /// `cap-2026-11-27_0020.pcap`). Bytes, so that shapes compare byte for byte: `String`'s
    /// `==` would put `caf\u{E9}1.pcap` and `cafe\u{301}2.pcap` in one set.
    static func shape(_ name: String) -> [UInt8] {
        uncompressed(name).utf8.filter { !isDigit($0) }
    }

    /// Whether `name`, without its compression suffix, holds no digit: the first file of a
    /// `tcpdump -C` set written without `-W` (`dump.pcap`, then `dump.pcap1`, ...), which
    /// never wraps as a ring does.
    static func isUnnumbered(_ name: String) -> Bool {
        !uncompressed(String(name.split(separator: "/").last ?? "")).utf8.contains(where: isDigit)
    }

    /// `name` without the suffix its compression tool gave it, if any.
    static func uncompressed(_ name: String) -> String {
        guard let suffix = Compression.allCases.map(\.fileSuffix).first(where: { name.hasSuffix($0) }),
              name.utf8.count > suffix.utf8.count else { return name }
        return String(name.dropLast(suffix.count))
    }

    private static func numberwisePrecedes(_ a: String, _ b: String) -> Bool {
        let left = runs(a), right = runs(b)
        for (x, y) in zip(left, right) where x != y {
            if x.isNumber && y.isNumber {
                let (p, q) = (x.text.drop { $0 == 48 }, y.text.drop { $0 == 48 })  // leading "0"s
                if p.count != q.count { return p.count < q.count }
                if !p.elementsEqual(q) { return p.lexicographicallyPrecedes(q) }
            } else {
                return x.text.lexicographicallyPrecedes(y.text)
            }
        }
        if left.count != right.count { return left.count < right.count }
        return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
    }

    private struct Run: Equatable {
        var text: [UInt8]
        var isNumber: Bool
    }

    private static func runs(_ name: String) -> [Run] {
        var result: [Run] = []
        for byte in name.utf8 {
            let digit = isDigit(byte)
            if let last = result.last, last.isNumber == digit {
                result[result.count - 1].text.append(byte)
            } else {
                result.append(Run(text: [byte], isNumber: digit))
            }
        }
        return result
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
}
