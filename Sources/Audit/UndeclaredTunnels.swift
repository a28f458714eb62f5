/// UDP shaped like VXLAN on a port the audit did not open as a tunnel (`coverage.udp`):
/// an overlay on a port of its own (`ip link add type vxlan dstport 9999`) that nobody
/// declared with `--vxlan-port`. The TCP inside it, the cluster's own traffic perhaps, was
/// not audited at all, so a rogue service in it would be missing from the services and an
/// audit of the rest could say compliant. A coverage line alone is easy to miss, so each
/// such port is a medium finding (it fails at the default `--fail-on medium`), as an input
/// cut inside a tunnel is (`incomplete-input`); waivable by port when the port is known
/// to carry something else that happens to look like VXLAN.
enum UndeclaredTunnels {
    /// One `undeclared-tunnel` finding per listed UDP port with datagrams shaped like
    /// VXLAN, busiest first; none without UDP.
    static func findings(_ udp: UDPCoverage?) -> [Finding] {
        (udp?.ports ?? []).filter { $0.vxlanShaped > 0 }.map { port in
            let shaped = port.vxlanShaped, all = port.packets
            return Finding(
                kind: .undeclaredTunnel, severity: .medium, port: port.port, address: nil,
                message: "UDP port \(port.port) carried \(shaped) of its \(all) datagram\(all == 1 ? "" : "s") shaped like "
                    + "VXLAN, a port not opened as a tunnel: the TCP inside \(shaped == 1 ? "it" : "them") was not audited, "
                    + "so a service in that overlay is missing from the audit",
                remediation: "Audit again with --vxlan-port \(port.port) to open the overlay "
                    + "(ip -d link show type vxlan shows each VXLAN device's dstport); if the port carries something else, "
                    + "waive this finding for port \(port.port) with the reason.")
        }
    }
}
