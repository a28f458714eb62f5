/// A view of a GRE header (RFC 2784, with RFC 2890's key and sequence number), the payload
/// of IP protocol 47:
///
///     0..<2    flags and version: C (0x8000) checksum present, R (0x4000) routing present
///              (RFC 1701), K (0x2000) key present, S (0x1000) sequence number present,
///              version in the low 3 bits (0: GRE; 1: PPTP's enhanced GRE, carrying PPP)
///     2..<4    protocol type of the payload, an EtherType (0x6558: an Ethernet frame,
///              GRETAP; 0x88BE and 0x22EB: ERSPAN)
///     4...     checksum and reserved (4, when C or R), key (4, when K), sequence number
///              (4, when S), then the payload
@frozen
public struct GREHeader {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var flagsAndVersion: Int { 0 }
        @inlinable static var protocolType: Int { 2 }
    }

    @inlinable public static var minimumLength: Int { 4 }

    /// A view when the fixed part is there; `headerLength` may still run past `bytes`.
    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.minimumLength else { return nil }
        self.bytes = bytes
    }

    @inlinable var flagsAndVersion: UInt16 { bytes.uint16BE(at: Field.flagsAndVersion) }
    @inlinable public var hasChecksum: Bool { flagsAndVersion & 0x8000 != 0 }
    /// RFC 1701 source routing: a list of entries follows, which the decoder does not read.
    @inlinable public var hasRouting: Bool { flagsAndVersion & 0x4000 != 0 }
    @inlinable public var hasKey: Bool { flagsAndVersion & 0x2000 != 0 }
    @inlinable public var hasSequenceNumber: Bool { flagsAndVersion & 0x1000 != 0 }
    @inlinable public var version: UInt8 { UInt8(truncatingIfNeeded: flagsAndVersion & 0x0007) }
    @inlinable public var protocolType: UInt16 { bytes.uint16BE(at: Field.protocolType) }

    /// The fixed part and the optional fields the flags announce (routing aside): 4 to 16 bytes.
    @inlinable
    public var headerLength: Int {
        Self.minimumLength &+ (hasChecksum || hasRouting ? 4 : 0) &+ (hasKey ? 4 : 0) &+ (hasSequenceNumber ? 4 : 0)
    }
}

/// The protocol types GRE carries that the decoder opens, besides IPv4 and IPv6.
public enum GREProtocol {
    /// Transparent Ethernet bridging: an Ethernet frame (GRETAP, NVGRE).
    @inlinable public static var ethernet: UInt16 { 0x6558 }
    /// ERSPAN type I (no ERSPAN header: GRE without a sequence number) and type II.
    @inlinable public static var erspan: UInt16 { 0x88BE }
    /// ERSPAN type III.
    @inlinable public static var erspanTypeIII: UInt16 { 0x22EB }
}
