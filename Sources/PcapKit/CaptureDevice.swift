import CPcap
import Foundation

/// A device libpcap can capture on (`pcap_findalldevs`): what `dasaudit interfaces` lists,
/// so the user can pick the name `live --interface` wants.
public struct CaptureDevice: Equatable, Sendable {
    public var name: String
    /// libpcap's description, where the system gives one (`Pseudo-device that captures on
    /// all interfaces` for `any`).
    public var description: String?
    /// The device's IPv4 and IPv6 addresses, as text.
    public var addresses: [String]
    public var isLoopback: Bool
    public var isUp: Bool
    public var isRunning: Bool

    public init(name: String, description: String?, addresses: [String], isLoopback: Bool, isUp: Bool, isRunning: Bool) {
        self.name = name
        self.description = description
        self.addresses = addresses
        self.isLoopback = isLoopback
        self.isUp = isUp
        self.isRunning = isRunning
    }

    /// Every device libpcap can open, in libpcap's order (up and running ones first).
    /// Listing needs no privileges; capturing does.
    public static func all() throws -> [CaptureDevice] {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        var first: UnsafeMutablePointer<pcap_if_t>?
        guard pcap_findalldevs(&first, &errorBuffer) == 0 else {
            throw LiveCaptureError.cannotOpen(device: "interfaces", reason: String(cString: errorBuffer))
        }
        defer { pcap_freealldevs(first) }
        var devices: [CaptureDevice] = []
        var next = first
        while let device = next?.pointee {
            let flags = device.flags
            devices.append(CaptureDevice(
                name: String(cString: device.name),
                description: device.description.map { String(cString: $0) },
                addresses: addresses(device.addresses),
                isLoopback: flags & UInt32(PCAP_IF_LOOPBACK) != 0,
                isUp: flags & UInt32(PCAP_IF_UP) != 0,
                isRunning: flags & UInt32(PCAP_IF_RUNNING) != 0))
            next = device.next
        }
        return devices
    }

    /// The IPv4 and IPv6 addresses of a libpcap address list, as `inet_ntop` writes them.
    private static func addresses(_ list: UnsafeMutablePointer<pcap_addr>?) -> [String] {
        var result: [String] = []
        var next = list
        while let entry = next?.pointee {
            if let address = entry.addr, let text = text(of: address) { result.append(text) }
            next = entry.next
        }
        return result
    }

    /// `address` as `inet_ntop` writes it, nil for a family other than IPv4 and IPv6.
    static func text(of address: UnsafeMutablePointer<sockaddr>) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { inet in
                var raw = inet.pointee.sin_addr
                return inet_ntop(AF_INET, &raw, &buffer, socklen_t(buffer.count)).map { String(cString: $0) }
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { inet6 in
                var raw = inet6.pointee.sin6_addr
                return inet_ntop(AF_INET6, &raw, &buffer, socklen_t(buffer.count)).map { String(cString: $0) }
            }
        default:
            return nil
        }
    }
}
