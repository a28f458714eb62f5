import Wire

/// The running state of one connection while packets arrive, kept per canonical side
/// (a = the lower endpoint, b = the higher). Fixed size: no allocation per packet.
/// BitwiseCopyable: the table keeps records in raw memory, copies them bit for bit and
/// frees them without deinitializing (`FlowStorage`).
public struct ConnectionRecord: Sendable, BitwiseCopyable {
    public let key: ConnectionKey
    public var packetsFromA: UInt64 = 0
    public var packetsFromB: UInt64 = 0
    /// Frame bytes as on the wire (the record's `len`), per direction.
    public var bytesFromA: UInt64 = 0
    public var bytesFromB: UInt64 = 0
    /// TCP payload bytes per direction.
    public var payloadFromA: UInt64 = 0
    public var payloadFromB: UInt64 = 0
    public var firstSeen: Int64
    public var lastSeen: Int64
    /// Control bits seen from each side (see `Seen`).
    public var seenFromA: Seen = []
    public var seenFromB: Seen = []
    /// The side that opened the connection, from the first handshake packet seen.
    public var clientIsA: Bool?
    /// The client's initial sequence number, from the same handshake packet (a SYN's
    /// sequence number, or a SYN-ACK's acknowledgment number minus one); meaningful only
    /// when `clientIsA` is set. With the endpoints it names the connection across capture
    /// points, whose clocks differ (docs/merge.md).
    public var clientInitialSequence: UInt32 = 0
    public var vlan: UInt16?
    /// Whether the first packet seen was a SYN without ACK: the record starts a connection
    /// rather than continuing one whose start was missed.
    public internal(set) var openedWithSyn = false
    /// Whether this record may continue a connection of an earlier input (see
    /// `FlowLimits.continuationWindow`): kept by its table until the tables are merged.
    @usableFromInline var mayContinue = false
    /// The first payload bytes each side sent (see `PayloadSample`), for the protocol
    /// recognizers.
    public var sampleFromA = PayloadSample()
    public var sampleFromB = PayloadSample()

    /// Handshake and teardown events seen from one side.
    public struct Seen: OptionSet, Sendable, BitwiseCopyable {
        public let rawValue: UInt8
        @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
        @inlinable public static var syn: Seen { Seen(rawValue: 1) }
        @inlinable public static var synAck: Seen { Seen(rawValue: 2) }
        @inlinable public static var fin: Seen { Seen(rawValue: 4) }
        @inlinable public static var rst: Seen { Seen(rawValue: 8) }
        /// A packet that is neither SYN nor RST: data, an ACK or a FIN.
        @inlinable public static var other: Seen { Seen(rawValue: 16) }
    }

    @inlinable
    public init(key: ConnectionKey, timestamp: Int64, vlan: UInt16?) {
        self.key = key
        self.firstSeen = timestamp
        self.lastSeen = timestamp
        self.vlan = vlan
    }

    /// Whether a new SYN on this 4-tuple starts a new connection: the old one ended.
    @inlinable
    public var hasEnded: Bool {
        (seenFromA.rawValue | seenFromB.rawValue) & Seen.rst.rawValue != 0
            || seenFromA.rawValue & seenFromB.rawValue & Seen.fin.rawValue != 0
    }

    /// Counts one segment travelling from a (`fromA`) or from b; `payload` is its captured
    /// payload, kept if it is that side's first.
    @inlinable @inline(__always)
    public mutating func add(_ segment: TCPSegment, payload: UnsafeRawBufferPointer, fromA: Bool, timestamp: Int64,
                             wireLength: UInt32) {
        let flags = segment.flags
        let syn = flags.contains(.syn), ack = flags.contains(.ack), rst = flags.contains(.rst)
        var seen: UInt8 = 0
        if syn {
            seen = ack ? Seen.synAck.rawValue : Seen.syn.rawValue
            if clientIsA == nil {
                clientIsA = ack ? !fromA : fromA
                clientInitialSequence = ack ? segment.acknowledgmentNumber &- 1 : segment.sequenceNumber
            }
        } else if !rst {
            seen = Seen.other.rawValue
        }
        if flags.contains(.fin) { seen |= Seen.fin.rawValue }
        if rst { seen |= Seen.rst.rawValue }
        if fromA {
            packetsFromA &+= 1
            bytesFromA &+= UInt64(wireLength)
            payloadFromA &+= UInt64(segment.payloadLength)
            seenFromA = Seen(rawValue: seenFromA.rawValue | seen)
            if segment.payloadLength != 0 && !sampleFromA.isTaken {
                sampleFromA.take(payload, payloadLength: segment.payloadLength)
            }
        } else {
            packetsFromB &+= 1
            bytesFromB &+= UInt64(wireLength)
            payloadFromB &+= UInt64(segment.payloadLength)
            seenFromB = Seen(rawValue: seenFromB.rawValue | seen)
            if segment.payloadLength != 0 && !sampleFromB.isTaken {
                sampleFromB.take(payload, payloadLength: segment.payloadLength)
            }
        }
        if timestamp < firstSeen { firstSeen = timestamp }
        if timestamp > lastSeen { lastSeen = timestamp }
    }
}
