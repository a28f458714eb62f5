/// The pcapng blocks dasaudit writes for the evidence of a live capture
/// (`PcapngEvidenceFile`), in this machine's byte order, which the Section Header Block's
/// magic states for every reader (draft-ietf-opsawg-pcapng): a Section Header Block, an
/// Interface Description Block, Enhanced Packet Blocks, and Interface Statistics Blocks.
///
/// Timestamps are nanoseconds since the epoch: the interface says so (`if_tsresol` 9), and
/// every packet, statistics block and `isb_starttime` / `isb_endtime` is in that unit.
@usableFromInline
enum PcapngBlockEncoding {
    /// The bytes an Enhanced Packet Block adds around a packet's bytes: its 28-byte header
    /// (type, length, interface, timestamp high and low, captured and original lengths) and
    /// its trailing length; the packet is padded to 4 bytes between them.
    @usableFromInline static let packetHeaderBytes = 28
    @usableFromInline static let packetTrailerBytes = 4

    /// The length of the Enhanced Packet Block of a packet of `captured` bytes.
    @inlinable
    static func packetBlockLength(captured: UInt32) -> UInt64 {
        UInt64(packetHeaderBytes + packetTrailerBytes) &+ (UInt64(captured) &+ 3) / 4 * 4
    }

    /// Writes the Enhanced Packet Block of a packet into `block` (room for
    /// `packetBlockLength(captured:)` bytes), for interface 0, and returns its length.
    static func packet(into block: UnsafeMutableRawPointer, timestamp: Int64, captured: UInt32, wire: UInt32,
                       bytes: UnsafeRawPointer?) -> Int {
        let length = Int(packetBlockLength(captured: captured))
        let units = UInt64(bitPattern: timestamp)
        // Word by word: no array, so no allocation per packet.
        block.storeBytes(of: PcapngBlockType.enhancedPacket, toByteOffset: 0, as: UInt32.self)
        block.storeBytes(of: UInt32(length), toByteOffset: 4, as: UInt32.self)
        block.storeBytes(of: UInt32(0), toByteOffset: 8, as: UInt32.self)
        block.storeBytes(of: UInt32(units >> 32), toByteOffset: 12, as: UInt32.self)
        block.storeBytes(of: UInt32(truncatingIfNeeded: units), toByteOffset: 16, as: UInt32.self)
        block.storeBytes(of: captured, toByteOffset: 20, as: UInt32.self)
        block.storeBytes(of: wire, toByteOffset: 24, as: UInt32.self)
        if captured > 0, let bytes { block.advanced(by: packetHeaderBytes).copyMemory(from: bytes, byteCount: Int(captured)) }
        let padded = packetHeaderBytes + Int(captured)
        for offset in padded..<(length - packetTrailerBytes) { block.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self) }
        block.storeBytes(of: UInt32(length), toByteOffset: length - packetTrailerBytes, as: UInt32.self)
        return length
    }

    /// The Section Header Block of a file: version 1.0, its length unknown (-1, as a
    /// writer that does not go back says), the program that wrote it (`shb_userappl`).
    static func sectionHeader(application: String) -> [UInt8] {
        var body = BlockBody()
        body.append(UInt32(0x1A2B_3C4D))
        body.append(UInt16(1))
        body.append(UInt16(0))
        body.append(UInt64.max)
        body.option(4, Array(application.utf8))
        return body.block(type: PcapngBlockType.sectionHeader)
    }

    /// The Interface Description Block of the captured interface: its link type, snapshot
    /// length, name (`if_name`) and the nanosecond resolution of its timestamps
    /// (`if_tsresol` 9).
    static func interfaceDescription(linkType: UInt16, snapshotLength: UInt32, name: String) -> [UInt8] {
        var body = BlockBody()
        body.append(linkType)
        body.append(UInt16(0))
        body.append(snapshotLength)
        body.option(2, Array(name.utf8))
        body.option(9, [9])
        return body.block(type: PcapngBlockType.interfaceDescription)
    }

    /// The Interface Statistics Block of interface 0 for `window`, stamped at its end.
    /// The drop counts are left out when the window has none (`window.counts` nil): a
    /// reader then learns nothing about drops rather than a false zero.
    static func interfaceStatistics(_ window: StatisticsWindow) -> [UInt8] {
        var body = BlockBody()
        body.append(UInt32(0))
        body.appendTimestamp(window.end)
        body.option(2, timestamp: window.start)  // isb_starttime
        body.option(3, timestamp: window.end)  // isb_endtime
        if let counts = window.counts {
            body.option(4, counts.received)  // isb_ifrecv
            body.option(5, counts.interfaceDropped)  // isb_ifdrop
            body.option(7, counts.dropped)  // isb_osdrop
        }
        body.option(8, window.delivered)  // isb_usrdeliv
        return body.block(type: PcapngBlockType.interfaceStatistics)
    }

    /// The length of every Interface Statistics Block `interfaceStatistics` writes with
    /// counts: what a file keeps free for the one that closes it.
    static let statisticsBlockLength = UInt64(interfaceStatistics(
        StatisticsWindow(start: 0, end: 0, counts: .init(received: 0, dropped: 0, interfaceDropped: 0), delivered: 0)).count)

    /// A block's body as it is built: fields, then options, each padded to 4 bytes.
    private struct BlockBody {
        var bytes: [UInt8] = []

        mutating func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
        }

        /// A timestamp as pcapng writes it: the high 32 bits, then the low.
        mutating func appendTimestamp(_ nanoseconds: Int64) {
            let units = UInt64(bitPattern: nanoseconds)
            append(UInt32(units >> 32))
            append(UInt32(truncatingIfNeeded: units))
        }

        mutating func option(_ code: UInt16, _ value: [UInt8]) {
            append(code)
            append(UInt16(value.count))
            bytes += value
            bytes += [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
        }

        mutating func option(_ code: UInt16, _ value: UInt64) {
            option(code, withUnsafeBytes(of: value) { Array($0) })
        }

        mutating func option(_ code: UInt16, timestamp: Int64) {
            var field = BlockBody()
            field.appendTimestamp(timestamp)
            option(code, field.bytes)
        }

        /// The whole block: type, length, this body, `opt_endofopt`, length again.
        func block(type: UInt32) -> [UInt8] {
            var whole = BlockBody()
            let length = UInt32(8 + bytes.count + 4 + 4)
            whole.append(type)
            whole.append(length)
            whole.bytes += bytes
            whole.append(UInt32(0))
            whole.append(length)
            return whole.bytes
        }
    }
}

/// What an Interface Statistics Block says about the window of one evidence file: from
/// `start` to `end` (nanoseconds since the epoch), the packets libpcap counted received and
/// dropped in it (`counts`, the differences of its cumulative counters at the window's ends;
/// nil when unknown), and the packets the file holds (`delivered`).
struct StatisticsWindow {
    var start: Int64
    var end: Int64
    var counts: LiveCapture.Statistics?
    var delivered: UInt64
}
