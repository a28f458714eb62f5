import Foundation

/// The events of a live audit (`live --events PATH|-`), one JSON object a line (NDJSON),
/// vocabulary in docs/events.md:
///
/// - `new-service`: a server endpoint seen for the first time, with its classification,
///   catalog key, node and protocol (when recognized);
/// - `finding`: a finding seen for the first time (kind, severity, host, port and node
///   identify it, as in `dasaudit diff`);
/// - `capture-loss`: libpcap counted more dropped packets than at the last look;
/// - `snapshot`: the counts so far, when asked for, every status interval.
///
/// Events are found by comparing each audit of the capture so far (every `--interval`,
/// and the final one) with what was already reported, so an event comes at most one
/// interval after the packet that caused it, and never twice.
public struct LiveEvent: Codable, Sendable {
    public var event: String
    /// When the event was noticed (UTC, RFC 3339).
    public var time: String
    @Nullable public var address: String? = nil
    @Nullable public var port: UInt16? = nil
    @Nullable public var node: String? = nil
    @Nullable public var classification: Classification? = nil
    @Nullable public var catalogKey: String? = nil
    /// For `new-service`: the protocol recognized on its connections so far, when known.
    @Nullable public var `protocol`: String? = nil
    @Nullable public var hint: String? = nil
    @Nullable public var kind: Finding.Kind? = nil
    @Nullable public var severity: Severity? = nil
    @Nullable public var message: String? = nil
    @Nullable public var waived: Bool? = nil
    /// For `capture-loss` and `snapshot`: packets dropped in all, and since the last event.
    @Nullable public var drops: Drops? = nil
    @Nullable public var newDrops: UInt64? = nil
    @Nullable public var packets: UInt64? = nil
    @Nullable public var connections: Int? = nil
    @Nullable public var services: Int? = nil
    @Nullable public var findings: [String: Int]? = nil

    /// The event as one NDJSON line (keys sorted, no whitespace, a line feed at the end).
    public var line: String {
        let data = (try? ResultCoding.encoder(canonical: true).encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// Remembers what a live audit has reported, and turns each new audit of the capture so far
/// into the events it brings.
public struct LiveEventTracker: Sendable {
    private var servicesSeen = Set<ServiceEndpoint>()
    private var findingsSeen: [FindingIdentity: Int] = [:]
    private var dropsSeen: UInt64 = 0
    /// Whether every look also gives a `snapshot` event.
    public var snapshots: Bool

    public init(snapshots: Bool = false) { self.snapshots = snapshots }

    /// Findings about something not seen (an expected port without traffic, a declared
    /// node without any, no traffic at all, a waiver that matched nothing), and about the
    /// window being too short to call openings unused (`insufficient-traffic`): they hold at
    /// the start of every capture, so only the final audit reports them. And
    /// `direction-unknown`, whose severity is a share of the whole window (medium when its
    /// connections are at least half of the connections or of the bytes, `UnjudgedTraffic`):
    /// an interim audit's share is not the window's, and an event is said once, so a medium
    /// one said early stayed in the log when the final audit's was info, and the reverse.
    static let finalOnlyKinds: Set<Finding.Kind> = [.unusedOpening, .noTraffic, .nodeNotSeen, .waiverUnused,
                                                    .insufficientTraffic, .directionUnknown]

    /// The events `result` brings since the last call, noticed at `time`; `final` for the
    /// audit of the whole capture, the only one that reports findings of absence.
    public mutating func events(in result: AuditResult, final: Bool = false, at time: Date = Date()) -> [LiveEvent] {
        let stamp = ISO8601DateFormatter.string(from: time, timeZone: TimeZone(identifier: "UTC")!,
                                                formatOptions: [.withInternetDateTime, .withFractionalSeconds])
        var events: [LiveEvent] = []
        for service in result.services where servicesSeen.insert(ServiceEndpoint(address: service.address, port: service.port)).inserted {
            events.append(LiveEvent(event: "new-service", time: stamp, address: service.address, port: service.port,
                                    node: service.node, classification: service.classification,
                                    catalogKey: service.catalogKey, protocol: service.protocol, hint: service.hint))
        }
        var counted: [FindingIdentity: Int] = [:]
        for finding in result.findings where final || !Self.finalOnlyKinds.contains(finding.kind) {
            let identity = FindingIdentity(finding)
            counted[identity, default: 0] += 1
            // The n-th finding with this identity is new when fewer than n were reported.
            guard counted[identity]! > findingsSeen[identity, default: 0] else { continue }
            findingsSeen[identity] = counted[identity]
            events.append(LiveEvent(event: "finding", time: stamp, address: finding.address, port: finding.port,
                                    node: finding.node, kind: finding.kind, severity: finding.severity,
                                    message: finding.message, waived: finding.isWaived))
        }
        let drops = result.coverage.drops ?? Drops(kernel: 0, interface: 0)
        if drops.total > dropsSeen {
            events.append(LiveEvent(event: "capture-loss", time: stamp, drops: drops, newDrops: drops.total - dropsSeen,
                                    packets: result.coverage.packets))
            dropsSeen = drops.total
        }
        if snapshots {
            events.append(LiveEvent(event: "snapshot", time: stamp, drops: drops, packets: result.coverage.packets,
                                    connections: result.coverage.connections, services: result.services.count,
                                    findings: result.summary.findings))
        }
        return events
    }
}
