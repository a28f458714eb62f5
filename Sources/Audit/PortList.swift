/// Ports written as collapsed ranges ("20000-20029, 20100, 40000-40002"): how every report
/// names many ports at once, so a 65,535-port scan is one short line.
public enum PortList {
    /// `ports` sorted, runs of consecutive ports joined as `low-high`.
    public static func collapsed(_ ports: some Sequence<UInt16>) -> String {
        ranges(ports).map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ", ")
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
