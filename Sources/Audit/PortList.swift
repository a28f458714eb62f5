/// Ports written as collapsed ranges ("20000-20029, 20100, 40000-40002"): how every report
/// names many ports at once, so a 65,535-port scan is one short line.
public enum PortList {
    /// `ports` sorted, runs of consecutive ports joined as `low-high`.
    public static func collapsed(_ ports: some Sequence<UInt16>) -> String {
        ranges(ports).map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ", ")
    }

    /// Like `collapsed(_:)`, with at most `maxRuns` runs and then "and N more ports":
    /// for messages and titles, which stay one short line whatever was probed.
    public static func collapsed(_ ports: some Sequence<UInt16>, maxRuns: Int) -> String {
        let runs = ranges(ports)
        let shown = collapsed(runs.prefix(maxRuns).flatMap { Array($0) })
        let rest = runs.dropFirst(maxRuns).reduce(0) { $0 + $1.count }
        return rest > 0 ? shown + " and \(rest) more port\(rest == 1 ? "" : "s")" : shown
    }

    /// The ports of a `collapsed(_:)` text ("20000-20002, 9443"); what is no port is skipped.
    public static func ports(inCollapsed text: String) -> [UInt16] {
        text.split(separator: ",").flatMap { part -> [UInt16] in
            let bounds = part.split(separator: "-").compactMap { UInt16(String($0).filter { $0 != " " }) }
            guard let low = bounds.first, let high = bounds.last, low <= high else { return [] }
            return Array(low...high)
        }
    }

    /// The runs of consecutive ports in `ports`, lowest first.
    public static func ranges(_ ports: some Sequence<UInt16>) -> [ClosedRange<UInt16>] {
        var runs: [ClosedRange<UInt16>] = []
        for port in Set(ports).sorted() {
            if let last = runs.last, last.upperBound < UInt16.max, last.upperBound + 1 == port {
                runs[runs.count - 1] = last.lowerBound...port
            } else {
                runs.append(port...port)
            }
        }
        return runs
    }
}
