/// A view of the IPv6 fragment header (next header value 44), always 8 bytes:
///
///     0        next header
///     1        reserved
///     2..<4    fragment offset in 8-byte units (13 bits) | reserved (2 bits) | M flag
///     4..<8    identification
@frozen
public struct IPv6FragmentHeader {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var nextHeader: Int { 0 }
        @inlinable static var offsetAndFlags: Int { 2 }
        @inlinable static var identification: Int { 4 }
    }

    @inlinable public static var length: Int { 8 }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.length else { return nil }
        self.bytes = bytes
    }

    @inlinable public var nextHeader: UInt8 { bytes[Field.nextHeader] }
    @inlinable var offsetAndFlags: UInt16 { bytes.uint16BE(at: Field.offsetAndFlags) }
    /// The fragment offset in 8-byte units (0 for the first fragment).
    @inlinable public var fragmentOffset: UInt16 { offsetAndFlags >> 3 }
    @inlinable public var moreFragments: Bool { offsetAndFlags & 1 != 0 }
    @inlinable public var identification: UInt32 { bytes.uint32BE(at: Field.identification) }
    @inlinable public var payload: UnsafeRawBufferPointer { bytes.rest(from: Self.length) }
}
