/// A view of a Linux netfilter log message (LINKTYPE_NFLOG, 239): what `tcpdump -i nflog:N`
/// records of the packets an nftables `log group N` or iptables `-j NFLOG --nflog-group N`
/// rule hands to userspace, on a firewall host (and ulogd's pcap output).
///
///     0        address family of the packet (AF_INET 2, AF_INET6 10)
///     1        version (0)
///     2..<4    resource id, the log group (network byte order)
///     4...     TLVs: length (2 bytes, including these 4), type (2 bytes), value, padded to
///              a multiple of 4; length and type in the capturing host's byte order
///
/// The packet is the value of the NFULA_PAYLOAD TLV (type 9): a bare IP packet, as the
/// netfilter hook saw it (a sending host's segments before the interface cut them up, as a
/// capture there shows them). libpcap hands a file of the other byte order with its TLVs
/// already swapped to this host's (`pcap_post_process`; dasaudit's own record reader leaves
/// such files to libpcap), so the lengths and types are read in this host's order.
@frozen
public struct NFLOGMessage {
    public let bytes: UnsafeRawBufferPointer

    @inlinable public static var headerLength: Int { 4 }
    @inlinable public static var tlvHeaderLength: Int { 4 }
    /// NFULA_PAYLOAD: the logged packet.
    @inlinable public static var payloadType: UInt16 { 9 }
    /// At most this many TLVs are walked before the payload (Linux writes about ten); a
    /// longer list is `.malformed`, so a crafted message costs a bounded amount.
    @inlinable public static var maximumTLVs: Int { 64 }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerLength else { return nil }
        self.bytes = bytes
    }

    @inlinable public var family: UInt8 { bytes[0] }
    @inlinable public var version: UInt8 { bytes[1] }

    /// What a message holds: the logged packet, or why there is none to decode.
    @frozen
    public enum Contents {
        case packet(UnsafeRawBufferPointer)
        case skipped(SkipReason)
    }

    /// What the TLVs hold: the logged packet (cut where the capture cut it), `.truncated`
    /// when the capture ends before its TLV, `.malformed` when a length is impossible or the
    /// list is longer than `maximumTLVs`, `.notIP` when the message carries no packet.
    @inlinable
    public var packet: Contents {
        var offset = Self.headerLength
        for _ in 0..<Self.maximumTLVs {
            guard offset &+ Self.tlvHeaderLength <= bytes.count else {
                return .skipped(offset == bytes.count ? .notIP : .truncated)
            }
            let length = Int(bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            let type = bytes.loadUnaligned(fromByteOffset: offset &+ 2, as: UInt16.self)
            guard length >= Self.tlvHeaderLength else { return .skipped(.malformed) }
            if type & 0x7FFF == Self.payloadType {
                let start = offset &+ Self.tlvHeaderLength
                return .packet(UnsafeRawBufferPointer(rebasing: bytes[start..<Swift.min(offset &+ length, bytes.count)]))
            }
            offset &+= (length &+ 3) & ~3
        }
        return .skipped(.malformed)
    }
}
