/// The client port every counted connect of an endpoint came from, or the fact that they
/// came from several: what tells a raw-socket scanner's probes, sent from one source port
/// (nmap's SYN, FIN, NULL, Xmas, ACK and Maimon scans, masscan), from a host's real
/// connects, each from its own ephemeral port (`ProbeSourcePort`, `PortScans`).
/// Four bytes, kept beside an endpoint's counters: no set of ports per endpoint.
public struct SoleClientPort: Sendable, Equatable {
    private var first: UInt16 = 0
    private var several = false
    private var counted = false

    public init() {}

    /// The port of every connect counted; nil with several, or none counted.
    public var port: UInt16? { counted && !several ? first : nil }

    /// Counts one connect's client port.
    @inline(__always)
    mutating func add(_ port: UInt16) {
        if !counted {
            (first, counted) = (port, true)
        } else if port != first {
            several = true
        }
    }

    /// Both endpoints' connects as one, whatever the order of merging.
    mutating func merge(_ other: SoleClientPort) {
        guard other.counted else { return }
        guard counted else { return self = other }
        if other.several || other.first != first { several = true }
    }
}
