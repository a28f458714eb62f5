/// A view of a Linux "cooked" capture header, version 1 (LINKTYPE_LINUX_SLL, 113):
///
///     0..<2    packet type (to us, broadcast, multicast, to someone else, sent by us)
///     2..<4    ARPHRD_ type of the device
///     4..<6    link-layer address length
///     6..<14   link-layer address (zero padded to 8 bytes)
///     14..<16  protocol: an EtherType, or a Linux code below 0x0600 (0x0001 802.3,
///              0x0004 802.2 LLC, 0x000C CAN, ...) that is not IP
///     16...    payload
@frozen
public struct LinuxSLLHeader {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var packetType: Int { 0 }
        @inlinable static var arphrdType: Int { 2 }
        @inlinable static var addressLength: Int { 4 }
        @inlinable static var address: Int { 6 }
        @inlinable static var protocolType: Int { 14 }
    }

    @inlinable public static var headerLength: Int { 16 }

    /// ARPHRD_NETLINK: the protocol field then holds a netlink family, not an EtherType.
    @inlinable public static var arphrdNetlink: UInt16 { 824 }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerLength else { return nil }
        self.bytes = bytes
    }

    @inlinable public var packetType: UInt16 { bytes.uint16BE(at: Field.packetType) }
    @inlinable public var arphrdType: UInt16 { bytes.uint16BE(at: Field.arphrdType) }
    @inlinable public var addressLength: UInt16 { bytes.uint16BE(at: Field.addressLength) }
    @inlinable public var protocolType: UInt16 { bytes.uint16BE(at: Field.protocolType) }
    @inlinable public var payload: UnsafeRawBufferPointer { bytes.rest(from: Self.headerLength) }
}
