/// One port scan, as written to the result's `scans`: its probes aggregated.
public struct PortScanSummary: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, Comparable {
        /// Many ports of one host each.
        case vertical
        /// One port (or a few) across many hosts.
        case horizontal
        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    public enum ScanType: String, Codable, Sendable, Comparable {
        case synHalfOpen = "syn-half-open"
        case connect
        /// No port answered the scanner alone, so the handshake cannot tell.
        case undetermined
        var words: String {
            switch self {
            case .synHalfOpen: "SYN (half-open)"
            case .connect: "full-connect"
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
    /// Endpoints probed (host x port), and the connects refused and unanswered among them.
    public var probes: Int
    public var refused: UInt64
    public var unanswered: UInt64
    /// Endpoints that answered: they stay services.
    public var openPorts: [String]
    public var firstSeen: Timestamp
    public var lastSeen: Timestamp
}

extension [PortScanSummary] {
    /// Endpoints probed by all these scans: attempts folded out of the `attempts` list,
    /// still evidence that something was audited (`NoTraffic`).
    /// Saturating: a result read back may carry any numbers.
    public var probes: Int { reduce(0) { $0.addingSaturated($1.probes) } }
}
