import Wire

/// One end of a connection: an address and a port. A fixed-size value usable as a key.
public struct Endpoint: Hashable, Comparable, Sendable, BitwiseCopyable, CustomStringConvertible {
    public var address: IPAddress
    public var port: UInt16

    @inlinable
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
///
/// Stored as the two addresses, then the two ports: 36 bytes. Two `Endpoint`s (18 bytes
/// each, 24 with alignment) were 42, with 6 bytes of padding inside that no field of the
/// connection record could use; the record now keeps both sides' highest sequence ends
/// there (`ConnectionRecord.sequenceEndFromA`), and stays 128 bytes.
public struct ConnectionKey: Hashable, Sendable, BitwiseCopyable {
    @usableFromInline let addressA: IPAddress
    @usableFromInline let addressB: IPAddress
    @usableFromInline let portA: UInt16
    @usableFromInline let portB: UInt16

    /// The lower endpoint.
    @inlinable public var a: Endpoint { Endpoint(address: addressA, port: portA) }
    /// The higher endpoint.
    @inlinable public var b: Endpoint { Endpoint(address: addressB, port: portB) }

    /// The key of a segment from `source` to `destination`, and whether it travels a→b.
    @inlinable
    public static func of(source: Endpoint, destination: Endpoint) -> (key: ConnectionKey, fromA: Bool) {
        source < destination
            ? (ConnectionKey(a: source, b: destination), true)
            : (ConnectionKey(a: destination, b: source), false)
    }

    @inlinable
    init(a: Endpoint, b: Endpoint) {
        self.addressA = a.address
        self.addressB = b.address
        self.portA = a.port
        self.portB = b.port
    }
}
