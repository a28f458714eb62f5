/// A view of the fixed IPv6 header (RFC 8200):
///
///     0..<4    version (4 bits) | traffic class (8 bits) | flow label (20 bits)
///     4..<6    payload length (extension headers included; 0 for jumbograms and TSO)
///     6        next header
///     7        hop limit
///     8..<24   source address
///     24..<40  destination address
///     40...    extension headers, then the upper-layer payload
@frozen
public struct IPv6Packet {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var versionClassFlow: Int { 0 }
        @inlinable static var payloadLength: Int { 4 }
        @inlinable static var nextHeader: Int { 6 }
        @inlinable static var hopLimit: Int { 7 }
        @inlinable static var source: Int { 8 }
        @inlinable static var destination: Int { 24 }
    }

    @inlinable public static var headerLength: Int { 40 }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerLength else { return nil }
        self.bytes = bytes
    }

    @inlinable var versionClassFlow: UInt32 { bytes.uint32BE(at: Field.versionClassFlow) }
    @inlinable public var version: UInt8 { bytes[Field.versionClassFlow] >> 4 }
    @inlinable public var trafficClass: UInt8 { UInt8(truncatingIfNeeded: versionClassFlow >> 20) }
    @inlinable public var flowLabel: UInt32 { versionClassFlow & 0x000F_FFFF }
    @inlinable public var payloadLength: UInt16 { bytes.uint16BE(at: Field.payloadLength) }
    @inlinable public var nextHeader: UInt8 { bytes[Field.nextHeader] }
    @inlinable public var hopLimit: UInt8 { bytes[Field.hopLimit] }

    @inlinable
    public var source: IPAddress {
        IPAddress(high: bytes.uint64BE(at: Field.source), low: bytes.uint64BE(at: Field.source + 8))
    }

    @inlinable
    public var destination: IPAddress {
        IPAddress(high: bytes.uint64BE(at: Field.destination), low: bytes.uint64BE(at: Field.destination + 8))
    }

    /// The captured bytes after the fixed header.
    @inlinable public var payload: UnsafeRawBufferPointer { bytes.rest(from: Self.headerLength) }
}
