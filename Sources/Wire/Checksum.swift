/// The Internet checksum (RFC 1071) of the IPv4 header and of a TCP segment, as far as a
/// capture can tell it: whether the packet arrived damaged, so that its receiver dropped it
/// (a bit flipped on the wire, or by a faulty NIC or relay). Such a packet never happened
/// for the hosts; a flipped bit in an address or a port makes it look like a packet of a
/// connection nobody made (`TCPSegment.checksumFailed`, `FlowTable`).
///
/// A sum is judged only where a wrong one proves damage; every other packet is taken as
/// good, as it always was:
///
/// - a checksum field of 0: nothing computed it (packets written by a generator, a NIC that
///   fills the IPv4 header checksum in as it sends); a real sum is 0 once in 65,536 packets;
/// - a TCP checksum that is the pseudo-header's folded sum, not complemented: checksum
///   offload, on by default on veths and most NICs, leaves it so in every packet captured
///   as it leaves the host, and GRO leaves it so in the packets it merges on receipt;
/// - a segment the capture cut (snapshot length), whose length the IP header does not give
///   (0: a TSO capture), or longer than an Ethernet frame's 1,480 bytes of TCP: a merged
///   super-packet (TSO, GRO, a NIC's LRO) may carry the sum of its first segment only.
///
/// The sums add 32-bit words in the machine's order into 64 bits (no carry is lost below
/// 2^32 words) and fold; RFC 1071's byte-order independence makes the folded sum the one of
/// 16-bit big-endian words with its two bytes swapped on a little-endian machine.
public enum Checksum {
    /// The longest TCP segment (header and payload) whose sum is judged: what a 1,500-byte
    /// IPv4 packet carries. Longer ones may be merged super-packets.
    @inlinable public static var longestJudgedSegment: Int { 1_480 }

    /// Whether the IPv4 header `bytes` (its `headerLength` bytes captured) carries a
    /// checksum that is neither right nor 0 (left for the NIC to fill in).
    @inlinable @inline(__always)
    public static func damagesIPv4Header(_ bytes: UnsafeRawBufferPointer, headerLength: Int) -> Bool {
        guard bytes.uint16BE(at: 10) != 0 else { return false }
        return fold(wordSum(bytes, count: headerLength)) != 0xFFFF
    }

    /// Whether the whole TCP segment `bytes` (header and payload, `length` bytes from the IP
    /// lengths, all captured) between `source` and `destination` carries a checksum that is
    /// neither right, nor 0, nor the offloaded pseudo-header sum.
    @inlinable @inline(__always)
    public static func damagesTCPSegment(_ bytes: UnsafeRawBufferPointer, length: Int, checksum: UInt16,
                                         source: IPAddress, destination: IPAddress) -> Bool {
        guard checksum != 0 else { return false }
        // The pseudo-header: both addresses (IPv4 ones as ::ffff:a.b.c.d, whose 0xFFFF word
        // adds nothing in one's complement), the protocol (6) and the TCP length; IPv4's
        // and IPv6's layouts hold the same 16-bit words.
        let pseudo = fold(wordsOf(source.high) &+ wordsOf(source.low) &+ wordsOf(destination.high)
                          &+ wordsOf(destination.low) &+ 6 &+ UInt64(truncatingIfNeeded: length))
        guard checksum != UInt16(truncatingIfNeeded: pseudo) else { return false }
        let segment = fold(wordSum(bytes, count: length))
        let inNetworkOrder = UInt64(UInt16(truncatingIfNeeded: segment).bigEndian)
        return fold(pseudo &+ inNetworkOrder) != 0xFFFF
    }

    /// The sum of the first `count` bytes (at most `bytes.count`) as 32-bit words in the
    /// machine's order, an odd byte at the end padded with a zero after it.
    @inlinable @inline(__always)
    static func wordSum(_ bytes: UnsafeRawBufferPointer, count: Int) -> UInt64 {
        guard let base = bytes.baseAddress else { return 0 }
        var sum: UInt64 = 0
        var offset = 0
        while offset &+ 4 <= count {
            sum &+= UInt64(base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            offset &+= 4
        }
        if offset &+ 2 <= count {
            sum &+= UInt64(base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            offset &+= 2
        }
        if offset < count {
            // The byte comes first in its 16-bit word: the word's high byte in network order.
            let byte = UInt64(base.load(fromByteOffset: offset, as: UInt8.self))
            sum &+= UInt16(1).littleEndian == 1 ? byte : byte << 8
        }
        return sum
    }

    /// The 16-bit words of a 64-bit value, added (a value of four big-endian words).
    @inlinable @inline(__always)
    static func wordsOf(_ value: UInt64) -> UInt64 {
        (value >> 48) &+ (value >> 32 & 0xFFFF) &+ (value >> 16 & 0xFFFF) &+ (value & 0xFFFF)
    }

    /// A sum folded into 16 bits with the carries added back (end-around carry).
    @inlinable @inline(__always)
    static func fold(_ sum: UInt64) -> UInt64 {
        var folded = (sum & 0xFFFF_FFFF) &+ (sum >> 32)
        folded = (folded & 0xFFFF) &+ (folded >> 16)
        folded = (folded & 0xFFFF) &+ (folded >> 16)
        return (folded & 0xFFFF) &+ (folded >> 16)
    }
}
