import Flows

/// The UDP an input held that was not opened as a tunnel (`inputs[].udp`, `coverage.udp`):
/// dasaudit audits TCP, and says what UDP it left aside, by destination port, so that a
/// reader sees an overlay on a port nobody declared (VXLAN on 9999: the TCP inside it, the
/// cluster's, was not audited; `dasaudit audit --vxlan-port 9999` opens it) as plainly as
/// DNS or syslog that had nothing to audit. Null when there was no such UDP, and in older
/// results.
public struct UDPCoverage: Codable, Sendable, Equatable {
    /// Every UDP datagram not opened, to any port.
    public var packets: UInt64
    /// The busiest destination ports, busiest first (then by port), at most `listed`.
    public var ports: [UDPPortCount]

    /// How many ports are listed.
    public static let listed = 8

    public init(packets: UInt64, ports: [UDPPortCount]) {
        self.packets = packets
        self.ports = ports
    }

    /// The UDP of `byPort` (every port's counts): the busiest `listed` kept; nil when it
    /// holds no datagram.
    public init?(byPort: [UInt16: UDPPortCount]) {
        let packets = byPort.values.reduce(0 as UInt64) { $0.addingSaturated($1.packets) }
        guard packets > 0 else { return nil }
        self.init(packets: packets, ports: Array(byPort.values.sorted(by: UDPPortCount.busier).prefix(Self.listed)))
    }

    /// Several inputs' UDP as one (a capture in several files, a merge): the packets added,
    /// each listed port's counts added, the busiest kept. A port an input did not list
    /// (past its busiest eight) adds nothing to that port: the listed counts are then lower
    /// bounds. Nil when none held UDP.
    public static func combined(_ parts: [UDPCoverage]) -> UDPCoverage? {
        guard !parts.isEmpty else { return nil }
        var byPort: [UInt16: UDPPortCount] = [:]
        for port in parts.lazy.flatMap(\.ports) {
            byPort[port.port, default: UDPPortCount(port: port.port, packets: 0, vxlanShaped: 0)].add(port)
        }
        let packets = parts.reduce(0 as UInt64) { $0.addingSaturated($1.packets) }
        return packets == 0 ? nil
            : UDPCoverage(packets: packets, ports: Array(byPort.values.sorted(by: UDPPortCount.busier).prefix(listed)))
    }

    /// The listed ports whose datagrams were shaped like VXLAN, busiest first.
    public var vxlanShapedPorts: [UInt16] { ports.filter { $0.vxlanShaped > 0 }.map(\.port) }
}

/// The UDP datagrams to one destination port.
public struct UDPPortCount: Codable, Sendable, Equatable {
    public var port: UInt16
    public var packets: UInt64
    /// How many of them were shaped like VXLAN (`UDPDatagram.looksLikeVXLAN`).
    public var vxlanShaped: UInt64

    public init(port: UInt16, packets: UInt64, vxlanShaped: UInt64) {
        self.port = port
        self.packets = packets
        self.vxlanShaped = vxlanShaped
    }

    mutating func add(_ other: UDPPortCount) {
        packets = packets.addingSaturated(other.packets)
        vxlanShaped = vxlanShaped.addingSaturated(other.vxlanShaped)
    }

    /// More packets first, then the lower port.
    static func busier(_ a: UDPPortCount, _ b: UDPPortCount) -> Bool {
        a.packets != b.packets ? a.packets > b.packets : a.port < b.port
    }
}
