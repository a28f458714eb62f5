import Audit
import Wire

/// The UDP datagrams of one input that were not opened as tunnels, counted by destination
/// port in the packet loop (`PacketCounts`), for `InputSummary.udp`. Two tables of 65,536
/// counts, made at the input's first datagram: a capture without UDP allocates nothing, and
/// one with UDP counts each datagram with two stores, allocating nothing more.
struct UDPPortTally {
    /// Datagrams by destination port; empty until the first.
    private var packets: [UInt64] = []
    /// Of them, those shaped like VXLAN (`UDPDatagram.looksLikeVXLAN`).
    private var vxlanShaped: [UInt64] = []

    @inline(__always)
    mutating func add(_ datagram: UDPDatagram) {
        if packets.isEmpty { start() }
        let port = Int(datagram.destinationPort)
        packets[port] &+= 1
        if datagram.looksLikeVXLAN { vxlanShaped[port] &+= 1 }
    }

    @inline(never)
    private mutating func start() {
        packets = [UInt64](repeating: 0, count: 1 << 16)
        vxlanShaped = packets
    }

    /// The input's UDP (`UDPCoverage`), or nil when it held none.
    var coverage: UDPCoverage? {
        guard !packets.isEmpty else { return nil }
        var byPort: [UInt16: UDPPortCount] = [:]
        for port in packets.indices where packets[port] > 0 {
            byPort[UInt16(port)] = UDPPortCount(port: UInt16(port), packets: packets[port], vxlanShaped: vxlanShaped[port])
        }
        return UDPCoverage(byPort: byPort)
    }
}
