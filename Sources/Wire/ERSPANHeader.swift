/// A view of an ERSPAN header (type II and type III, draft-foschiano-erspan), after the GRE
/// header; the mirrored frame follows. Type I has no header: the frame follows GRE directly.
///
/// Type II, 8 bytes:
///
///     0..<2    version (4 bits, 1) and the original VLAN (12 bits)
///     2..<4    class of service, encapsulation type, truncated flag, session id
///     4..<8    reserved and index
///
/// Type III, 12 bytes, then 8 more when O is set:
///
///     0..<2    version (4 bits, 2) and the original VLAN
///     2..<4    class of service, BSO, truncated flag, session id
///     4..<8    timestamp
///     8..<10   security group tag
///     10..<12  P, frame type (5 bits, 0x7C00: 0 an Ethernet frame, 2 an IP packet),
///              hardware id, direction, granularity, O (0x0001: a platform-specific
///              subheader of 8 bytes follows)
@frozen
public struct ERSPANHeader {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var versionAndVLAN: Int { 0 }
        @inlinable static var typeIIIFlags: Int { 10 }
    }

    @inlinable public static var typeIILength: Int { 8 }
    @inlinable public static var typeIIILength: Int { 12 }
    @inlinable public static var platformSubheaderLength: Int { 8 }

    /// A view when a type II header's 8 bytes are there; a type III header's length is
    /// checked by `headerLength`.
    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.typeIILength else { return nil }
        self.bytes = bytes
    }

    /// 1 for type II, 2 for type III.
    @inlinable public var version: UInt8 { bytes[Field.versionAndVLAN] >> 4 }
    @inlinable public var vlan: UInt16 { bytes.uint16BE(at: Field.versionAndVLAN) & 0x0FFF }

    /// The header's length by its version (a type III header cut before its flags counts
    /// as 12 bytes, which then do not fit), or nil for a version the decoder does not know.
    @inlinable
    public var headerLength: Int? {
        switch version {
        case 1: return Self.typeIILength
        case 2: return Self.typeIIILength &+ (typeIIIFlags & 0x0001 != 0 ? Self.platformSubheaderLength : 0)
        default: return nil
        }
    }

    /// Type III's last two bytes, or 0 when they were not captured.
    @inlinable var typeIIIFlags: UInt16 {
        bytes.count >= Self.typeIIILength ? bytes.uint16BE(at: Field.typeIIIFlags) : 0
    }
    /// The mirrored frame's type: 0 an Ethernet frame, 2 an IP packet (type III only).
    @inlinable public var frameType: UInt8 { version == 2 ? UInt8(truncatingIfNeeded: (typeIIIFlags >> 10) & 0x1F) : 0 }
}
