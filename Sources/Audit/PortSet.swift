/// A set of TCP ports as 65,536 bits: inserting is one bit, counting is a population count,
/// and the runs of consecutive ports come out in order from one pass over 1,024 words. What
/// `PortList` builds its runs with, so that a scan of thousands of ports is summarised without
/// a hash set or a sort of its ports.
struct PortSet {
    private var words = [UInt64](repeating: 0, count: 1024)

    init() {}

    init(_ ports: some Sequence<UInt16>) {
        for port in ports { insert(port) }
    }

    mutating func insert(_ port: UInt16) {
        words[Int(port >> 6)] |= 1 << UInt64(port & 63)
    }

    /// Inserts every port of `range`, a word at a time (a text naming 0-65535 many times
    /// costs a few thousand word writes, not billions of bits).
    mutating func insert(_ range: ClosedRange<UInt16>) {
        let low = Int(range.lowerBound), high = Int(range.upperBound)
        for index in low >> 6...high >> 6 {
            let from = max(low, index * 64) - index * 64, through = min(high, index * 64 + 63) - index * 64
            // Ones from bit `from` through bit `through`.
            let mask = (UInt64.max >> UInt64(63 - through)) & (UInt64.max << UInt64(from))
            words[index] |= mask
        }
    }

    func contains(_ port: UInt16) -> Bool {
        words[Int(port >> 6)] & (1 << UInt64(port & 63)) != 0
    }

    /// The number of ports in the set.
    var count: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// The runs of consecutive ports, lowest first, each as long as it goes.
    var runs: [ClosedRange<UInt16>] {
        var runs: [ClosedRange<UInt16>] = []
        var start: Int?  // the first port of the run under way
        for (index, word) in words.enumerated() {
            let base = index * 64
            if word == 0 || word == .max {
                if word == 0, let first = start {
                    runs.append(UInt16(first)...UInt16(base - 1))
                    start = nil
                } else if word == .max, start == nil {
                    start = base
                }
                continue
            }
            var bit = 0
            while bit < 64 {
                let rest = word >> UInt64(bit)
                if let first = start {
                    // The ones from `bit` on continue the run; the first zero ends it.
                    bit += (~rest).trailingZeroBitCount
                    guard bit < 64 else { break }
                    runs.append(UInt16(first)...UInt16(base + bit - 1))
                    start = nil
                } else {
                    guard rest != 0 else { break }
                    bit += rest.trailingZeroBitCount
                    start = base + bit
                }
            }
        }
        if let first = start { runs.append(UInt16(first)...UInt16.max) }
        return runs
    }
}
