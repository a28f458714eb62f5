/// A view of the 4-byte BSD loopback header (LINKTYPE_NULL, 0, and LINKTYPE_LOOP, 108):
///
///     0..<4    address family: for NULL in the capturing host's byte order, for LOOP in
///              network byte order
///     4...     payload
///
/// NULL files move between machines, so the byte order of the family is detected: the
/// family values are all small (2, 24, 28, 30), so of the two readings the one that fits in
/// 16 bits is the real one (a little-endian 2 read as big-endian is 0x02000000).
@frozen
public struct NullLoopbackHeader {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var family: Int { 0 }
    }

    @inlinable public static var headerLength: Int { 4 }

    /// AF_INET on every BSD.
    @inlinable public static var familyIPv4: UInt32 { 2 }
    /// AF_INET6 on NetBSD, OpenBSD and BSD/OS.
    @inlinable public static var familyIPv6BSD: UInt32 { 24 }
    /// AF_INET6 on FreeBSD and DragonFly.
    @inlinable public static var familyIPv6FreeBSD: UInt32 { 28 }
    /// AF_INET6 on Darwin (macOS, iOS).
    @inlinable public static var familyIPv6Darwin: UInt32 { 30 }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerLength else { return nil }
        self.bytes = bytes
    }

    /// The family read in network byte order (the LOOP link type's definition).
    @inlinable public var familyInNetworkOrder: UInt32 { bytes.uint32BE(at: Field.family) }

    /// The family in whichever byte order gives a value that fits in 16 bits.
    @inlinable
    public var family: UInt32 {
        let bigEndian = familyInNetworkOrder
        return bigEndian & 0xFFFF_0000 == 0 ? bigEndian : bigEndian.byteSwapped
    }

    @inlinable public var payload: UnsafeRawBufferPointer { bytes.rest(from: Self.headerLength) }
}
