/// A view of an MPLS label stack (RFC 3032), the payload of EtherType 0x8847 (unicast) or
/// 0x8848 (multicast): 4-byte entries, the last one marked bottom of stack,
///
///     bits 0..<20    label
///     bits 20..<23   traffic class
///     bit  23        S: this entry is the bottom of the stack
///     bits 24..<32   time to live
///
/// then the labelled packet. Nothing in the stack says what that packet is: an IP packet is
/// told by its version nibble (4 or 6), as Linux's `mpls_router` and tshark tell it; a
/// pseudowire's control word (a first nibble of 0) before an Ethernet frame is not opened.
/// A host whose routes push labels (`ip route add ... encap mpls 100`), a provider edge's
/// link, or a SPAN of a core link carry the cluster's TCP so, in both directions.
@frozen
public struct MPLSLabelStack {
    public let bytes: UnsafeRawBufferPointer

    @inlinable public static var entryLength: Int { 4 }
    /// At most this many entries are read; a deeper stack is not opened, so a crafted one
    /// costs a bounded walk. Real stacks hold two to four (transport, service, entropy).
    @inlinable public static var maximumDepth: Int { 8 }

    @inlinable
    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// What follows the stack.
    public enum Payload {
        /// The bytes after the bottom-of-stack entry.
        case packet(UnsafeRawBufferPointer)
        /// The bytes end before the bottom of the stack.
        case cut
        /// No bottom of the stack within `maximumDepth` entries.
        case tooDeep
    }

    /// The labelled packet: the bytes after the first entry whose S bit is set.
    @inlinable
    public var payload: Payload {
        var offset = 0
        for _ in 0..<Self.maximumDepth {
            guard offset &+ Self.entryLength <= bytes.count else { return .cut }
            let bottomOfStack = bytes[offset &+ 2] & 0x01 != 0
            offset &+= Self.entryLength
            if bottomOfStack { return .packet(bytes.rest(from: offset)) }
        }
        return .tooDeep
    }
}
