/// A view of a TCP header (RFC 9293):
///
///     0..<2    source port
///     2..<4    destination port
///     4..<8    sequence number
///     8..<12   acknowledgment number
///     12       data offset, header length in 32-bit words (4 bits) | reserved
///     13       control bits (CWR ECE URG ACK PSH RST SYN FIN)
///     14..<16  window
///     16..<18  checksum
///     18..<20  urgent pointer
///     20..<dataOffset*4  options
///
/// The initializer checks the fixed 20 bytes, which hold every field read; `headerLength`
/// may still be below 20, which the decoder checks, or past the captured bytes (a snapshot
/// length that cut the options), so `options` and `payload` are cut at the end of the capture.
@frozen
public struct TCPHeader {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var sourcePort: Int { 0 }
        @inlinable static var destinationPort: Int { 2 }
        @inlinable static var sequenceNumber: Int { 4 }
        @inlinable static var acknowledgmentNumber: Int { 8 }
        @inlinable static var dataOffset: Int { 12 }
        @inlinable static var flags: Int { 13 }
        @inlinable static var window: Int { 14 }
        @inlinable static var checksum: Int { 16 }
        @inlinable static var urgentPointer: Int { 18 }
    }

    @inlinable public static var minimumHeaderLength: Int { 20 }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.minimumHeaderLength else { return nil }
        self.bytes = bytes
    }

    @inlinable public var sourcePort: UInt16 { bytes.uint16BE(at: Field.sourcePort) }
    @inlinable public var destinationPort: UInt16 { bytes.uint16BE(at: Field.destinationPort) }
    @inlinable public var sequenceNumber: UInt32 { bytes.uint32BE(at: Field.sequenceNumber) }
    @inlinable public var acknowledgmentNumber: UInt32 { bytes.uint32BE(at: Field.acknowledgmentNumber) }
    /// The data offset field: the header length in 32-bit words.
    @inlinable public var dataOffset: UInt8 { bytes[Field.dataOffset] >> 4 }
    /// The header length in bytes (data offset * 4), options included.
    @inlinable public var headerLength: Int { Int(dataOffset) &* 4 }
    /// All eight control bits of byte 13 (CWR and ECE included).
    @inlinable public var flags: TCPFlags { TCPFlags(rawValue: bytes[Field.flags]) }
    @inlinable public var window: UInt16 { bytes.uint16BE(at: Field.window) }
    @inlinable public var checksum: UInt16 { bytes.uint16BE(at: Field.checksum) }
    @inlinable public var urgentPointer: UInt16 { bytes.uint16BE(at: Field.urgentPointer) }

    /// The captured option bytes (20..<dataOffset*4, cut at the end of the capture).
    @inlinable
    public var options: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[Self.minimumHeaderLength..<optionsEnd])
    }

    /// Where the captured options end in `bytes`: the header's length, cut at the end of the
    /// capture; 20 when there are none (or the data offset is below 5).
    @inlinable
    var optionsEnd: Int { Swift.min(Swift.max(headerLength, Self.minimumHeaderLength), bytes.count) }

    /// A 16-bit digest of the captured option bytes, 0 when there are none: what tells a
    /// retransmission, or a duplicate ACK, from a copy of one packet when nothing else in
    /// the headers does (`InterfaceCopies`, where copies are looked for). A retransmission takes a new TCP
    /// timestamp (TSval) a millisecond or more after the original, a duplicate ACK new SACK
    /// blocks; copies share every option byte. The checksum says the same only where it
    /// was computed whole: one captured on the sending host, or across a veth, holds the
    /// sum of the pseudo-header alone (offloaded). A multiplicative hash of each 8 bytes, so
    /// that a change of the timestamp and the checksum's change with it cannot cancel out,
    /// as they would in a sum or an xor. At most five loads (40 bytes of options).
    @inlinable public var optionsDigest: UInt16 {
        let options = self.options
        var digest: UInt64 = 0
        var offset = 0
        while offset &+ 8 <= options.count {
            digest = (digest ^ options.uint64BE(at: offset)) &* 0x9E37_79B9_7F4A_7C15
            offset &+= 8
        }
        if offset &+ 4 <= options.count {
            digest = (digest ^ UInt64(options.uint32BE(at: offset))) &* 0x9E37_79B9_7F4A_7C15
        }
        return UInt16(truncatingIfNeeded: digest >> 48)
    }

    /// Whether the options are a timestamp option alone, as a stack lays it out after the
    /// handshake (NOP, NOP, kind 8, length 10: 12 bytes), on a segment that is no SYN and
    /// whose echo reply (TSecr) is 0. After the handshake a stack echoes the peer's last
    /// TSval (RFC 7323 3.2), a random-offset clock (Linux, since 4.10) that is 0 once in
    /// 2^32; a raw-socket tool that adds the option echoes nothing (`hping3
    /// --tcp-timestamp`: TSecr 0 on every probe). False when the capture cut the options.
    @inlinable public var echoesNoTimestamp: Bool {
        headerLength == Self.minimumHeaderLength &+ 12 && bytes.count >= Self.minimumHeaderLength &+ 12
            && bytes.uint32BE(at: Self.minimumHeaderLength) == 0x0101_080A
            && bytes.uint32BE(at: Self.minimumHeaderLength &+ 8) == 0 && !flags.contains(.syn)
    }

    /// The captured bytes after the header (the payload length comes from the IP lengths).
    @inlinable @inline(__always) public var payload: UnsafeRawBufferPointer { bytes.clampedRest(from: headerLength) }
}
