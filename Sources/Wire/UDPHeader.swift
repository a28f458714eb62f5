/// A view of a UDP header (RFC 768), read only to open tunnels (VXLAN, Geneve):
///
///     0..<2    source port
///     2..<4    destination port
///     4..<6    length (header + payload)
///     6..<8    checksum
@frozen
public struct UDPHeader {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var sourcePort: Int { 0 }
        @inlinable static var destinationPort: Int { 2 }
        @inlinable static var length: Int { 4 }
        @inlinable static var checksum: Int { 6 }
    }

    @inlinable public static var headerLength: Int { 8 }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerLength else { return nil }
        self.bytes = bytes
    }

    @inlinable public var sourcePort: UInt16 { bytes.uint16BE(at: Field.sourcePort) }
    @inlinable public var destinationPort: UInt16 { bytes.uint16BE(at: Field.destinationPort) }
    @inlinable public var length: UInt16 { bytes.uint16BE(at: Field.length) }
    @inlinable public var checksum: UInt16 { bytes.uint16BE(at: Field.checksum) }
    @inlinable public var payload: UnsafeRawBufferPointer { bytes.rest(from: Self.headerLength) }
}
