/// A view of an Ethernet II header:
///
///     0..<6    destination MAC
///     6..<12   source MAC
///     12..<14  EtherType (or the TPID of a first VLAN tag)
///     14...    payload
@frozen
public struct EthernetFrame {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var destination: Int { 0 }
        @inlinable static var source: Int { 6 }
        @inlinable static var etherType: Int { 12 }
    }

    @inlinable public static var headerLength: Int { 14 }

    /// A view of `bytes`, or nil when they are too short for the header.
    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerLength else { return nil }
        self.bytes = bytes
    }

    /// The 6 bytes of the destination MAC address.
    @inlinable
    public var destination: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[Field.destination..<Field.destination + 6])
    }

    /// The 6 bytes of the source MAC address.
    @inlinable
    public var source: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[Field.source..<Field.source + 6])
    }

    @inlinable public var etherType: UInt16 { bytes.uint16BE(at: Field.etherType) }

    @inlinable public var payload: UnsafeRawBufferPointer { bytes.rest(from: Self.headerLength) }
}
