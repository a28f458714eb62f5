import Wire

/// Scripts single connections into any `SegmentSink`, packet by packet as `ConnectionScript`
/// says (the generator's own sequences: no second copy of the handshake), with sequence and
/// acknowledgement numbers and the wire lengths `FrameBuilder` gives the frames. Packets are
/// `spacing` nanoseconds apart from `clock`. For tests that need a few chosen connections,
/// where `TrafficGenerator.generate` gives traffic of a shape.
public struct ConnectionScripter<Sink: SegmentSink> {
    /// An address and a port.
    public typealias Endpoint = (address: IPAddress, port: UInt16)

    /// Where the segments go.
    public var sink: Sink
    /// The last packet's time, nanoseconds since 1970.
    public var clock: Int64
    /// Nanoseconds between packets.
    public var spacing: Int64

    public init(into sink: Sink, startingAt clock: Int64 = 1_700_000_000_000_000_000, spacing: Int64 = 1_000_000) {
        self.sink = sink
        self.clock = clock
        self.spacing = spacing
    }

    /// A complete connection of `packets` packets (at least 4): handshake, data, both FINs.
    public mutating func connect(_ client: Endpoint, _ server: Endpoint, packets: Int = 5) {
        run(.complete, client, server, packets: max(packets, 4))
    }

    /// A connect the server refused: SYN, RST-ACK.
    public mutating func refused(_ client: Endpoint, _ server: Endpoint) {
        run(.refused, client, server, packets: 2)
    }

    /// A connect nobody answered: the SYN and its retransmission.
    public mutating func unanswered(_ client: Endpoint, _ server: Endpoint) {
        run(.unanswered, client, server, packets: 2)
    }

    /// One segment on its own (a connection seen mid-stream), without payload.
    public mutating func send(_ from: Endpoint, _ to: Endpoint, _ flags: TCPFlags) {
        emit(from, to, flags: flags, sequence: 0, acknowledgement: 0, payload: 0)
    }

    private mutating func run(_ kind: ConnectionScript.Kind, _ client: Endpoint, _ server: Endpoint, packets: Int) {
        let clientISN = UInt32(truncatingIfNeeded: clock), serverISN = ~clientISN
        var clientNext = clientISN, serverNext = serverISN
        for index in 0..<ConnectionScript.length(kind, packets: packets) {
            let step = ConnectionScript.step(kind, index, packets: packets)
            let acks = step.flags & ConnectionScript.ack != 0
            if step.fromServer {
                emit(server, client, flags: TCPFlags(rawValue: step.flags), sequence: serverNext,
                     acknowledgement: acks ? clientNext : 0, payload: step.payload)
                serverNext &+= ConnectionScript.sequenceSpan(step)
            } else {
                if step.flags & ConnectionScript.syn != 0 { clientNext = clientISN }  // a retransmitted SYN repeats its number
                emit(client, server, flags: TCPFlags(rawValue: step.flags), sequence: clientNext,
                     acknowledgement: acks ? serverNext : 0, payload: step.payload)
                clientNext &+= ConnectionScript.sequenceSpan(step)
            }
        }
    }

    private mutating func emit(_ from: Endpoint, _ to: Endpoint, flags: TCPFlags, sequence: UInt32,
                               acknowledgement: UInt32, payload: Int) {
        clock += spacing
        let segment = TCPSegment(source: from.address, destination: to.address, sourcePort: from.port,
                                 destinationPort: to.port, flags: flags, sequenceNumber: sequence,
                                 acknowledgmentNumber: acknowledgement, payloadLength: UInt32(payload))
        let wireLength = FrameBuilder.frameLength(ipv6: !from.address.isIPv4, flags: flags.rawValue, payload: payload)
        sink.add(segment, timestamp: clock, wireLength: UInt32(wireLength))
    }
}
