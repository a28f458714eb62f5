import ArgumentParser
import Wire

/// `--vxlan-port PORT` for the commands that read packets (`audit`, `flows`, `infer`,
/// `live`): a UDP port besides 4789 and 8472 that carries VXLAN on the captured network,
/// opened as they are (`VXLANPorts`). Without it such an overlay is UDP, which dasaudit
/// does not audit; the coverage names the busiest UDP ports and says which look like VXLAN
/// (`coverage.udp`), so that the user knows what to declare.
struct VXLANPortOption: ParsableArguments {
    @Option(name: .customLong("vxlan-port"), parsing: .unconditionalSingleValue, help: ArgumentHelp(
        "Open VXLAN on this UDP port too, besides 4789 (IANA) and 8472 (Linux's default, flannel's): an overlay set up "
            + "with a port of its own (ip link add type vxlan dstport PORT). Repeat for several, up to "
            + "\(VXLANPorts.capacity). Without it such traffic is UDP and is not audited; the coverage names the busiest "
            + "UDP ports, and those that look like VXLAN.",
        valueName: "port"))
    var ports: [Int] = []

    /// The ports for the decoder; valid after `validate`.
    var vxlanPorts: VXLANPorts { VXLANPorts(ports.map { UInt16($0) }) ?? VXLANPorts() }

    func validate() throws {
        for port in ports {
            guard (1...65535).contains(port) else { throw ValidationError("--vxlan-port \(port) is not a UDP port (1-65535)") }
            if port == Int(UDPPort.geneve) {
                throw ValidationError("--vxlan-port \(port) is Geneve's port, which is opened as Geneve already")
            }
        }
        if VXLANPorts(ports.map { UInt16($0) }) == nil {
            throw ValidationError("--vxlan-port is given for more than \(VXLANPorts.capacity) ports")
        }
    }
}
