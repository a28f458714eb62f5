/// A view of a Cisco HDLC frame (LINKTYPE_C_HDLC, 104: a router's serial link; Linux's
/// `hdlc0` with Cisco encapsulation, ARPHRD_CISCO), as libpcap stores it, without flags or
/// frame check sequence:
///
///     0        address: 0x0F unicast, 0x8F broadcast
///     1        control: 0x00
///     2..<4    protocol: an EtherType (0x0800 IPv4, 0x86DD IPv6, 0x8847 MPLS), or one
///              of Cisco's own (0x8035 SLARP keepalives, 0x2000 CDP) that is not IP
///     4...     payload
///
/// Files of the PPP link types hold such frames too, told from PPP by the address byte
/// (`PPPFrame`; RFC 1547 section 4.3.1).
@frozen
public struct CiscoHDLCFrame {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var address: Int { 0 }
        @inlinable static var protocolType: Int { 2 }
    }

    @inlinable public static var headerLength: Int { 4 }

    /// Whether `address`, a frame's first byte, is Cisco HDLC's (unicast 0x0F, broadcast
    /// 0x8F): no PPP frame begins so (HDLC-like framing's address is 0xFF, and a PPP
    /// protocol's first byte is even, 0x0F and 0x8F odd).
    @inlinable
    public static func isAddress(_ address: UInt8) -> Bool { address == 0x0F || address == 0x8F }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerLength else { return nil }
        self.bytes = bytes
    }

    @inlinable public var address: UInt8 { bytes[Field.address] }
    @inlinable public var protocolType: UInt16 { bytes.uint16BE(at: Field.protocolType) }
    @inlinable public var payload: UnsafeRawBufferPointer { bytes.rest(from: Self.headerLength) }
}
