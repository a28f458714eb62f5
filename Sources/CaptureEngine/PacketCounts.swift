import Audit
import Flows
import PcapKit
import Wire

/// Per-input tallies kept in the packet loop: fixed size, no optionals to unwrap, no
/// array to check for uniqueness.
struct PacketCounts {
    var packets: UInt64 = 0
    var tcpSegments: UInt64 = 0
    /// Packets that gave no segment to track, by reason.
    var skipped = CaseCounts<SkipReason>()
    /// The tracked segments taken out of a tunnel, by tunnel.
    var tunneled = CaseCounts<Tunnel>()
    /// The UDP datagrams not opened as tunnels, by destination port (counted in `skipped`
    /// as `notTCP` too).
    var udp = UDPPortTally()
    /// Records whose wire length claimed more than a link carries
    /// (`PacketHeader.longestBelievedWireLength`), counted at their captured bytes instead.
    var wireLengthsNotBelieved: UInt64 = 0
    /// Earliest and latest timestamps; `Int64.max` / `Int64.min` before the first packet.
    var earliest = Int64.max
    var latest = Int64.min

    // Told by the packet count, not the values: a time past 2262 is pinned to `Int64.max`
    // (`PacketHeader.nanoseconds`), and was then taken for no time at all.
    var first: Int64? { packets == 0 ? nil : earliest }
    var last: Int64? { packets == 0 ? nil : latest }

    /// The time of the packet before, in the input's order.
    var previous = Int64.min
    /// The most a packet came behind the latest one before it, in nanoseconds, among those
    /// at most `TimeDisorder.largestDisorder` behind: how far out of time order the capture
    /// writes its packets (`TimeDisorder`).
    var outOfOrder: Int64 = 0
    /// How many times a packet's time went back by more than `TimeDisorder.largestDisorder`
    /// from the packet before it: a clock stepped back while the capture ran.
    var clockStepsBack: UInt64 = 0

    @inline(__always)
    mutating func add(_ header: PacketHeader) {
        packets &+= 1
        let timestamp = header.timestamp
        if timestamp < earliest { earliest = timestamp }
        if timestamp > latest { latest = timestamp } else if timestamp < previous { noteStepBack(to: timestamp) }
        previous = timestamp
        if header.wireLength > PacketHeader.longestBelievedWireLength { wireLengthsNotBelieved &+= 1 }
    }

    /// A packet earlier than the one before it: out of order by a little, or a clock step.
    @inline(never)
    private mutating func noteStepBack(to timestamp: Int64) {
        if TimeDisorder.isClockStep(from: previous, back: timestamp) { clockStepsBack &+= 1 }
        let (behind, overflow) = latest.subtractingReportingOverflow(timestamp)
        if !overflow && behind <= TimeDisorder.largestDisorder && behind > outOfOrder { outOfOrder = behind }
    }

    @inline(__always)
    mutating func skip(_ reason: SkipReason) {
        skipped.increment(reason)
    }

    /// Counts `count` packets skipped for `reason` at once (the fragments of a datagram).
    mutating func skip(_ reason: SkipReason, _ count: UInt64) {
        skipped[reason] = skipped[reason] &+ count
    }

    /// Counts a segment to track, and the tunnel it came out of.
    @inline(__always)
    mutating func countTracked(_ segment: TCPSegment) {
        tcpSegments &+= 1
        if segment.tunnel != .none { tunneled.increment(segment.tunnel) }
    }

    /// The summary of the input these counts were kept for; `drops` for a live capture or
    /// a pcapng file that records them, which is incomplete when it lost packets, as one
    /// whose packets the snapshot length cut before their TCP header is, inside a tunnel
    /// or not (`InputSummary.cutBeforeTCP`, `InputSummary.cutInTunnels`), or one with
    /// fragments of TCP that could not be joined (`InputSummary.unjoinedFragments`).
    func summary(path: String, linkType: Int32?, linkTypeName: String?, snaplen: Int32?, error: String?, drops: Drops?,
                 dropsSource: DropsSource, translations: [String: UInt64]) -> InputSummary {
        var summary = InputSummary(
            path: path, linkType: linkType, linkTypeName: linkTypeName, snaplen: snaplen, packets: packets, tcpSegments: tcpSegments,
            skipped: Self.byName(skipped, \.name), tunneled: Self.byName(tunneled, \.name), translated: translations,
            firstSeen: first.map { Timestamp(nanoseconds: $0) }, lastSeen: last.map { Timestamp(nanoseconds: $0) },
            outOfOrderSeconds: packets == 0 ? nil : Double(outOfOrder) / 1e9, clockStepsBack: packets == 0 ? nil : clockStepsBack,
            complete: error == nil && (drops?.total ?? 0) == 0 && skipped[.truncated] == 0 && skipped[.truncatedInTunnel] == 0
                && skipped[.fragment] == 0,
            error: error,
            drops: drops, dropsSource: dropsSource)
        summary.udp = udp.coverage
        summary.wireLengthsNotBelieved = wireLengthsNotBelieved == 0 ? nil : wireLengthsNotBelieved
        return summary
    }

    /// The counts that are not zero, by the name of their case (the result's `skipped`, `tunneled`).
    private static func byName<Key>(_ counts: CaseCounts<Key>, _ name: (Key) -> String) -> [String: UInt64] {
        Dictionary(uniqueKeysWithValues: counts.dictionary.map { (name($0.key), $0.value) })
    }
}
