import Foundation

/// The IPv4 and IPv6 addresses of the host's interfaces now (`getifaddrs`: one netlink
/// dump, cheap enough to ask at every status of a live audit), as `inet_ntop` writes
/// them. A listener on every address answers at each of them, and at an address added
/// later too, which is why `live` asks again while it runs (`OwnEndpoints`).
public enum HostAddresses {
    /// The addresses now; none when the system cannot list them.
    public static func current() -> [String] {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0 else { return [] }
        defer { freeifaddrs(first) }
        var addresses: [String] = []
        var next = first
        while let entry = next?.pointee {
            if let address = entry.ifa_addr, let text = CaptureDevice.text(of: address) { addresses.append(text) }
            next = entry.ifa_next
        }
        return addresses
    }
}
