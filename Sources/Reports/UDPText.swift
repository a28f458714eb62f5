import Audit

extension Coverage {
    /// The UDP the audit left aside (`coverage.udp`), or nil when there was none: "28 UDP
    /// packets not audited (dasaudit audits TCP), to port 9999 (28); port 9999 looks like
    /// VXLAN (28 packets shaped so), whose TCP was not audited: declare it with --vxlan-port
    /// 9999". Without a port shaped like VXLAN, the hint says how one would be opened, in
    /// case the capture cut the VXLAN header.
    var udpText: String? {
        guard let udp else { return nil }
        let ports = udp.ports.map { "\($0.port) (\($0.packets))" }
        let more = udp.ports.count == UDPCoverage.listed ? ", ..." : ""
        let shaped = udp.ports.filter { $0.vxlanShaped > 0 }
        let one = shaped.count == 1
        let hint = shaped.isEmpty
            ? "; a port that carries VXLAN is opened with --vxlan-port PORT"
            : "; port\(one ? "" : "s") \(shaped.map { String($0.port) }.joined(separator: ", ")) look\(one ? "s" : "") like VXLAN "
                + "(\(shaped.map { String($0.vxlanShaped) }.joined(separator: ", ")) packets shaped so), whose TCP was not audited: "
                + "declare \(one ? "it" : "them") with " + shaped.map { "--vxlan-port \($0.port)" }.joined(separator: " ")
        return "\(udp.packets) UDP packet\(udp.packets == 1 ? "" : "s") not audited (dasaudit audits TCP), to port"
            + "\(udp.ports.count == 1 ? "" : "s") \(ports.joined(separator: ", "))\(more)" + hint
    }
}
