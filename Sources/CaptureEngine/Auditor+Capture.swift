import Audit
import Flows

/// The audit of capture files: the engine reads them (`ParallelReader`, `CaptureReader`)
/// and the rules (`Auditor`, which reads nothing itself) audit what was read.
extension Auditor {
    /// Reads `paths` ("-" is stdin) and audits them as one capture: `threads` inputs at
    /// once (default: every core), merged as if read in order (`ParallelReader`).
    /// `connections`: list every connection in the result too (for `dasaudit merge`).
    /// `hashing`: the inputs' evidence hash, computed alongside the reading (`InputHashing`).
    /// `timings`: ends its packet loop and end stage (`dasaudit audit --timings`).
    /// The end stage uses two of the `threads` if it has them (`audit(_:inputs:threads:)`).
    /// `capturePoint`: the name of the point the files were captured at, whose gaps between
    /// them the audit says (`CaptureGaps`); nil: none looked for.
    public func audit(paths: [String], threads: Int? = nil, connections: Bool = false, hashing: InputHashing? = nil,
                      progress: (@Sendable (ReadProgress) -> Void)? = nil, timings: StageTimings? = nil,
                      capturePoint: String? = nil) -> AuditResult {
        var reader = ParallelReader(rules: directionRules, progress: progress)
        if let threads { reader.threads = max(1, threads) }
        reader.keepingConnections = connections
        reader.filter = captureFilter
        reader.deduplicates = deduplicates
        reader.vxlanPorts = vxlanPorts
        let runs = reader.runs(of: paths)
        if let hashing { reader.hash(alongside: hashing, inputs: runs.count) }
        let (statistics, inputs, listed) = Self.fold(reader.readMerged(paths: paths, runs: runs), listing: connections,
                                                     timings: timings)
        var result = audit(consume statistics, inputs: inputs, threads: reader.threads, capturePoint: capturePoint)
        if let listed { result.connections = listed }
        timings?.end(.endStage)
        return result
    }

    /// What the audit needs of a finished `read`, taken out of it so that its connection
    /// table (tens of MB at the cap) is freed before the end stage builds its own tables.
    private static func fold(_ read: consuming CaptureReader, listing: Bool, timings: StageTimings?)
        -> (ServiceStatistics, [InputSummary], [ConnectionEntry]?) {
        timings?.end(.packetLoop)
        if read.trackingThreadCPU > 0 { timings?.trackingCPU = read.trackingThreadCPU }
        var table = read.takeTable()
        let listed = listing ? table.connections().map(ConnectionEntry.init) : nil
        return (table.takeStatistics(cuttingAttemptsAt: AttemptsCutByEnd.ends(of: read.inputs)), read.inputs, listed)
    }

    /// Every connection of `paths`, read in order as one capture ("-" is stdin), oriented
    /// by the policy, handed to `each` as they leave the connection table: round after
    /// round of its sweeps (every 5 s of capture time: the connections that ended and
    /// stayed quiet for the linger, were refused, or were idle for an hour), each round in
    /// the order of their first packets, then the rest, those still open at the end, in the
    /// order of their first packets, a chunk at a time. What `dasaudit flows` writes as it
    /// reads, so that memory grows with the connections open at once, up to the cap of
    /// the audit's table, not with all of them (`FlowLimits.listing`). Returns what was read
    /// of each input, and how many connections the cap let go of while they were open
    /// (each written as it stood then; a later packet of one begins another record).
    public func connections(paths: [String], each: @escaping ([Connection]) -> Void)
        -> (inputs: [InputSummary], openConnectionsEvictedAtCap: UInt64) {
        var reader = CaptureReader(rules: directionRules, limits: .listing, keepingConnections: true)
        reader.filter = captureFilter
        reader.deduplicates = deduplicates
        reader.vxlanPorts = vxlanPorts
        reader.swept = each
        for path in paths { reader.read(path: path) }
        reader.handOverUnswept()
        return (reader.inputs, reader.table.openConnectionsEvictedAtCap)
    }

    /// `connections(paths:each:)` collected, in the order of their first packets.
    public func connections(paths: [String]) -> (connections: [Connection], inputs: [InputSummary]) {
        var all: [Connection] = []
        let inputs = connections(paths: paths) { all += $0 }.inputs
        return (all.sorted(by: Connection.beganBefore), inputs)
    }
}
