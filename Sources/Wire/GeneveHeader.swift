/// A view of a Geneve header (RFC 8926), after the UDP header:
///
///     0        version (2 bits, 0) and options length (6 bits, in 4-byte words)
///     1        O (0x80, a control packet) and C (0x40, critical options present)
///     2..<4    protocol type of the payload, an EtherType (0x6558: an Ethernet frame)
///     4..<7    virtual network identifier (VNI)
///     7        reserved
///     8...     options (options length × 4 bytes), then the payload
@frozen
public struct GeneveHeader {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var versionAndOptions: Int { 0 }
        @inlinable static var protocolType: Int { 2 }
        @inlinable static var networkIdentifier: Int { 4 }
    }

    @inlinable public static var minimumLength: Int { 8 }

    /// A view when the fixed part is there; `headerLength` may still run past `bytes`.
    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.minimumLength else { return nil }
        self.bytes = bytes
    }

    @inlinable public var version: UInt8 { bytes[Field.versionAndOptions] >> 6 }
    /// The fixed part and the options: 8 to 260 bytes.
    @inlinable public var headerLength: Int { Self.minimumLength &+ Int(bytes[Field.versionAndOptions] & 0x3F) &* 4 }
    @inlinable public var protocolType: UInt16 { bytes.uint16BE(at: Field.protocolType) }
    /// The 24-bit VNI.
    @inlinable public var networkIdentifier: UInt32 { bytes.uint32BE(at: Field.networkIdentifier) >> 8 }
}
