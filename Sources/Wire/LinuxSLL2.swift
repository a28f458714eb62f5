/// A view of a Linux "cooked" capture header, version 2 (LINKTYPE_LINUX_SLL2, 276):
///
///     0..<2    protocol: an EtherType, or a Linux code below 0x0600 (see `LinuxSLLHeader`)
///     2..<4    reserved
///     4..<8    interface index
///     8..<10   ARPHRD_ type of the device
///     10       packet type
///     11       link-layer address length
///     12..<20  link-layer address (zero padded to 8 bytes)
///     20...    payload
@frozen
public struct LinuxSLL2Header {
    public let bytes: UnsafeRawBufferPointer

    @usableFromInline
    enum Field {
        @inlinable static var protocolType: Int { 0 }
        @inlinable static var reserved: Int { 2 }
        @inlinable static var interfaceIndex: Int { 4 }
        @inlinable static var arphrdType: Int { 8 }
        @inlinable static var packetType: Int { 10 }
        @inlinable static var addressLength: Int { 11 }
        @inlinable static var address: Int { 12 }
    }

    @inlinable public static var headerLength: Int { 20 }

    @inlinable
    public init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= Self.headerLength else { return nil }
        self.bytes = bytes
    }

    @inlinable public var protocolType: UInt16 { bytes.uint16BE(at: Field.protocolType) }
    @inlinable public var interfaceIndex: UInt32 { bytes.uint32BE(at: Field.interfaceIndex) }
    @inlinable public var arphrdType: UInt16 { bytes.uint16BE(at: Field.arphrdType) }
    @inlinable public var packetType: UInt8 { bytes[Field.packetType] }
    @inlinable public var addressLength: UInt8 { bytes[Field.addressLength] }
    @inlinable public var payload: UnsafeRawBufferPointer { bytes.rest(from: Self.headerLength) }
}
