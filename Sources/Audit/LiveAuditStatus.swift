/// Where a live audit stands: what the status line shows every interval, so an engineer
/// watching a load test sees unexpected services and drops while there is time to act.
public struct LiveAuditStatus: Sendable {
    /// Seconds since the capture started.
    public var elapsedSeconds: Double
    /// Packets captured so far.
    public var packets: UInt64
    /// Packets per second since the previous status (or since the start).
    public var packetsPerSecond: Double
    /// Packets lost so far, as libpcap counts them.
    public var drops: Drops
    /// Connections tracked so far.
    public var connections: Int
    /// Server endpoints that carried traffic so far.
    public var services: Int
    /// Services no policy entry explains so far (`unexpected`, `executor-out-of-range`).
    public var unexpected: Int
    /// Findings so far by severity, waived ones excluded (as `Summary.findings`).
    public var findings: [String: Int]
    /// The audit these counts come from, for the watchers (metrics, events); nil in tests.
    public var result: AuditResult?

    public init(elapsedSeconds: Double, packets: UInt64, packetsPerSecond: Double, drops: Drops, connections: Int,
                services: Int, unexpected: Int, findings: [String: Int], result: AuditResult? = nil) {
        self.result = result
        self.elapsedSeconds = elapsedSeconds
        self.packets = packets
        self.packetsPerSecond = packetsPerSecond
        self.drops = drops
        self.connections = connections
        self.services = services
        self.unexpected = unexpected
        self.findings = findings
    }

    /// Findings so far over all severities.
    public var findingCount: Int { findings.values.reduce(0, +) }
}
