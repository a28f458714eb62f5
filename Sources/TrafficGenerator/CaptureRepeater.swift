import PcapKit

/// Repeats a real capture up to a number of packets: the benchmark's recorded shapes (a
/// real nmap scan, the real Spark cluster) at any size.
///
/// Copy k is the source shifted in time by k times its period (its duration plus one
/// second, in whole seconds), so the output stays in time order and copies never overlap.
/// Copy 0 is the source itself; in copies k >= 1 every client address (the side that sent
/// a connection's SYN, or received its SYN-ACK; for a connection with neither, the side
/// with the higher port) becomes a new one, 198.18.0.0/15 or 2001:2::/48 numbered by copy
/// and client, so each copy's connections are new connections from new clients to the
/// same services. The IPv4 header and TCP checksums are adjusted (RFC 1624) when captured,
/// so they are exactly as right or wrong as in the source (loopback
/// captures carry partial, offloaded checksums). Packets that are not TCP over IP are
/// copied with the time shift only. Link types: Ethernet (VLAN tags too), Linux cooked
/// (v1 and v2), raw IP, BSD loopback.
public enum CaptureRepeater {
    public struct Summary: Sendable, Equatable {
        public var packets = 0
        public var copies = 0
        public var sourcePackets = 0
        public var sourceConnections = 0
    }

    /// A TCP packet's IP header, and which of its addresses is the client's.
    private struct Located {
        var ipOffset = -1
        var isIPv6 = false
        var sourceIsClient = false
        /// The client's number among the source's clients, in order of first appearance.
        var client = 0
    }

    /// The largest source held in memory.
    static let sourceLimit = 512 << 20

