/// A view of a PPP frame as libpcap stores it (LINKTYPE_PPP, 9, and LINKTYPE_PPP_HDLC, 50:
/// a BSD host's `ppp0`, a router's serial link), without flags, stuffing or frame check
/// sequence:
///
///     0..<2    0xFF 0x03: HDLC-like framing's address and control (RFC 1662), or absent
///     next     protocol: 2 bytes, or 1 where the link compressed it (RFC 1661 section
///              6.5: every protocol number's first byte is even and its last odd, so an
///              odd first byte is the whole field)
///     then     payload
///
/// A frame whose first byte is 0x0F or 0x8F is Cisco HDLC instead (`CiscoHDLCFrame`).
@frozen
public struct PPPFrame {
    public let bytes: UnsafeRawBufferPointer
    /// Where the protocol field begins: 2 after HDLC-like framing's address and control, else 0.
    @usableFromInline let protocolStart: Int
    /// The protocol field's length: 1 (compressed) or 2.
    @usableFromInline let protocolLength: Int

    /// HDLC-like framing's address (all stations) and control (unnumbered information) bytes.
    @inlinable public static var framingAddress: UInt8 { 0xFF }
    @inlinable public static var framingControl: UInt8 { 0x03 }

    /// Nil when the bytes end before the protocol field does, or after the framing's
    /// address (0xFF is no protocol's first byte, compressed or not).
    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 2 || bytes.first != Self.framingAddress else { return nil }
        let framed = bytes.count >= 2 && bytes[0] == Self.framingAddress && bytes[1] == Self.framingControl
        let start = framed ? 2 : 0
        guard start < bytes.count else { return nil }
        let length = bytes[start] & 1 == 1 ? 1 : 2
        guard start &+ length <= bytes.count else { return nil }
        self.bytes = bytes
        self.protocolStart = start
        self.protocolLength = length
    }

    /// The protocol number (`PPPProtocol`), a compressed one widened to 16 bits.
    @inlinable
    public var protocolNumber: UInt16 {
        protocolLength == 1 ? UInt16(bytes[protocolStart]) : bytes.uint16BE(at: protocolStart)
    }

    @inlinable public var payload: UnsafeRawBufferPointer { bytes.rest(from: protocolStart &+ protocolLength) }
}
