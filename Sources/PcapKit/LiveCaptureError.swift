/// Why a network device could not be captured from. Each message is one line that names
/// the device (or the filter) and says what to do, so the CLI prints it as is and exits 2.
public enum LiveCaptureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The process may not capture: it lacks CAP_NET_RAW (not root, no file capabilities).
    case permissionDenied(device: String, reason: String)
    /// No device of that name; `available` lists the devices libpcap can open.
    case noSuchDevice(device: String, available: [String])
    /// The device exists but is not up.
    case interfaceDown(device: String)
    /// The BPF filter does not compile, or the device would not take it.
    case badFilter(filter: String, reason: String)
    /// The device's link type is not one dasaudit decodes; `readable` names those it does.
    case unsupportedLinkType(device: String, linkType: Int32, name: String, readable: String)
    /// A device whose captures dasaudit reads from a file only: libpcap reads a netfilter
    /// log group (`nflog:5`, link type NFLOG) with a blocking `recv` that neither its
    /// timeout nor `pcap_breakloop` interrupts, so the status interval, `--duration` and
    /// Ctrl-C would wait for the group's next message, forever on a quiet one.
    case notLive(device: String, linkType: Int32, name: String)
    /// Any other failure to open the device, in libpcap's words.
    case cannotOpen(device: String, reason: String)

    public var description: String {
        switch self {
        case let .permissionDenied(device, reason):
            // Not `setcap` on the installed binary, which every user may run: that would let
            // every local user capture all traffic (docs/security.md, "Running as root").
            return "cannot capture on \(device): \(reason); live capture needs CAP_NET_RAW: run as root (--user drops it "
                + "once the interface is open), or give the capability to a copy only an admin group may run: "
                + "`install -o root -g pcap -m 750 $(command -v dasaudit) /usr/local/sbin/dasaudit-capture && "
                + "setcap cap_net_raw,cap_net_admin+eip /usr/local/sbin/dasaudit-capture` (again after each upgrade)"
        case let .noSuchDevice(device, available):
            return "no interface named '\(device)'"
                + (available.isEmpty ? "" : " (interfaces: \(available.joined(separator: ", ")))")
                + "; `dasaudit interfaces` lists them"
        case let .interfaceDown(device):
            return "interface \(device) is down; bring it up (ip link set \(device) up) or capture on another"
        case let .badFilter(filter, reason):
            return CaptureFilter.message(filter: filter, reason: reason)
        case let .unsupportedLinkType(device, linkType, name, readable):
            return "\(device): link type \(name) (\(linkType)) is not supported; dasaudit reads \(readable) devices"
        case let .notLive(device, linkType, name):
            return "\(device): link type \(name) (\(linkType)) is read from a file, not live: libpcap waits for the "
                + "next message without a timeout, so a quiet group would never stop or report; record it with "
                + "`tcpdump -i \(device) -w FILE` (whole messages) and run `dasaudit audit FILE`"
        case let .cannotOpen(device, reason):
            return "cannot capture on \(device): \(reason)"
        }
    }
}
