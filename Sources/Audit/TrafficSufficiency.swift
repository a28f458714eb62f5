/// Whether the capture can say that an opening is unused. A port that carried nothing in
/// a 2-second window, or among a handful of connections, may simply not have been used
/// yet: the audit then adds an `insufficient-traffic` finding (info) next to its unused
/// openings, so a reader does not take them for proof. Scan probes do not count as
/// traffic: they show what answered, not what the cluster uses.
enum TrafficSufficiency {
    /// A window shorter than this cannot show a port unused (a DAS node's periodic
    /// traffic, Hazelcast heartbeats and Spark's, comes every few seconds to a minute).
    static let minWindowSeconds = 60.0
    /// Fewer connections than this (scan probes excluded) cannot either.
    static let minConnections = 20

    static func findings(coverage: Coverage, unused: [UnusedOpening], scans: [PortScanSummary]) -> [Finding] {
        guard !unused.isEmpty, coverage.captureStart != nil else { return [] }
        let probes = scans.probes
        let connections = max(0, coverage.connections - probes)
        var reasons: [String] = []
        if coverage.durationSeconds < minWindowSeconds {
            reasons.append(String(format: "the window is %.1f s (under %.0f s)", coverage.durationSeconds, minWindowSeconds))
        }
        if connections < minConnections {
            reasons.append("it carries \(connections) connection\(connections == 1 ? "" : "s")"
                + (probes > 0 ? " besides scan probes" : "") + " (under \(minConnections))")
        }
        let open = [coverage.openAtStart.map { "\($0) open at the start" }, coverage.openAtEnd.map { "\($0) still open at the end" }]
            .compactMap { $0 }
        guard !reasons.isEmpty else { return [] }
        return [Finding(
            kind: .insufficientTraffic, severity: .info, port: nil, address: nil,
            message: "The capture is too small to call \(unused.count) opening\(unused.count == 1 ? "" : "s") unused: "
                + reasons.joined(separator: " and ")
                + (open.isEmpty ? "" : "; long-lived connections: " + open.joined(separator: ", ")),
            remediation: "Capture for longer, across the cluster's busy hours and a restart, before closing ports "
                + "reported as unused.")]
    }
}
