/// A view of a VXLAN header (RFC 7348), after the UDP header; an Ethernet frame follows:
///
///     0        flags: I (0x08) says the VNI is valid and must be set; the others are
///              reserved (VXLAN-GBP uses 0x80) and ignored
///     1..<4    reserved (VXLAN-GBP: the group policy id in 2..<4)
///     4..<7    VXLAN network identifier (VNI)
///     7        reserved
@frozen
public struct VXLANHeader {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var flags: Int { 0 }
        @inlinable static var networkIdentifier: Int { 4 }
    }

    @inlinable public static var length: Int { 8 }
    /// The I flag: a VXLAN header without it is not one the decoder reads.
    @inlinable public static var validIdentifierFlag: UInt8 { 0x08 }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.length else { return nil }
        self.bytes = bytes
    }

    @inlinable public var flags: UInt8 { bytes[Field.flags] }
    @inlinable public var hasValidIdentifier: Bool { flags & Self.validIdentifierFlag != 0 }
    /// The 24-bit VNI.
    @inlinable public var networkIdentifier: UInt32 { bytes.uint32BE(at: Field.networkIdentifier) >> 8 }
    /// The inner Ethernet frame.
    @inlinable public var payload: UnsafeRawBufferPointer { bytes.rest(from: Self.length) }
}
