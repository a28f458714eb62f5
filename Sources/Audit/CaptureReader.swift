import Flows
import PcapKit
import Wire

/// Reads capture inputs into one connection table, one input after another, so a
/// connection that spans rotated files stays one connection.
public struct CaptureReader {
    public private(set) var table = FlowTable()
    public private(set) var inputs: [InputSummary] = []

    public init() {}

    /// Reads one input. An input that cannot be opened or is cut short is recorded with
    /// its error; the packets read before a cut still count.
    public mutating func read(path: String) {
        let file: CaptureFile
        do {
            file = try CaptureFile(path: path)
        } catch {
            inputs.append(InputSummary(path: path, packets: 0, tcpSegments: 0, skipped: [:], complete: false,
                                       error: "\(error)"))
            return
        }
        let linkType = LinkType(rawValue: file.linkType)
        guard linkType.isSupported else {
            inputs.append(InputSummary(
                path: path, linkType: file.linkType, linkTypeName: file.linkTypeName, packets: 0, tcpSegments: 0,
                skipped: [:], complete: false,
                error: "\(path): link type \(file.linkTypeName) (\(file.linkType)) is not supported; "
                    + "dasaudit reads Ethernet, Linux SLL/SLL2, BSD NULL/LOOP, RAW, IPV4 and IPV6 captures"))
            return
        }
        let decoder = PacketDecoder(linkType: linkType)
        var counts = PacketCounts()
        let end = file.forEachPacket { header, bytes in
            counts.add(header.timestamp)
            switch decoder.decode(bytes) {
            case .segment(let segment):
                counts.tcpSegments &+= 1
                table.add(segment, timestamp: header.timestamp, wireLength: header.wireLength)
            case .skipped(let reason):
                counts.skipped[reason.rawValue] &+= 1
            }
        }
        var error: String?
        if case .failed(let reason) = end {
            error = "\(CaptureError.readFailed(path: path, reason: reason, packetsRead: file.packetsRead))"
        }
        inputs.append(InputSummary(
            path: path, linkType: file.linkType, linkTypeName: file.linkTypeName, packets: counts.packets,
            tcpSegments: counts.tcpSegments, skipped: counts.skippedByName,
            firstSeen: counts.first.map { Timestamp(nanoseconds: $0) },
            lastSeen: counts.last.map { Timestamp(nanoseconds: $0) },
            complete: error == nil, error: error))
    }
}

/// Per-input tallies kept in the packet loop.
struct PacketCounts {
    var packets: UInt64 = 0
    var tcpSegments: UInt64 = 0
    var skipped = [UInt64](repeating: 0, count: SkipReason.allCases.count)
    var first: Int64?
    var last: Int64?

    mutating func add(_ timestamp: Int64) {
        packets &+= 1
        if first == nil || timestamp < first! { first = timestamp }
        if last == nil || timestamp > last! { last = timestamp }
    }

    var skippedByName: [String: UInt64] {
        var result: [String: UInt64] = [:]
        for reason in SkipReason.allCases where skipped[reason.rawValue] > 0 {
            result[reason.name] = skipped[reason.rawValue]
        }
        return result
    }
}
