import Flows
import Wire

/// Segments of TCP connections in memory, in a deterministic order: the traffic the
/// benchmarks feed the table, without libpcap or the decoder.
///
/// Each connection is a handshake, a request with payload, a response with payload,
/// `packetsPerConnection - 6` acknowledgements and data, and a close (FIN both ways);
/// `inFlight` connections are open at once and a packet goes to one of them chosen at
/// random, so a large `inFlight` interleaves them as a busy server's traffic does.
struct SyntheticTraffic {
    var segments: [TimedSegment] = []
    /// The bytes every payload segment carries (an HTTP request: the recognizers run).
    static let payload = Array("GET /index.html HTTP/1.1\r\nHost: bench\r\n\r\n".utf8)

    init(packets: Int, inFlight: Int, packetsPerConnection: Int, services: Int, gap: Int64 = 10_000) {
        precondition(packetsPerConnection >= 6 && inFlight >= 1 && services >= 1)
        var random = SplitMix64(state: 0x5EED)
        var open = [(client: Endpoint, server: Endpoint, step: Int)]()
        open.reserveCapacity(inFlight)
        var started = 0
        func newConnection() -> (client: Endpoint, server: Endpoint, step: Int) {
            defer { started += 1 }
            let service = Int(random.next() % UInt64(services))
            return (Endpoint(address: IPAddress(ipv4: 0x0A40_0000 | UInt32(random.next() % 60000)),
                             port: UInt16(32768 + started % 28000)),
                    Endpoint(address: IPAddress(ipv4: 0x0A00_0000 | UInt32(service % 64)), port: UInt16(1000 + service / 64)),
                    0)
        }
        for _ in 0..<inFlight { open.append(newConnection()) }
        segments.reserveCapacity(packets)
        var time: Int64 = 1_700_000_000_000_000_000
        for _ in 0..<packets {
            let index = Int(random.next() % UInt64(inFlight))
            if open[index].step == packetsPerConnection { open[index] = newConnection() }
            let (client, server, step) = open[index]
            open[index].step += 1
            let fromClient: Bool, flags: UInt8, payload: UInt32
            switch step {
            case 0: (fromClient, flags, payload) = (true, 0x02, 0)
            case 1: (fromClient, flags, payload) = (false, 0x12, 0)
            case 2, 3: (fromClient, flags, payload) = (step == 2, 0x18, UInt32(Self.payload.count))
            case packetsPerConnection - 2: (fromClient, flags, payload) = (true, 0x11, 0)
            case packetsPerConnection - 1: (fromClient, flags, payload) = (false, 0x11, 0)
            default: (fromClient, flags, payload) = (step % 2 == 0, 0x10, 0)
            }
            let (source, destination) = fromClient ? (client, server) : (server, client)
            let segment = TCPSegment(source: source.address, destination: destination.address, sourcePort: source.port,
                                     destinationPort: destination.port, flags: TCPFlags(rawValue: flags), payloadLength: payload)
            segments.append(TimedSegment(segment: segment, timestamp: time, wireLength: 66 + payload))
            time += gap
        }
    }

    /// Adds every segment to `table`, the payload segments with their bytes.
    func feed(_ table: inout FlowTable) {
        Self.payload.withUnsafeBytes { bytes in
            for entry in segments {
                if entry.segment.payloadLength == 0 {
                    table.add(entry.segment, timestamp: entry.timestamp, wireLength: entry.wireLength)
                } else {
                    table.add(entry.segment, payload: bytes, timestamp: entry.timestamp, wireLength: entry.wireLength)
                }
            }
        }
    }
}

/// A deterministic generator, so every run benchmarks the same traffic.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
