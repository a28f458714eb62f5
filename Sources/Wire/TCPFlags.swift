/// The TCP control bits, as they sit in byte 13 of the TCP header (`TCPHeader.flags`).
///
/// The constants are computed and `@inlinable`, so `flags.contains(.syn)` or
/// `flags.isConnectionRequest` folds to one AND and compare in the packet loop: a `static
/// let` is a lazily initialised global, reached through its accessor on every packet.
@frozen
public struct TCPFlags: OptionSet, Hashable, Sendable, BitwiseCopyable {
    public let rawValue: UInt8
    @inlinable
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    @inlinable public static var fin: TCPFlags { TCPFlags(rawValue: 0x01) }
    @inlinable public static var syn: TCPFlags { TCPFlags(rawValue: 0x02) }
    @inlinable public static var rst: TCPFlags { TCPFlags(rawValue: 0x04) }
    @inlinable public static var psh: TCPFlags { TCPFlags(rawValue: 0x08) }
    @inlinable public static var ack: TCPFlags { TCPFlags(rawValue: 0x10) }
    @inlinable public static var urg: TCPFlags { TCPFlags(rawValue: 0x20) }
    /// ECN-Echo (RFC 3168). The decoder keeps all eight bits of byte 13.
    @inlinable public static var ece: TCPFlags { TCPFlags(rawValue: 0x40) }
    /// Congestion Window Reduced (RFC 3168).
    @inlinable public static var cwr: TCPFlags { TCPFlags(rawValue: 0x80) }

    /// SYN without ACK: a client asking to open a connection (the first packet of a
    /// handshake), as opposed to the server's SYN-ACK.
    @inlinable
    public var isConnectionRequest: Bool {
        rawValue & (TCPFlags.syn.rawValue | TCPFlags.ack.rawValue) == TCPFlags.syn.rawValue
    }
}
