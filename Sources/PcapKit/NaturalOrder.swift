/// Orders names the way people number files: runs of digits compare as numbers, so a
/// rotated capture set reads `dump.pcap`, `dump.pcap1`, `dump.pcap2`, ..., `dump.pcap10`
/// (a shell glob gives `dump.pcap10` before `dump.pcap2`), and strftime names
/// (`tcpdump -G`) stay in time order.
enum NaturalOrder {
    /// Whether `a` comes before `b`. Equal numbers with different zero padding, and
    /// otherwise equal names, fall back to plain byte order, so the order is total.
    static func precedes(_ a: String, _ b: String) -> Bool {
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

    /// The name with its digits taken out: names that differ only in their numbers have
    /// the same shape (`dump.pcap`, `dump.pcap7`; `cap-2026-11-27_0010.pcap`, `cap-2026-11-27_0020.pcap`).
    static func shape(_ name: String) -> String {
        String(decoding: name.utf8.filter { !isDigit($0) }, as: UTF8.self)
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
