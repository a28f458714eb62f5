/// A view of one IEEE 802.1Q / 802.1ad tag, starting right after its tag protocol identifier
/// (0x8100, 0x88a8 or 0x9100, which sat in the EtherType position before it):
///
///     0..<2    tag control information: priority (3 bits), DEI (1 bit), VLAN id (12 bits)
///     2..<4    the next EtherType (or the TPID of the next tag)
///     4...     payload
@frozen
public struct VLANTag {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var tagControl: Int { 0 }
        @inlinable static var etherType: Int { 2 }
    }

    @inlinable public static var length: Int { 4 }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.length else { return nil }
        self.bytes = bytes
    }

    @inlinable public var tagControl: UInt16 { bytes.uint16BE(at: Field.tagControl) }
    @inlinable public var priority: UInt8 { UInt8(truncatingIfNeeded: tagControl >> 13) }
    @inlinable public var dropEligible: Bool { tagControl & 0x1000 != 0 }
    /// The 12-bit VLAN id.
    @inlinable public var vlanID: UInt16 { tagControl & 0x0FFF }
    @inlinable public var etherType: UInt16 { bytes.uint16BE(at: Field.etherType) }
    @inlinable public var payload: UnsafeRawBufferPointer { bytes.rest(from: Self.length) }
}
