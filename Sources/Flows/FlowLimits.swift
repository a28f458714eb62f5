/// How much a `FlowTable` keeps in memory, and when it lets go of a connection.
///
/// A connection leaves the table (is *evicted*) when it can no longer change: it has ended
/// (FIN both ways, or a RST) and stayed quiet for `endedLinger`, or it has been idle for
/// `idleTimeout`; a connection the server refused leaves at once, its 4-tuple remembered
/// for the linger (`RecentlyRefused`). Its numbers are then folded into the table's
/// per-service statistics, so
/// the audit's services, counts and states are what they would have been had it stayed. Only
/// its individual record is gone (it is no longer listed by `FlowTable.finish(rules:)`).
///
/// Times are capture time (packet timestamps), never wall-clock time, so the outcome depends
/// only on the capture. Eviction runs at the ticks of a fixed grid of `sweepInterval`.
///
/// When more than `maxConnections` connections are open at once (a SYN flood, a port scan),
/// the least recently seen quarter is evicted early. Only then can the result differ from
/// an unbounded table's: a packet of an evicted connection starts a new, mid-stream one.
public struct FlowLimits: Sendable, Equatable {
    /// Open connections kept at most (128 bytes each, plus 16 bytes of index, plus 208
    /// bytes of payload samples for those that carried payload).
    public var maxConnections: Int
    /// Nanoseconds an ended connection stays after its last packet, so that the last ACK
    /// and a retransmitted FIN still find it. 5 s, as Zeek's `tcp_close_delay` and
    /// `tcp_reset_delay`: a rarer, later straggler starts a new mid-stream connection (one
    /// more connection counted), while a longer linger holds every recent connection of a
    /// busy capture (60 s, Linux's TIME_WAIT, held 175,000 records of a scan at 2,500
    /// connections a second, and made its audit 1.87 s where it is now 1.28 s:
    /// docs/performance.md).
    public var endedLinger: Int64
    /// Nanoseconds of silence after which an open connection is evicted as it stands.
    public var idleTimeout: Int64
    /// Nanoseconds between two eviction sweeps.
    public var sweepInterval: Int64
    /// In a table that continues an earlier input (`FlowTable.continuesEarlierInput`),
    /// connections that open with a SYN within this many nanoseconds of its first packet
    /// (or that are picked up mid-stream) may continue a connection of that input; they
    /// are kept, not evicted, until the tables are merged.
    public var continuationWindow: Int64
    /// Distinct client addresses recorded across all services of the evicted statistics;
    /// past it the per-service client counts become lower bounds (see `ServiceStatistics`).
    public var maxClientAddresses: Int
    /// Unresolved (direction unknown) connections listed individually; past it they are
    /// only counted.
    public var maxUnresolved: Int
    /// Service endpoints (server address and port that carried traffic) listed in the
    /// statistics; connections to further endpoints are only counted (`UnlistedEndpoints`).
    /// A listed service costs 2-5 KB from capture to report (its finding included; JSON
    /// the most): measured, a scan of 1 M answered endpoints peaks at 272 MB for the text
    /// report and 541 MB for JSON under the default 100,000, however many it reaches.
    public var maxServices: Int
    /// Endpoints that only saw refused or unanswered connects listed; past it they are only
    /// counted, like services.
    public var maxAttempts: Int
    /// Whether a connection the server refused leaves at its RST, remembered for the
    /// linger (`RecentlyRefused`) rather than held for it: so a scan's millions of refusals
    /// hold no record. Off for a listing of the connections themselves (`dasaudit flows`):
    /// the refused SYN sent again then joins its record, which is written with both tries'
    /// packets, instead of leaving them out of a record already written.
    public var releasesRefusedAtOnce = true

    public init(maxConnections: Int = 1 << 18,
                endedLinger: Int64 = 5 * FlowLimits.second,
                idleTimeout: Int64 = 3600 * FlowLimits.second,
                sweepInterval: Int64 = 5 * FlowLimits.second,
                continuationWindow: Int64 = 180 * FlowLimits.second,
                maxClientAddresses: Int = 1 << 20,
                maxUnresolved: Int = 100_000,
                maxServices: Int = 100_000,
                maxAttempts: Int = 100_000) {
        precondition(maxConnections >= 16, "maxConnections must be at least 16")
        precondition(sweepInterval > 0 && endedLinger >= 0 && idleTimeout >= endedLinger)
        self.maxConnections = maxConnections
        self.endedLinger = endedLinger
        self.idleTimeout = idleTimeout
        self.sweepInterval = sweepInterval
        self.continuationWindow = continuationWindow
        self.maxClientAddresses = maxClientAddresses
        self.maxUnresolved = maxUnresolved
        self.maxServices = maxServices
        self.maxAttempts = maxAttempts
    }

    public static let second: Int64 = 1_000_000_000

    /// The defaults: 262,144 open connections, 5 s linger, 1 h idle, 5 s sweeps;
    /// 100,000 services, attempted endpoints and unresolved connections listed.
    public static let standard = FlowLimits()

    /// A listing's (`dasaudit flows`): the standard times and cap, and a refused connection
    /// kept for the linger (`releasesRefusedAtOnce`), so its SYN sent again joins its record.
    /// The cap bounds its memory as the audit's: without it a SYN flood's unanswered
    /// connects, held for the idle hour, took 498 MB at 500,000. An open connection the cap
    /// lets go of is written as it stands, and a later packet of it begins a second record
    /// (`FlowTable.openConnectionsEvictedAtCap` counts them).
    public static let listing: FlowLimits = {
        var limits = FlowLimits.standard
        limits.releasesRefusedAtOnce = false
        return limits
    }()
}
