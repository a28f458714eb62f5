/// Ports written as collapsed ranges ("20000-20029, 20100, 40000-40002"): how every report
/// names many ports at once, so a 65,535-port scan is one short line.
public enum PortList {
    /// `ports` sorted, runs of consecutive ports joined as `low-high`.
    public static func collapsed(_ ports: some Sequence<UInt16>) -> String {
        written(ranges(ports))
    }

    /// Like `collapsed(_:)`, with at most `maxRuns` runs and then "and N more ports":
    /// for messages and titles, which stay one short line whatever was probed.
    public static func collapsed(_ ports: some Sequence<UInt16>, maxRuns: Int) -> String {
        written(ranges(ports), maxRuns: maxRuns)
    }

    /// `runs` (sorted, apart, as `ranges(_:)` gives them) written as `collapsed(_:)` writes
    /// their ports: for callers that hold the runs already, so that no port is parsed back
    /// from text or gathered again.
    public static func written(_ runs: some Sequence<ClosedRange<UInt16>>) -> String {
        // As ASCII bytes, decoded once: a scan's text is thousands of runs, and appending
        // each number to a String was most of the time of the scans' summaries.
        var text: [UInt8] = []
        text.reserveCapacity(runs.underestimatedCount * 12)
        for run in runs {
            if !text.isEmpty {
                text.append(UInt8(ascii: ","))
                text.append(UInt8(ascii: " "))
            }
            appendDecimal(run.lowerBound, to: &text)
            if run.upperBound != run.lowerBound {
                text.append(UInt8(ascii: "-"))
                appendDecimal(run.upperBound, to: &text)
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The decimal digits of `port`, most significant first.
    private static func appendDecimal(_ port: UInt16, to text: inout [UInt8]) {
        var divisor: UInt16 = 10_000
        while divisor > 1, port / divisor == 0 { divisor /= 10 }
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(port / divisor % 10))
            divisor /= 10
        }
    }

    /// `runs` written as `collapsed(_:maxRuns:)` writes their ports.
    public static func written(_ runs: [ClosedRange<UInt16>], maxRuns: Int) -> String {
        let shown = written(runs.prefix(maxRuns))
        let rest = runs.dropFirst(maxRuns).reduce(0) { $0 + $1.count }
        return rest > 0 ? shown + " and \(rest) more port\(rest == 1 ? "" : "s")" : shown
    }

    /// The runs of the ports a `collapsed(_:)` text names ("20000-20002, 9443"), as
    /// `ranges(_:)` gives them; what is no port or no range (a reversed one) is skipped.
    public static func ranges(inCollapsed text: String) -> [ClosedRange<UInt16>] {
        var ports = PortSet()
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { UInt16(String($0).filter { $0 != " " }) }
            guard let low = bounds.first, let high = bounds.last, low <= high else { continue }
            ports.insert(low...high)
        }
        return ports.runs
    }

    /// The runs of consecutive ports in `ports`, lowest first.
    public static func ranges(_ ports: some Sequence<UInt16>) -> [ClosedRange<UInt16>] {
        PortSet(ports).runs
    }
}
