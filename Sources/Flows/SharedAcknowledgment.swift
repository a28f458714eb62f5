/// Whether every bare probe a service sent itself (`Connection.probedByServer`) carried one
/// acknowledgment number: what tells a port scan sent from a service's port from the
/// service's keep-alives to clients that went away, which look alike packet by packet (a
/// bare ACK, answered by the client's RST).
///
/// nmap's ACK, Window and Maimon scans send every probe of a scan with one acknowledgment
/// number (and sequence number 0, window 1024, no options); a keep-alive carries its own
/// connection's numbers (Linux: the sequence number one below what the peer acknowledged,
/// the acknowledgment number the next byte it expects), so a server's keep-alives to
/// several clients carry as many numbers. Five bytes, kept beside a service's counters.
public struct SharedAcknowledgment: Sendable, Equatable {
    private var first: UInt32 = 0
    /// Distinct numbers counted: 0, 1, or 2 for more than one.
    private var distinct: UInt8 = 0

    public init() {}

    /// Whether probes were counted and every one carried the same acknowledgment number.
    public var isShared: Bool { distinct == 1 }

    /// Counts one probe's acknowledgment number.
    @inline(__always)
    mutating func add(_ acknowledgment: UInt32) {
        if distinct == 0 {
            (first, distinct) = (acknowledgment, 1)
        } else if acknowledgment != first {
            distinct = 2
        }
    }

    /// Both services' probes as one, whatever the order of merging.
    mutating func merge(_ other: SharedAcknowledgment) {
        if other.distinct > 1 { distinct = 2 }
        if other.distinct >= 1 { add(other.first) }
    }
}
