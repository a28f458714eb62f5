/// A view of an IPv6 extension header with the generic layout: hop-by-hop options (0),
/// routing (43), destination options (60), and the authentication header (51):
///
///     0        next header
///     1        length: (n + 1) * 8 bytes in all, except AH: (n + 2) * 4 bytes
///     2...     the header's own data
///
/// Every such header is at least 8 bytes long, which the initializer checks; the full
/// `headerLength` may still run past the captured bytes (the decoder checks it).
/// The fragment header has a fixed layout of its own: `IPv6FragmentHeader`.
@frozen
public struct IPv6ExtensionHeader {
    public let bytes: UnsafeRawBufferPointer
    /// The protocol number that announced this header (it decides how the length counts).
    public let type: UInt8

    @usableFromInline
    enum Field {
        @inlinable static var nextHeader: Int { 0 }
        @inlinable static var length: Int { 1 }
    }

    @inlinable public static var minimumLength: Int { 8 }

    /// Whether `type` is a header with this layout.
    @inlinable
    public static func hasGenericLayout(_ type: UInt8) -> Bool {
        type == IPProtocol.hopByHopOptions || type == IPProtocol.routing
            || type == IPProtocol.destinationOptions || type == IPProtocol.authenticationHeader
    }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer, type: UInt8) {
        guard bytes.count >= Self.minimumLength else { return nil }
        self.bytes = bytes
        self.type = type
    }

    @inlinable public var nextHeader: UInt8 { bytes[Field.nextHeader] }
    /// The raw length byte.
    @inlinable public var lengthField: UInt8 { bytes[Field.length] }

    /// The whole header's length in bytes.
    @inlinable
    public var headerLength: Int {
        type == IPProtocol.authenticationHeader
            ? (Int(lengthField) &+ 2) &* 4
            : (Int(lengthField) &+ 1) &* 8
    }
}
