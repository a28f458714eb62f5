/// The Internet checksum (RFC 1071) of a TCP segment, as far as a
/// capture can tell it: whether the packet arrived damaged, so that its receiver dropped it
/// (a bit flipped on the wire, or by a faulty NIC or relay). Such a packet never happened
/// for the hosts; a flipped bit in an address or a port makes it look like a packet of a
/// connection nobody made (`TCPSegment.checksumFailed`, `FlowTable`).
///
/// A sum is judged only where a wrong one proves damage; every other packet is taken as
/// good, as it always was:
///
/// - a checksum field of 0: nothing computed it (packets written by a generator); a real
///   sum is 0 once in 65,536 packets;
/// - a TCP checksum that is the pseudo-header's folded sum, not complemented: checksum
///   offload, on by default on veths and most NICs, leaves it so in every packet captured
///   as it leaves the host, and GRO leaves it so in the packets it merges on receipt;
/// - a segment the capture cut (snapshot length), or longer than an Ethernet frame's 1,480
///   bytes of TCP: a merged super-packet (TSO, GRO, a NIC's LRO) may carry the sum of its
///   first segment only;
/// - a segment of an IP fragment (its sum covers the whole datagram) and the IPv4 headers
///   (a wrong one is damage too, but summing the header of every packet the capture cut
///   cost more than the rest of the check: 22% more instructions on the reading thread).
///
/// Only the residues of the sums modulo 0xFFFF are worked out: one's complement addition
/// of 16-bit words is addition modulo 0xFFFF (0x0000 and 0xFFFF alike), and as 2^16 is 1
/// modulo 0xFFFF, a 64-bit word's value has the residue of the sum of its four 16-bit
/// words. So the bytes are added 8 at a time in the machine's order, with the carry added
/// back (end-around carry), and never folded; a word loaded with its bytes swapped (a
/// little-endian machine) has the residue of the word times 2^8, so the pseudo-header's
/// numbers are shifted by 8 to be added to them. A right sum has the residue 0.
public enum Checksum {
    /// The longest TCP segment (header and payload) whose sum is judged: what a 1,500-byte
    /// IPv4 packet carries. Longer ones may be merged super-packets.
    @inlinable public static var longestJudgedSegment: Int { 1_480 }

    /// Whether the whole TCP segment `bytes` (header and payload, `length` bytes from the IP
    /// lengths, all captured) between `source` and `destination` carries a checksum that is
    /// neither right, nor 0, nor the offloaded pseudo-header sum. Out of line: asked of
    /// every whole segment the reader hands on (`TCPSegment.judgeChecksum`).
    @usableFromInline @inline(never)
    static func damagesTCPSegment(_ bytes: UnsafeRawBufferPointer, length: Int,
                                  source: IPAddress, destination: IPAddress) -> Bool {
        // A header the capture cut in its options is not all there to be summed.
        guard length >= TCPHeader.minimumHeaderLength, length <= bytes.count,
              Int(bytes.load(fromByteOffset: 12, as: UInt8.self) >> 4) &* 4 <= length else { return false }
        let checksum = bytes.uint16BE(at: 16)
        guard checksum != 0 else { return false }
        // The pseudo-header: both addresses (IPv4 ones as ::ffff:a.b.c.d, whose 0xFFFF word
        // is 0 here), the protocol (6) and the TCP length; IPv4's and IPv6's layouts hold
        // the same 16-bit words. Numbers, not bytes: their residues as they are.
        let addresses = add(add(source.high, source.low), add(destination.high, destination.low))
        let pseudo = add(addresses, 6 &+ UInt64(truncatingIfNeeded: length)) % 0xFFFF
        // Offloaded (the pseudo-header's sum): told before the segment is summed, which every
        // packet captured on loopback, a veth or the sending host would cost for nothing.
        guard UInt64(checksum) % 0xFFFF != pseudo else { return false }
        let segment = sum(bytes, count: length) % 0xFFFF
        let total = UInt16(1).littleEndian == 1 ? pseudo << 8 &+ segment : pseudo &+ segment
        return total % 0xFFFF != 0
    }

    /// The first `count` bytes (at most `bytes.count`) added 8 at a time in the machine's
    /// order with end-around carry, an odd byte at the end padded with a zero after it:
    /// its residue modulo 0xFFFF is the residue of their 16-bit words in the machine's order.
    @inlinable @inline(__always)
    static func sum(_ bytes: UnsafeRawBufferPointer, count: Int) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0 }
        var total: UInt64 = 0
        var offset = 0
        while offset &+ 8 <= count {
            total = add(total, base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset &+= 8
        }
        if offset &+ 4 <= count {
            total = add(total, UInt64(base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            offset &+= 4
        }
        if offset &+ 2 <= count {
            total = add(total, UInt64(base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            offset &+= 2
        }
        if offset < count {
            // The byte comes first in its 16-bit word: the word's high byte in network order.
            let byte = UInt64(base.load(fromByteOffset: offset, as: UInt8.self))
            total = add(total, UInt16(1).littleEndian == 1 ? byte : byte << 8)
        }
        return total
    }

    /// One's complement addition of 64-bit words: the carry out is added back in.
    @inlinable @inline(__always)
    static func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (total, carry) = a.addingReportingOverflow(b)
        return total &+ (carry ? 1 : 0)
    }
}
