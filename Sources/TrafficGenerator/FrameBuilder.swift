import PcapKit

/// Builds one Ethernet frame at a time (IPv4 or IPv6, TCP, an MSS option on SYNs, a payload
/// of its protocol's first bytes and zeros) in one reused buffer, with correct IP and TCP
/// checksums, and hands the first `snaplen` bytes to the writer.
struct FrameBuilder: ~Copyable {
    private let buffer: UnsafeMutableRawPointer
    private static let capacity = 2048
    private let snaplen: Int
    private var ipID: UInt16 = 0

    init(snaplen: Int) {
        buffer = UnsafeMutableRawPointer.allocate(byteCount: Self.capacity, alignment: 8)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: Self.capacity)
        self.snaplen = snaplen > 0 ? snaplen : Int.max
    }

    deinit { buffer.deallocate() }

    private func put16(_ value: UInt16, at offset: Int) {
        buffer.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt16.self)
    }

    private func put32(_ value: UInt32, at offset: Int) {
        buffer.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self)
    }

    private func put64(_ value: UInt64, at offset: Int) {
        buffer.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self)
    }

    /// The ones' complement sum of `count` bytes at `offset` (an even offset), added to `sum`.
    private func sum(_ offset: Int, _ count: Int, _ start: UInt32 = 0) -> UInt32 {
        var total = start
        var index = offset
        while index + 1 < offset + count {
            total &+= UInt32(UInt16(bigEndian: buffer.loadUnaligned(fromByteOffset: index, as: UInt16.self)))
            index += 2
        }
        if index < offset + count { total &+= UInt32(buffer.load(fromByteOffset: index, as: UInt8.self)) << 8 }
        return total
    }

    private static func fold(_ sum: UInt32) -> UInt16 {
        var s = sum
        while s >> 16 != 0 { s = (s & 0xFFFF) &+ (s >> 16) }
        return ~UInt16(s)
    }

    /// The length of the frame `write` builds: Ethernet, IPv4 or IPv6, TCP (with the MSS
    /// option on a SYN) and `payload` bytes.
    static func frameLength(ipv6: Bool, flags: UInt8, payload: Int) -> Int {
        14 + (ipv6 ? 40 : 20) + (flags & ConnectionScript.syn != 0 ? 24 : 20) + payload
    }

    /// Writes one segment from `source`:`sourcePort` to `destination`:`destinationPort` at
    /// `time` (nanoseconds since 1970), `payload` bytes long, starting with `start`.
    mutating func write(to writer: CaptureWriter, time: Int64, source: HostAddress, sourcePort: UInt16,
                        destination: HostAddress, destinationPort: UInt16, flags: UInt8, sequence: UInt32,
                        acknowledgement: UInt32, payload: Int, start: UnsafeRawBufferPointer) {
        let ipv6 = source.isIPv6
        let ipLength = ipv6 ? 40 : 20
        let tcpLength = flags & ConnectionScript.syn != 0 ? 24 : 20
        let tcp = 14 + ipLength
        let data = tcp + tcpLength
        let frameLength = Self.frameLength(ipv6: ipv6, flags: flags, payload: payload)
        // Ethernet: locally administered MACs, one per direction.
        put32(0x0200_0000, at: 0); put16(ipv6 ? 0x0002 : 0x0001, at: 4)
        put32(0x0200_0000, at: 6); put16(ipv6 ? 0x0102 : 0x0101, at: 10)
        put16(ipv6 ? 0x86DD : 0x0800, at: 12)
        var pseudo: UInt32
        if ipv6 {
            put32(0x6000_0000, at: 14)
            put16(UInt16(tcpLength + payload), at: 18)
            put16(0x0640, at: 20)  // next header TCP, hop limit 64
            put64(source.high, at: 22); put64(source.low, at: 30)
            put64(destination.high, at: 38); put64(destination.low, at: 46)
            pseudo = sum(22, 32, UInt32(tcpLength + payload) + 6)
        } else {
            ipID &+= 1
            put32(0x4500_0000 | UInt32(20 + tcpLength + payload), at: 14)
            put32(UInt32(ipID) << 16 | 0x4000, at: 18)  // DF
            put32(0x4006_0000, at: 22)  // TTL 64, TCP, checksum 0
            put32(source.ipv4, at: 26); put32(destination.ipv4, at: 30)
            put16(Self.fold(sum(14, 20)), at: 24)
            pseudo = sum(26, 8, UInt32(tcpLength + payload) + 6)
        }
        put16(sourcePort, at: tcp); put16(destinationPort, at: tcp + 2)
        put32(sequence, at: tcp + 4); put32(acknowledgement, at: tcp + 8)
        put16(UInt16(tcpLength / 4) << 12 | UInt16(flags), at: tcp + 12)
        put32(0xFAF0_0000, at: tcp + 14)  // window 64240, checksum 0
        put16(0, at: tcp + 18)
        if tcpLength == 24 { put32(0x0204_05A8, at: tcp + 20) }  // MSS 1448
        let startCount = min(start.count, payload, Self.capacity - data)
        if startCount > 0 { buffer.advanced(by: data).copyMemory(from: start.baseAddress!, byteCount: startCount) }
        // The rest of the payload is zeros, which add nothing to the checksum.
        put16(Self.fold(sum(tcp, tcpLength + startCount, pseudo)), at: tcp + 16)
        let captured = min(frameLength, snaplen, Self.capacity)
        writer.write(PacketHeader(timestamp: time, capturedLength: UInt32(captured), wireLength: UInt32(frameLength)),
                     UnsafeRawBufferPointer(start: buffer, count: captured))
        // Zeros again past the Ethernet header, so the next frame's payload (whatever its
        // family and options) is zeros beyond its own start.
        buffer.advanced(by: 14).initializeMemory(as: UInt8.self, repeating: 0, count: data - 14 + startCount)
    }
}