    /// Writes `packets` packets of `source` repeated to `output` (its link type, cut to
    /// `snaplen` bytes, 0: the source's snapshot length), nanosecond timestamps.
    public static func repeatCapture(_ source: String, to output: String, packets: Int, snaplen: Int) throws -> Summary {
        if let node = FileIdentity(path: output).fileNode, node == FileIdentity(path: source).fileNode {
            throw ShapeError("the output is the capture to repeat (\(source))")
        }
        guard packets >= 0 else { throw ShapeError("packets must be 0 or more, not \(packets)") }
        let file = try CaptureFile(path: source)
        var bytes: [UInt8] = []
        var records: [(header: PacketHeader, offset: Int)] = []
        let end = try file.forEachPacket { header, packet in
            guard bytes.count + packet.count <= sourceLimit else {
                throw ShapeError("\(source) holds more than \(sourceLimit >> 20) MiB of packets: repeat a smaller capture")
            }
            records.append((header, bytes.count))
            bytes.append(contentsOf: packet)
        }
        if case .failed(let reason) = end {
            throw ShapeError("\(source) cannot be read to its end (\(reason)): repeat a whole capture")
        }
        var summary = Summary(sourcePackets: records.count)
        guard !records.isEmpty else { throw ShapeError("\(source) holds no packet to repeat") }
        let linkType = file.linkType
        var located = [Located](repeating: Located(), count: records.count)
        var clientOf: [[UInt8]: Bool] = [:]  // connection key -> "the lower endpoint is the client"
        var clientNumbers: [[UInt8]: Int] = [:]
        for (index, record) in records.enumerated() {
            let end = index + 1 < records.count ? records[index + 1].offset : bytes.count
            let packet = Array(bytes[record.offset..<end])
            guard let ip = ipOffset(packet, linkType: linkType) else { continue }
            let isIPv6 = packet[ip] >> 4 == 6
            let addressLength = isIPv6 ? 16 : 4
            let sourceAt = ip + (isIPv6 ? 8 : 12)
            guard let tcp = tcpOffset(packet, ip: ip, isIPv6: isIPv6), tcp + 14 <= packet.count else { continue }
            let a = Array(packet[sourceAt..<sourceAt + addressLength] + packet[tcp..<tcp + 2])
            let b = Array(packet[sourceAt + addressLength..<sourceAt + 2 * addressLength] + packet[tcp + 2..<tcp + 4])
            let sourceIsLower = a.lexicographicallyPrecedes(b)
            let key = sourceIsLower ? a + b : b + a
            let flags = packet[tcp + 13]
            let syn = flags & 0x02 != 0, ack = flags & 0x10 != 0
            if clientOf[key] == nil {
                summary.sourceConnections += 1
                let sourceIsClient: Bool
                if syn { sourceIsClient = !ack } else {
                    sourceIsClient = UInt16(packet[tcp]) << 8 | UInt16(packet[tcp + 1]) > UInt16(packet[tcp + 2]) << 8 | UInt16(packet[tcp + 3])
                }
                clientOf[key] = sourceIsClient == sourceIsLower
            }
            let sourceIsClient = clientOf[key]! == sourceIsLower
            let clientAddress = Array(packet[(sourceIsClient ? sourceAt : sourceAt + addressLength)...].prefix(addressLength))
            let number = clientNumbers[clientAddress] ?? clientNumbers.count
            clientNumbers[clientAddress] = number
            located[index] = Located(ipOffset: ip, isIPv6: isIPv6, sourceIsClient: sourceIsClient, client: number)
        }
        let first = records.first!.header.timestamp, last = records.map(\.header.timestamp).max()!
        let period = ((last - first) / 1_000_000_000 + 2) * 1_000_000_000
        let writer = try CaptureWriter(path: output, linkType: linkType,
                                       snapshotLength: snaplen > 0 ? Int32(snaplen) : file.snapshotLength)
        var scratch = [UInt8](repeating: 0, count: 262_144)
        var copy = 0
        while summary.packets < packets {
            for (index, record) in records.enumerated() where summary.packets < packets {
                let end = index + 1 < records.count ? records[index + 1].offset : bytes.count
                let count = end - record.offset
                scratch.withUnsafeMutableBytes { buffer in
                    bytes.withUnsafeBytes { source in
                        buffer.baseAddress!.copyMemory(from: source.baseAddress! + record.offset, byteCount: count)
                    }
                    let place = located[index]
                    if copy > 0 && place.ipOffset >= 0 {
                        let fresh = HostAddress(benchmark: (copy - 1) * clientNumbers.count + place.client, ipv6: place.isIPv6)
                        rewriteClient(buffer, count: count, place, to: fresh)
                    }
                    var header = record.header
                    header.timestamp = record.header.timestamp &+ Int64(copy) &* period
                    writer.write(header, UnsafeRawBufferPointer(start: buffer.baseAddress, count: count))
                }
                summary.packets += 1
            }
            copy += 1
        }
        try writer.finish()
        summary.copies = copy
        return summary
    }

    /// Where the IP header starts under `linkType`, or nil when the packet is not IP.
    static func ipOffset(_ packet: [UInt8], linkType: Int32) -> Int? {
        func u16(_ at: Int) -> Int { at + 2 <= packet.count ? Int(packet[at]) << 8 | Int(packet[at + 1]) : -1 }
        var offset: Int
        switch linkType {
        case 1:  // Ethernet, VLAN tags skipped
            offset = 12
            while [0x8100, 0x88A8, 0x9100].contains(u16(offset)) { offset += 4 }
            guard [0x0800, 0x86DD].contains(u16(offset)) else { return nil }
            offset += 2
        case 113: offset = 16  // Linux cooked v1
        case 276: offset = 20  // Linux cooked v2
        case 101, 12, 14: offset = 0  // raw IP
        case 0, 108: offset = 4  // BSD loopback
        default: return nil
        }
        guard offset < packet.count, [4, 6].contains(packet[offset] >> 4) else { return nil }
        return offset
    }

