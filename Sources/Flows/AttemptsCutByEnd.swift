import Wire

/// Unanswered connects that the end of a capture cut: every try of each came in the last
/// `seconds` before an input ended (`ends`), so the capture stopped before its SYN-ACK
/// could come (`tcpdump -c N`, a rotation, Ctrl-C between a SYN and its answer). They are
/// no evidence of a service not answering: the audit says how many of each endpoint's
/// unanswered connects they are, and makes no finding of them. They stay unanswered
/// connects in every count (a port scan's last probes are still its probes).
///
/// Why: a capture cut right after a SYN to an expected port (the SYN-ACK came 0.2 ms
/// later, uncaptured) gave a medium `expected-service-not-answering` finding and failed the
/// audit. `dasaudit live`'s interim audits leave out connects younger than the same 3 s.
public struct AttemptsCutByEnd: Sendable, Equatable {
    /// How long before an end a connect's first try must come to be cut by it: 3 s, the
    /// time Linux takes to send a SYN twice (its initial retransmission timeout is 1 s,
    /// doubled at each retry), as `dasaudit live` waits.
    public static let seconds: Int64 = 3

    /// The times the capture ended (nanoseconds): where no input went on past an input's
    /// last packet (`InputSummary` windows, computed by the audit).
    public let ends: [Int64]

    /// The connects cut, per server endpoint.
    public private(set) var byEndpoint: [Endpoint: Tries] = [:]
    /// Every connect cut, counted on endpoints past the cap too.
    public private(set) var total: UInt64 = 0

    /// The cut connects on one endpoint.
    public struct Tries: Sendable, Equatable {
        public var connects: UInt64 = 0
        public var clients: Set<IPAddress> = []
        public var firstSeen = Int64.max
        public var lastSeen = Int64.min

        public init() {}
    }

    public init(ends: [Int64] = []) { self.ends = ends.sorted() }

    /// Whether `connection`, unanswered, was cut by an end: its first try at most `seconds`
    /// before one, and not after it.
    public func cuts(_ connection: Connection) -> Bool {
        guard connection.state == .attempted, !ends.isEmpty else { return false }
        let window = Self.seconds * 1_000_000_000
        // The first end at or after its first try.
        var low = 0, high = ends.count
        while low < high {
            let middle = (low + high) / 2
            if ends[middle] < connection.firstSeen { low = middle + 1 } else { high = middle }
        }
        guard low < ends.count else { return false }
        let (before, overflow) = ends[low].subtractingReportingOverflow(connection.firstSeen)
        return !overflow && before <= window
    }

    /// Counts `connection`, cut by an end, on its server endpoint (up to `cap` endpoints).
    public mutating func add(_ connection: Connection, cap: Int) {
        total = total.addingSaturated(1)
        guard byEndpoint[connection.server] != nil || byEndpoint.count < cap else { return }
        byEndpoint[connection.server, default: Tries()].add(connection)
    }
}

extension AttemptsCutByEnd.Tries {
    mutating func add(_ connection: Connection) {
        connects = connects.addingSaturated(1)
        clients.insert(connection.client.address)
        firstSeen = min(firstSeen, connection.firstSeen)
        lastSeen = max(lastSeen, connection.lastSeen)
    }
}
