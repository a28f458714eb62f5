/// A view of an IPv4 header (RFC 791):
///
///     0        version (4 bits) | IHL, header length in 32-bit words (4 bits)
///     1        DSCP | ECN
///     2..<4    total length (header + payload; 0 in TSO/LSO captures)
///     4..<6    identification
///     6..<8    flags (reserved, DF, MF) | fragment offset in 8-byte units (13 bits)
///     8        time to live
///     9        protocol
///     10..<12  header checksum
///     12..<16  source address
///     16..<20  destination address
///     20..<IHL*4  options
///
/// The initializer checks only the fixed 20 bytes; `headerLength` may still point past the
/// captured bytes or below 20, which the decoder checks before using `options` or `payload`
/// (both are clamped to the captured bytes, so they never read out of bounds).
@frozen
public struct IPv4Packet {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var versionAndIHL: Int { 0 }
        @inlinable static var typeOfService: Int { 1 }
        @inlinable static var totalLength: Int { 2 }
        @inlinable static var identification: Int { 4 }
        @inlinable static var flagsAndFragmentOffset: Int { 6 }
        @inlinable static var timeToLive: Int { 8 }
        @inlinable static var protocolNumber: Int { 9 }
        @inlinable static var checksum: Int { 10 }
        @inlinable static var source: Int { 12 }
        @inlinable static var destination: Int { 16 }
    }

    /// The header without options.
    @inlinable public static var minimumHeaderLength: Int { 20 }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.minimumHeaderLength else { return nil }
        self.bytes = bytes
    }

    @inlinable public var version: UInt8 { bytes[Field.versionAndIHL] >> 4 }
    /// The IHL field: the header length in 32-bit words.
    @inlinable public var internetHeaderLength: UInt8 { bytes[Field.versionAndIHL] & 0x0F }
    /// The header length in bytes (IHL * 4), options included.
    @inlinable public var headerLength: Int { Int(internetHeaderLength) &* 4 }
    @inlinable public var totalLength: UInt16 { bytes.uint16BE(at: Field.totalLength) }
    @inlinable public var identification: UInt16 { bytes.uint16BE(at: Field.identification) }
    @inlinable var flagsAndFragmentOffset: UInt16 { bytes.uint16BE(at: Field.flagsAndFragmentOffset) }
    @inlinable public var dontFragment: Bool { flagsAndFragmentOffset & 0x4000 != 0 }
    @inlinable public var moreFragments: Bool { flagsAndFragmentOffset & 0x2000 != 0 }
    /// The fragment offset in 8-byte units (0 for unfragmented packets and first fragments).
    @inlinable public var fragmentOffset: UInt16 { flagsAndFragmentOffset & 0x1FFF }
    @inlinable public var timeToLive: UInt8 { bytes[Field.timeToLive] }
    @inlinable public var protocolNumber: UInt8 { bytes[Field.protocolNumber] }
    @inlinable public var checksum: UInt16 { bytes.uint16BE(at: Field.checksum) }
    @inlinable public var source: IPAddress { IPAddress(ipv4: bytes.uint32BE(at: Field.source)) }
    @inlinable public var destination: IPAddress { IPAddress(ipv4: bytes.uint32BE(at: Field.destination)) }

    /// The captured option bytes (20..<IHL*4, cut at the end of the capture).
    @inlinable
    public var options: UnsafeRawBufferPointer {
        let end = Swift.min(Swift.max(headerLength, Self.minimumHeaderLength), bytes.count)
        return UnsafeRawBufferPointer(rebasing: bytes[Self.minimumHeaderLength..<end])
    }

    /// The captured bytes after the header (Ethernet padding included: the payload length
    /// comes from `totalLength`, not from this).
    @inlinable @inline(__always) public var payload: UnsafeRawBufferPointer { bytes.clampedRest(from: headerLength) }
}
