/// The client port every counted connect of an endpoint came from, or the two they came
/// from, or the fact that they came from more: what tells a raw-socket scanner's probes,
/// sent from one source port (nmap's SYN, FIN, NULL, Xmas, ACK and Maimon scans, masscan),
/// from a host's real connects, each from its own ephemeral port (`ProbeSourcePort`,
/// `PortScans`). nmap sends a probe nothing answered once more, from a second source port
/// shared by its retries: an endpoint of an all-filtered scan saw two.
/// Six bytes, kept beside an endpoint's counters: no set of ports per endpoint.
public struct SoleClientPort: Sendable, Equatable {
    private var first: UInt16 = 0
    private var second: UInt16 = 0
    /// Distinct ports counted: 0, 1, 2, or 3 for more than two.
    private var distinct: UInt8 = 0

    public init() {}

    /// The port of every connect counted; nil with several, or none counted.
    public var port: UInt16? { distinct == 1 ? first : nil }

    /// The two ports the connects came from, lower first, when there were exactly two.
    public var pair: (UInt16, UInt16)? { distinct == 2 ? (min(first, second), max(first, second)) : nil }

    /// Counts one connect's client port.
    @inline(__always)
    mutating func add(_ port: UInt16) {
        switch distinct {
        case 0: (first, distinct) = (port, 1)
        case 1: if port != first { (second, distinct) = (port, 2) }
        case 2: if port != first && port != second { distinct = 3 }
        default: break
        }
    }

    /// Both endpoints' connects as one, whatever the order of merging.
    mutating func merge(_ other: SoleClientPort) {
        if other.distinct > 2 { distinct = 3 }
        if other.distinct >= 1 { add(other.first) }
        if other.distinct >= 2 { add(other.second) }
    }
}