    /// Where the TCP header starts, or nil when the packet is not an unfragmented TCP segment.
    static func tcpOffset(_ packet: [UInt8], ip: Int, isIPv6: Bool) -> Int? {
        if isIPv6 {
            guard ip + 40 <= packet.count, packet[ip + 6] == 6 else { return nil }
            return ip + 40
        }
        guard ip + 20 <= packet.count, packet[ip + 9] == 6, packet[ip + 6] & 0x1F == 0, packet[ip + 7] == 0 else { return nil }
        return ip + Int(packet[ip] & 0x0F) * 4
    }

    /// Puts `fresh` in place of the client's address, adjusting the checksums.
    private static func rewriteClient(_ buffer: UnsafeMutableRawBufferPointer, count: Int, _ place: Located, to fresh: HostAddress) {
        let ip = place.ipOffset
        let length = place.isIPv6 ? 16 : 4
        let at = ip + (place.isIPv6 ? 8 : 12) + (place.sourceIsClient ? 0 : length)
        guard at + length <= count else { return }
        var new = [UInt8](repeating: 0, count: length)
        if place.isIPv6 {
            for i in 0..<8 { new[i] = UInt8(truncatingIfNeeded: fresh.high >> (56 - 8 * i)); new[8 + i] = UInt8(truncatingIfNeeded: fresh.low >> (56 - 8 * i)) }
        } else {
            for i in 0..<4 { new[i] = UInt8(truncatingIfNeeded: fresh.ipv4 >> (24 - 8 * i)) }
        }
        let tcp = place.isIPv6 ? ip + 40 : ip + Int(buffer[ip] & 0x0F) * 4
        // An offloaded checksum (the pseudo-header's sum, not complemented: loopback and
        // outgoing packets) follows the addresses uncomplemented, or it would read as damage.
        let offloaded = tcp + 18 <= count && isPseudoHeaderSum(buffer, ip: ip, tcp: tcp, isIPv6: place.isIPv6)
        // RFC 1624: HC' = ~(~HC + ~m + m') over the 16-bit words that change.
        var delta: UInt32 = 0
        for word in stride(from: 0, to: length, by: 2) {
            let old = UInt16(buffer[at + word]) << 8 | UInt16(buffer[at + word + 1])
            let newWord = UInt16(new[word]) << 8 | UInt16(new[word + 1])
            delta &+= UInt32(~old) &+ UInt32(newWord)
        }
        for i in 0..<length { buffer[at + i] = new[i] }
        func adjust(_ checksumAt: Int, complemented: Bool = true) {
            guard checksumAt + 2 <= count else { return }
            let field = UInt16(buffer[checksumAt]) << 8 | UInt16(buffer[checksumAt + 1])
            var sum = UInt32(complemented ? ~field : field) &+ delta
            while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
            let checksum = complemented ? ~UInt16(sum) : UInt16(sum)
            buffer[checksumAt] = UInt8(checksum >> 8)
            buffer[checksumAt + 1] = UInt8(checksum & 0xFF)
        }
        if !place.isIPv6 { adjust(ip + 10) }
        adjust(tcp + 16, complemented: !offloaded)
    }

    /// Whether the TCP checksum of the packet at `ip` is its pseudo-header's folded sum
    /// (addresses, protocol 6 and TCP length), as checksum offload leaves it.
    private static func isPseudoHeaderSum(_ buffer: UnsafeMutableRawBufferPointer, ip: Int, tcp: Int, isIPv6: Bool) -> Bool {
        func word(_ at: Int) -> UInt32 { UInt32(buffer[at]) << 8 | UInt32(buffer[at + 1]) }
        let addresses = isIPv6 ? ip + 8 : ip + 12, length = isIPv6 ? 32 : 8
        var sum: UInt32 = 6 &+ (isIPv6 ? word(ip + 4) : word(ip + 2) &- UInt32(tcp - ip))
        for at in stride(from: addresses, to: addresses + length, by: 2) { sum &+= word(at) }
        while sum >> 16 != 0 { sum = (sum & 0xFFFF) &+ (sum >> 16) }
        return UInt32(word(tcp + 16)) % 0xFFFF == sum % 0xFFFF
    }
}
