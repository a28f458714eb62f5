import Wire

/// One end of a connection: an address and a port. A fixed-size value usable as a key.
public struct Endpoint: Hashable, Comparable, Sendable, BitwiseCopyable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    public init(address: IPAddress, port: UInt16) {
        self.address = address
        self.port = port
    }

    public static func < (lhs: Endpoint, rhs: Endpoint) -> Bool {
        (lhs.address, lhs.port) < (rhs.address, rhs.port)
    }

    /// `1.2.3.4:80`, `[::1]:80`.
    public var description: String {
        address.isIPv4 ? "\(address):\(port)" : "[\(address)]:\(port)"
    }
}

/// A connection's identity regardless of direction: its two endpoints in canonical order,
/// so both directions of a connection find the same entry.
public struct ConnectionKey: Hashable, Sendable, BitwiseCopyable {
    /// The lower endpoint.
    public let a: Endpoint
    /// The higher endpoint.
    public let b: Endpoint

    /// The key of a segment from `source` to `destination`, and whether it travels a→b.
    @inlinable
    public static func of(source: Endpoint, destination: Endpoint) -> (key: ConnectionKey, fromA: Bool) {
        source < destination
            ? (ConnectionKey(a: source, b: destination), true)
            : (ConnectionKey(a: destination, b: source), false)
    }

    @usableFromInline
    init(a: Endpoint, b: Endpoint) {
        self.a = a
        self.b = b
    }
}
