import Flows

/// What the capture lost before its packets were captured, as TCP itself tells it: bytes
/// that one side acknowledged and the capture never held (`ConnectionRecord.trackSequence`,
/// Zeek's `missed_bytes`). A receiver acknowledges only what reached it, so those packets
/// were on the wire and the capture did not keep them: a tcpdump that could not keep up
/// ("packets dropped by kernel", which a pcap file has no place to record), a mirror port
/// over its bandwidth. A lower bound: a lost packet whose bytes no captured acknowledgment
/// covers (a handshake, an ACK, the last bytes of a connection) is not counted.
public struct CaptureLoss: Sendable, Equatable {
    /// Connections with bytes acknowledged that the capture never held.
    public var connections: UInt64
    /// Those bytes, over every connection.
    public var missedBytes: UInt64
    /// The TCP payload bytes the capture held, both directions, over every connection.
    public var payloadBytes: UInt64
    /// Whether the inputs of one capture point overlap in time (`InputOverlaps`): two
    /// captures made at once (two interfaces, two nodes) read one after another into one
    /// table. A connection whose packets are in both (a bond that sends them over either
    /// link) has, in the first input read, acknowledgments of bytes that are in the second:
    /// the count is then no measure of a capture's loss, and makes the audit incomplete no
    /// more. Inputs of different capture points (a merge's) overlap as a matter of course:
    /// each point's loss was measured by its own audit.
    public var inputsOverlap: Bool

    public init(connections: UInt64, missedBytes: UInt64, payloadBytes: UInt64, inputsOverlap: Bool = false) {
        self.connections = connections
        self.missedBytes = missedBytes
        self.payloadBytes = payloadBytes
        self.inputsOverlap = inputsOverlap
    }

    /// The loss in the statistics of a connection table that read `inputs`.
    public init(_ statistics: borrowing ServiceStatistics, inputs: [InputSummary]) {
        self.init(connections: statistics.connectionsWithMissedData, missedBytes: statistics.missedBytes,
                  payloadBytes: statistics.payloadBytes, inputsOverlap: Self.overlapWithinAPoint(inputs))
    }

    /// Whether the inputs of any one capture point overlap in time (`inputsOverlap`).
    static func overlapWithinAPoint(_ inputs: [InputSummary]) -> Bool {
        Dictionary(grouping: inputs, by: \.capturePoint).values.contains { !InputOverlaps.find(in: $0).isEmpty }
    }

    /// The share of the bytes sent that the capture missed, past which the audit is
    /// incomplete (`makesIncomplete`): one in a thousand, 0.1%. Below it, a capture that
    /// lost a few packets still holds every service that carried more than a handful of
    /// them; and one connection whose side was first captured by a retransmission (its
    /// baseline then below what was already sent) cannot make a large capture incomplete.
    public static let incompleteFraction = 0.001

    /// The share of the bytes sent (those captured and those missed) that were missed.
    public var fraction: Double {
        let sent = Double(payloadBytes) + Double(missedBytes)
        return sent > 0 ? Double(missedBytes) / sent : 0
    }

    /// Whether the capture missed enough that the audit is incomplete: at least
    /// `incompleteFraction` of the bytes sent, in inputs that do not overlap in time.
    public var makesIncomplete: Bool { missedBytes > 0 && !inputsOverlap && fraction >= Self.incompleteFraction }

    /// "3 connections had 41,280 bytes acknowledged that the capture never held (2.1% of
    /// the bytes sent)".
    public var text: String {
        "\(connections) connection\(connections == 1 ? "" : "s") had \(missedBytes) byte\(missedBytes == 1 ? "" : "s") "
            + "acknowledged that the capture never held (\(Self.percent(fraction)) of the bytes sent)"
    }

    /// A share as a percentage with one decimal, "<0.1%" below it.
    static func percent(_ share: Double) -> String {
        let tenths = (share * 1000).rounded()
        if tenths < 1 { return share > 0 ? "<0.1%" : "0%" }
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)%"
    }
}
