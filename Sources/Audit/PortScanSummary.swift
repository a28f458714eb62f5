/// One port scan, as written to the result's `scans`: its probes aggregated.
public struct PortScanSummary: Codable, Sendable, Equatable {
    public enum Kind: String, CaseIterable, Codable, Sendable, Comparable {
        /// Many ports of one host each.
        case vertical
        /// One port (or a few) across many hosts.
        case horizontal
        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    public enum ScanType: String, CaseIterable, Codable, Sendable, Comparable {
        case synHalfOpen = "syn-half-open"
        case connect
        /// Probes without a SYN (nmap's FIN, NULL, Xmas, ACK, Window or Maimon scans): most
        /// failed probes were a packet answered by a RST or by nothing, no handshake.
        case stealth
        /// No port answered the scanner alone, so the handshake cannot tell.
        case undetermined
        var words: String {
            switch self {
            case .synHalfOpen: "SYN (half-open)"
            case .connect: "full-connect"
            case .stealth: "stealth (FIN, NULL, Xmas, ACK, Window or Maimon: no SYN)"
            case .undetermined: "SYN or connect"
            }
        }
        public static func < (a: ScanType, b: ScanType) -> Bool { a.rawValue < b.rawValue }
    }

    public var scanner: String
    public var kind: Kind
    public var type: ScanType
    /// Hosts probed, as numbers sort.
    public var targets: [String]
    /// Distinct ports probed, and the same as collapsed ranges.
    public var ports: Int
    public var portRanges: String
    /// `portRanges` as numbers (not written: decoding reads them back from the text), so
    /// that the finding's message is written from the ports and not parsed back from text.
    public var portRuns: [ClosedRange<UInt16>] = []
    /// Endpoints probed (host x port), and the connects refused and unanswered among them.
    public var probes: Int
    public var refused: UInt64
    public var unanswered: UInt64
    /// Refused or unanswered endpoints among `probes` that other clients tried too (or whose
    /// clients went uncounted): the statistics count an endpoint's connects, not each
    /// client's, so theirs are not in `refused` and `unanswered`. 0 in older results.
    public var sharedProbes: Int = 0
    /// `firstSeen` and `lastSeen` are those of every client's connects to the endpoints it
    /// probed, since it tried none alone. False in older results.
    public var windowShared = false
    /// Endpoints that answered: they stay services. For a `stealth` scan, whose probes show
    /// no port open, the probed endpoints that other connections show open and that left
    /// its probes without a SYN unanswered (nmap's open|filtered), not those that answered
    /// them with a RST (`unfilteredPorts`).
    public var openPorts: [String]
    /// Of a `stealth` scan, the probed endpoints that other connections show open and that
    /// answered every probe without a SYN with a RST: an ACK, Window or Maimon probe, which
    /// open and closed ports answer alike (nmap's unfiltered), so the scan did not find them
    /// open. Empty for other scans; absent (empty) in older results.
    public var unfilteredPorts: [String] = []
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
}

extension PortScanSummary {
    /// Every field but `portRuns`, which the text `portRanges` stands for.
    private enum CodingKeys: String, CodingKey {
        case scanner, kind, type, targets, ports, portRanges, probes, refused, unanswered, sharedProbes, windowShared
        case openPorts, unfilteredPorts, firstSeen, lastSeen
    }

    /// A scan read back from a result: `portRuns` are the runs of the ports `portRanges` names.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scanner = try container.decode(String.self, forKey: .scanner)
        kind = try container.decode(Kind.self, forKey: .kind)
        type = try container.decode(ScanType.self, forKey: .type)
        targets = try container.decode([String].self, forKey: .targets)
        ports = try container.decode(Int.self, forKey: .ports)
        portRanges = try container.decode(String.self, forKey: .portRanges)
        portRuns = PortList.ranges(inCollapsed: portRanges)
        probes = try container.decode(Int.self, forKey: .probes)
        refused = try container.decode(UInt64.self, forKey: .refused)
        unanswered = try container.decode(UInt64.self, forKey: .unanswered)
        sharedProbes = try container.decodeIfPresent(Int.self, forKey: .sharedProbes) ?? 0
        windowShared = try container.decodeIfPresent(Bool.self, forKey: .windowShared) ?? false
        openPorts = try container.decode([String].self, forKey: .openPorts)
        unfilteredPorts = try container.decodeIfPresent([String].self, forKey: .unfilteredPorts) ?? []
        firstSeen = try container.decode(Timestamp.self, forKey: .firstSeen)
        lastSeen = try container.decode(Timestamp.self, forKey: .lastSeen)
    }
}

extension [PortScanSummary] {
    /// Endpoints probed by all these scans: attempts folded out of the `attempts` list,
    /// still evidence that something was audited (`NoTraffic`).
    /// Saturating: a result read back may carry any numbers.
    public var probes: Int { reduce(0) { $0.addingSaturated($1.probes) } }
}
