/// What the decoder keeps of one fragment of a TCP datagram (IPv4 with MF set or a nonzero
/// offset; IPv6 with a Fragment header that is not atomic): where its bytes sit in the
/// datagram and which datagram it belongs to, copied out of the packet bytes as
/// `TCPSegment` is. A fragment alone may not hold the TCP header (RFC 1858's tiny
/// fragments, `nmap -f`), and only the first holds it at all: `FragmentTable` joins the
/// fragments of a datagram into the one segment they carry.
public struct IPFragment: Sendable, BitwiseCopyable {
    public var source: IPAddress
    public var destination: IPAddress
    /// The IPv4 identification, or the IPv6 Fragment header's: with the addresses (and the
    /// protocol, always TCP here), what names the datagram (RFC 791, RFC 8200).
    public var identification: UInt32
    /// Where the fragment's bytes start in the datagram's payload (the TCP header and data).
    public var offset: UInt32
    /// The fragment's bytes by the IP length fields (the captured bytes when they are 0).
    public var length: UInt32
    /// Bytes captured from the start of the fragment's bytes to the end of the packet: as
    /// `TCPSegment.capturedTail`, where they are in the packet without a pointer into it.
    public var capturedTail: UInt32
    /// Whether more fragments follow (MF, M): false only on the datagram's last fragment.
    public var moreFragments: Bool
    /// The low 16 bits of `identification` (IPv4), or of the flow label (IPv6): what the
    /// joined segment's `copyIdentity` is made of, as an unfragmented segment's.
    public var copyIdentification: UInt16
    public var vlan: UInt16?
    public var tunnel: Tunnel

    @inlinable
    public init(source: IPAddress, destination: IPAddress, identification: UInt32, offset: UInt32, length: UInt32,
                capturedTail: UInt32, moreFragments: Bool, copyIdentification: UInt16, vlan: UInt16? = nil,
                tunnel: Tunnel = .none) {
        self.source = source
        self.destination = destination
        self.identification = identification
        self.offset = offset
        self.length = length
        self.capturedTail = capturedTail
        self.moreFragments = moreFragments
        self.copyIdentification = copyIdentification
        self.vlan = vlan
        self.tunnel = tunnel
    }

    /// The fragment's captured bytes in `packet`, the bytes it was decoded from (fewer than
    /// `length` when the snapshot length cut them; link-layer padding is not included).
    @inlinable
    public func capturedBytes(in packet: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let tail = Int(truncatingIfNeeded: capturedTail)
        guard tail <= packet.count else { return UnsafeRawBufferPointer(rebasing: packet[0..<0]) }
        let start = packet.count &- tail
        return UnsafeRawBufferPointer(rebasing: packet[start..<(start &+ Swift.min(tail, Int(length)))])
    }
}
